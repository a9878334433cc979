"""Demand (inventarisatie): what each participant expects to buy, per municipality, catalogue
category and contract year. What is entered here becomes, after aggregation, the estimated and
maximum volumes of the framework, so every submitted version is immutable and traceable."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models.participation import Municipality, Participation
from portal.tenancy import member_of


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The participant's members and the project team; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(member_of(user, "participation__organisation"))


class Demand(models.Model):
    """The working copy of one participation's demand. Submitting freezes it into a
    DemandVersion; the working copy stays editable until the deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="demand"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic concurrency: every save of the working copy increments the revision; a save
    # based on an older revision is refused with a conflict instead of overwriting.
    revision = models.PositiveIntegerField(default=0)
    deadline_extended_until = models.DateTimeField(
        _("deadline extended until"), null=True, blank=True
    )
    return_comment = models.TextField(_("comment of the project team"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demand")

    def __str__(self) -> str:
        return f"{self.participation}"

    @property
    def deadline(self):
        """The demand deadline for this participant: the programme's, or its extension."""
        programme_deadline = self.participation.programme.milestone_at("demand_deadline")
        if self.deadline_extended_until and (
            programme_deadline is None or self.deadline_extended_until > programme_deadline
        ):
            return self.deadline_extended_until
        return programme_deadline

    @property
    def is_open(self) -> bool:
        deadline = self.deadline
        return deadline is None or timezone.now() < deadline


class DemandProfile(models.Model):
    """Size of a covered municipality's organisation, for plausibility checks."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="profiles")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    workplaces = models.PositiveIntegerField(_("number of workplaces"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "municipality"], name="demand_profile_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.employees} employees"


class DemandLine(models.Model):
    """Working copy: expected quantity of one category in one contract year for one
    municipality, with an optional range."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    min_quantity = models.PositiveIntegerField(_("minimum"), null=True, blank=True)
    max_quantity = models.PositiveIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "municipality", "category", "year"], name="demand_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__isnull=True) | Q(min_quantity__lte=models.F("quantity")),
                name="demand_line_min_not_above_quantity",
            ),
            models.CheckConstraint(
                condition=Q(max_quantity__isnull=True) | Q(max_quantity__gte=models.F("quantity")),
                name="demand_line_max_not_below_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.category} {self.year}: {self.quantity}"


class DemandCategoryOption(models.Model):
    """Per municipality and category: the services wanted with it, and a remark."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="options")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    services = models.JSONField(_("services wanted"), default=list, blank=True)  # service slugs
    remark = models.CharField(_("remark"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "municipality", "category"], name="demand_option_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.category}: {', '.join(self.services)}"


class DemandVersion(models.Model):
    """An immutable submitted version. Its lines are stored as rows (for aggregation in the
    database) and the whole version as JSON with its SHA-256 (for traceability)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=10, default="form")  # form, excel, api

    class Meta:
        ordering = ["demand", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="demand_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.demand} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Submitted demand versions are immutable.")
        super().save(*args, **kwargs)


class DemandVersionLine(models.Model):
    version = models.ForeignKey(DemandVersion, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quantity = models.PositiveIntegerField()
    min_quantity = models.PositiveIntegerField(null=True, blank=True)
    max_quantity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "municipality", "category", "year"],
                name="demand_version_line_unique",
            )
        ]
        indexes = [models.Index(fields=["category", "year"])]

    def __str__(self) -> str:
        return f"{self.version}: {self.municipality} {self.category} {self.year} = {self.quantity}"
