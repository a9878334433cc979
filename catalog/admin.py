from django.contrib import admin

from catalog.models import Category, CpvCode
from portal.admin_audit import AuditedModelAdmin


@admin.register(CpvCode)
class CpvCodeAdmin(AuditedModelAdmin):
    list_display = ["code", "label_en", "label_nl", "use"]
    search_fields = ["code", "label_en", "label_nl"]


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ["slug", "name_nl", "name_en", "kind", "cpv_code", "is_active"]
    list_filter = ["kind", "is_active"]
