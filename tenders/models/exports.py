"""Exports of a programme that grow with every municipality's demand (the demand inventory with
every line, the frozen aggregation with every participant's contribution): made by a worker
into a file, with a status page and a download when ready (docs/decisions/0034)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.aggregation import AggregationSnapshot
from tenders.models.programme import Programme


class ProgrammeExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The project team's, like the overviews they are made of (viewers included).
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.none()


def programme_export_upload_to(instance, filename: str) -> str:
    return f"tenders/{instance.programme.public_id}/exports/{uuid.uuid4().hex}.xlsx"


class ProgrammeExport(models.Model):
    class Kind(models.TextChoices):
        DEMAND = "demand", _("Submitted demand with every line")
        AGGREGATION = "aggregation", _("Aggregation with every participant's contribution")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The snapshot of an aggregation export (a snapshot never changes, so neither does its
    # export); empty for the demand export, which is of the demand at the time it is made.
    snapshot = models.ForeignKey(
        AggregationSnapshot, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # The language of the person who asked: the headers and labels of the workbook.
    language = models.CharField(max_length=8, default="nl")
    # Progress while it is made: rows written of the rows to write (0 while unknown).
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=programme_export_upload_to, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # When a worker last took it up: one running long after that lost its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme export")
        verbose_name_plural = _("programme exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One export of a kind (and snapshot) is made at a time: asking again while it is
            # made shows the one under way.
            # (Two constraints, not one with NULLS NOT DISTINCT, which SQLite does not have.)
            models.UniqueConstraint(
                fields=["programme", "kind"],
                condition=models.Q(status__in=["queued", "running"], snapshot__isnull=True),
                name="programme_export_one_unfinished",
            ),
            models.UniqueConstraint(
                fields=["programme", "kind", "snapshot"],
                condition=models.Q(status__in=["queued", "running"], snapshot__isnull=False),
                name="programme_export_one_unfinished_of_snapshot",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="aggregation", snapshot__isnull=False)
                | models.Q(kind="demand", snapshot__isnull=True),
                name="programme_export_snapshot_of_aggregation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_unfinished(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent_done(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)
