from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import competition
from portal.admin_audit import AuditedAdminMixin, AuditedModelAdmin
from portal.models import AuditEvent, Invitation, Membership, Organisation, User
from portal.privacy import user_remove

admin.site.site_header = _("GT portal – management")
admin.site.site_title = _("GT portal")


class MembershipAdminForm(forms.ModelForm):
    """Refuses a membership that would put a person on both sides (``portal.competition``);
    the database trigger would refuse it anyway, with a less helpful error page."""

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "is_signatory"]

    def clean(self):
        cleaned_data = super().clean()
        user = cleaned_data.get("user")
        organisation = cleaned_data.get("organisation")
        if user is not None and organisation is not None:
            try:
                competition.check_may_join(user=user, organisation=organisation, on_behalf=True)
            except forms.ValidationError as exc:
                self.add_error("user", exc)
        return cleaned_data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["remove_personal_data"]

    @admin.action(description=_("Remove the person (pseudonymise the account)"))
    def remove_personal_data(self, request, queryset):
        for user in queryset:
            try:
                user_remove(actor=request.user, user=user)
            except ValidationError as exc:
                self.message_user(request, f"{user}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Removed: %(name)s") % {"name": user.name})


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "slug", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "accepted_at", "accepted_by", "revoked_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
    """Read-only: the database refuses changes and removals anyway (portal migration 0006)."""

    list_display = ["created_at", "action", "actor", "organisation", "target_type", "target_id"]
    list_filter = ["action"]
    # A removed user's events keep only the pseudonym (actor_ref): the join gives None.
    list_select_related = ["actor", "organisation"]
    search_fields = ["action", "target_id", "actor__email"]
    readonly_fields = ["actor_ref", "prev_hash", "hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
