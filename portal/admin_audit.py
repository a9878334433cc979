"""Every write through the Django admin lands in the audit trail.

The admin reports each addition, change and removal through ``log_addition``,
``log_change`` and ``log_deletions`` (also for the password form and the bulk "delete
selected" action); the mixin records an ``AuditEvent`` at those three points. The change
message names the changed fields and the inline rows (memberships of an organisation, say)
that were added, changed or removed: field names only, never their values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from portal.audit import audit
from portal.models import Organisation


def _organisation_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    organisation = getattr(obj, "organisation", None)
    return organisation if isinstance(organisation, Organisation) else None


def _changes(message: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The changed fields of the object itself and its inline rows, from the admin's change
    message (a list of {"added"|"changed"|"deleted": {...}} entries)."""
    fields: list[str] = []
    inlines: list[dict[str, Any]] = []
    if not isinstance(message, list):
        return fields, inlines
    for entry in message:
        for kind, detail in entry.items():
            detail = detail or {}
            if "name" in detail:
                inlines.append(
                    {
                        "kind": kind,
                        "model": str(detail["name"]),
                        "object": str(detail.get("object", "")),
                        "fields": [str(f) for f in detail.get("fields", [])],
                    }
                )
            else:
                fields.extend(str(f) for f in detail.get("fields", []))
    return fields, inlines


class AuditedAdminMixin:
    """Records admin additions, changes and removals in the audit trail."""

    def _audit_admin(self, request, obj, action: str, message: Any = None) -> None:
        fields, inlines = _changes(message)
        audit(
            actor=request.user,
            action=action,
            target=obj,
            organisation=_organisation_of(obj),
            model=obj._meta.label_lower,
            object=str(obj),
            fields=fields,
            inlines=inlines,
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        self._audit_admin(request, obj, "admin.added", message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        self._audit_admin(request, obj, "admin.changed", message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        for obj in queryset:
            self._audit_admin(request, obj, "admin.deleted")
        return entries


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base of every ModelAdmin of the portal."""
