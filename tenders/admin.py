from django.contrib import admin

from .models import Milestone, Programme


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "contract_start_year", "contract_years"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline]
