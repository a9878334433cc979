"""The anonymised consultation report: immutable rendered versions."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation

# What a version's change note may hold (the PDF colophon and the API show it whole).
CHANGE_NOTE_MAX_LENGTH = 200
PRICES_REASON_MAX_LENGTH = 500


class ConsultationReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Reports are the project team's until one is published; the published report is
        # public (it contains nothing confidential: that is what the review is for).
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.filter(published_at__isnull=False, status=ConsultationReport.Status.DONE)


def consultation_report_upload_to(instance, filename: str) -> str:
    return f"consultations/{instance.consultation.public_id}/reports/{uuid.uuid4().hex}.pdf"


class ConsultationReport(models.Model):
    """The anonymised report of a closed consultation, rendered to PDF by a Celery task.
    Suppliers appear as "Leverancier A, B, …" (``pseudonyms`` maps response ids to letters,
    fixed when the report is requested). At most one report of a consultation is published."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RENDERING = "rendering", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    pseudonyms = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=consultation_report_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    change_note = models.CharField(_("change note"), max_length=CHANGE_NOTE_MAX_LENGTH, blank=True)
    # Prices stay out of the public report unless the team records why they are included
    # (and then only per category with at least five prices): docs/legal/disclosure.md.
    include_prices = models.BooleanField(_("include prices"), default=False)
    include_prices_reason = models.CharField(
        _("why prices are included"), max_length=PRICES_REASON_MAX_LENGTH, blank=True
    )
    requested_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # When a worker last took the job up: a report rendering long after it was lost its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsultationReportQuerySet.as_manager()

    class Meta:
        db_table = "tenders_consultationreport"
        verbose_name = _("consultation report")
        verbose_name_plural = _("consultation reports")
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultationreport_unique_number"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(published_at__isnull=False),
                name="consultationreport_one_published",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(status="done"),
                name="consultationreport_published_is_done",
            ),
            models.CheckConstraint(
                condition=models.Q(include_prices=False) | ~models.Q(include_prices_reason=""),
                name="consultationreport_prices_have_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {_('report')} {self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
