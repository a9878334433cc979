from django.contrib import admin

from catalog.models import Category, CpvCode


@admin.register(CpvCode)
class CpvCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_en", "label_nl", "use"]
    search_fields = ["code", "label_en", "label_nl"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_nl", "name_en", "kind", "cpv_code", "is_active"]
    list_filter = ["kind", "is_active"]
