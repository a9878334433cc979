from django.contrib import admin

from municipalities.models import JointBodyMunicipality, Municipality
from portal.admin_audit import AuditedModelAdmin


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["cbs_code", "name", "province", "population", "organisation", "valid_until"]
    list_filter = ["province"]
    search_fields = ["cbs_code", "name"]


@admin.register(JointBodyMunicipality)
class JointBodyMunicipalityAdmin(AuditedModelAdmin):
    list_display = ["joint_body", "municipality"]
    autocomplete_fields = ["municipality"]
