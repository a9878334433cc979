"""Getting municipalities and their people in: requests to join a buying organisation, the
contacts the project team invites or reminds, and the report of a bulk invitation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Role
from portal.text import SingleLineCharField


class OrganisationJoinRequest(models.Model):
    """Someone with an account asks to become a member of a buying organisation (a
    municipality, joint body or other contracting authority). Its administrators decide; the
    project team decides where the organisation has none."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="buyer_join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_join_requests"
    )
    function = SingleLineCharField(_("function"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="buyer_join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class OrganisationContact(models.Model):
    """An address the project team has for a buying organisation: a person it invited (from
    the form or a spreadsheet) or the organisation's general address. Reminders reach the
    contacts of organisations that have no users yet."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Contact person")
        GENERAL = "general", _("General address")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = SingleLineCharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    created_at = models.DateTimeField(default=timezone.now)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact of an organisation")
        verbose_name_plural = _("contacts of organisations")
        ordering = ["organisation__name", "kind", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="organisation_contact_unique_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class BulkInvitation(models.Model):
    """One spreadsheet of contacts the project team invited, with its per-row report: what was
    sent and what was refused, and why."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = SingleLineCharField(_("file name"), max_length=200, blank=True)
    rows_sent = models.PositiveIntegerField(default=0)
    rows_refused = models.PositiveIntegerField(default=0)
    # Rows that gave a municipality's general address (kept for reminders, not invited).
    general_addresses = models.PositiveIntegerField(default=0)
    # [{"row": 2, "cbs_code": ..., "email": ..., "organisation": ..., "sent": bool,
    #   "reason": ...}], one per row of the spreadsheet.
    report = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("bulk invitation")
        verbose_name_plural = _("bulk invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
