from django.contrib import admin

from portal.admin_audit import AuditedModelAdmin
from tenders.models import Milestone, Programme, Reminder


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["name", "status", "contract_start_year", "contract_years"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline]


@admin.register(Reminder)
class ReminderAdmin(AuditedModelAdmin):
    list_display = ["programme", "organisation", "kind", "days_before", "sent_at"]
    list_filter = ["programme", "kind", "days_before"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
