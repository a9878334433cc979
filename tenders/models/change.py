"""The change notice (rectification) of a published tender: the only way its timeline and the
wording of its requirements change after publication. Asked by one project-team member,
confirmed by a second (four eyes); confirmation applies it, numbers it and makes new document
versions, an OCDS amendment release and a mail to the subscribers."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.ocds import OcdsRelease
from tenders.models.tender import Tender

CHANGE_REASON_MAX_LENGTH = 150


class ChangeNotice(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="change_notices")
    # 1..n per tender, given on confirmation: a cancelled notice never takes a public number.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=CHANGE_REASON_MAX_LENGTH)
    # What changes: [{"field": "bid_deadline_at", "old": "<iso>", "new": "<iso>"}, or for a
    # requirement {"field": "requirement.text" | "requirement.level", "requirement": pk, ...}].
    changes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Who confirmed (or cancelled) it, and when.
    decided_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    ocds_release = models.OneToOneField(
        OcdsRelease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["tender", "number", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"],
                condition=Q(number__isnull=False),
                name="change_notice_unique_number",
            ),
            models.UniqueConstraint(
                fields=["tender"],
                condition=Q(status="pending"),
                name="change_notice_one_pending_per_tender",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed", number__isnull=False)
                | (~Q(status="confirmed") & Q(number__isnull=True)),
                name="change_notice_number_when_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender}: {self.number or '-'} {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
