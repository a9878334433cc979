"""1-on-1 talks: slots of equal length, one booking per supplier, minutes."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation, supplier_member_filter
from portal.models import scan_status_field
from portal.tenancy import is_member_of_a


class TalkSlotQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The project team sees every slot; a supplier sees the free slots (to book one) and
        # its own booking; nobody else sees any.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        if not is_member_of_a(user, "supplier"):
            return self.none()
        return self.filter(models.Q(organisation__isnull=True) | supplier_member_filter(user))


def talk_minutes_upload_to(instance, filename: str) -> str:
    # Under MEDIA_ROOT, outside the web root: served only by a view that checks access.
    return f"consultations/{instance.consultation.public_id}/talks/{uuid.uuid4().hex}.pdf"


class TalkSlot(models.Model):
    """A 1-on-1 talk slot of a consultation. All slots of a consultation have the same length
    (checked by the service); a supplier books at most one (database constraint). Minutes are
    attached afterwards and seen by the project team and that supplier only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="talk_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talk_slots",
        limit_choices_to={"kind": "supplier"},
    )
    booked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    minutes = models.FileField(_("minutes"), upload_to=talk_minutes_upload_to, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    minutes_uploaded_at = models.DateTimeField(null=True, blank=True)
    minutes_scan_status = scan_status_field()
    minutes_scanned_at = models.DateTimeField(null=True, blank=True)
    minutes_scanner_version = models.CharField(max_length=100, blank=True)

    objects = TalkSlotQuerySet.as_manager()

    class Meta:
        db_table = "tenders_talkslot"
        verbose_name = _("talk slot")
        verbose_name_plural = _("talk slots")
        ordering = ["consultation", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="talkslot_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="talkslot_one_per_supplier",
            ),
            models.UniqueConstraint(
                fields=["consultation", "starts_at"], name="talkslot_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(booked_at__isnull=False),
                name="talkslot_booking_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.organisation_id is not None


class TalkFindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The project team's notes until the report shows the approved ones (as text only).
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.none()

    def approved(self):
        return self.filter(reviewed_at__isnull=False)


class TalkFinding(models.Model):
    """A point learned in the 1-on-1 talks that every supplier should know (equal treatment):
    a neutral text written by a project-team member, reviewed by another one, and shown in the
    anonymised report once approved. It never names a supplier (the disclosure check)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="talk_findings"
    )
    text = models.TextField(_("text"))
    written_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = TalkFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("point from the talks")
        verbose_name_plural = _("points from the talks")
        ordering = ["consultation", "written_at", "id"]
        constraints = [
            # Four eyes: nobody approves a point they wrote.
            models.CheckConstraint(
                condition=~models.Q(reviewed_by=models.F("written_by")),
                name="talkfinding_reviewed_by_another",
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | models.Q(reviewed_by__isnull=False),
                name="talkfinding_approval_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.text[:60]}"

    @property
    def is_approved(self) -> bool:
        return self.reviewed_at is not None
