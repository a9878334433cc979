from django.contrib import admin

from municipalities.models import JointBodyMunicipality, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "name", "province", "population", "organisation", "valid_until"]
    list_filter = ["province"]
    search_fields = ["cbs_code", "name"]


@admin.register(JointBodyMunicipality)
class JointBodyMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["joint_body", "municipality"]
    autocomplete_fields = ["municipality"]
