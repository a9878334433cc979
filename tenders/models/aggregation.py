"""The aggregation of demand: runs, immutable snapshots with their totals, the EU threshold,
the authorities per lot of a frozen snapshot and the unfreeze."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.programme import AuthorityType, ContractType, Lot, Programme


class EuThreshold(models.Model):
    """An EU threshold (2014/24/EU art. 4) for one kind of authority and contract, with its
    validity (EUR 216,000 for supplies of sub-central authorities in 2026-2027). Data, not code:
    it changes every two years."""

    authority_type = models.CharField(
        _("kind of contracting authority"),
        max_length=12,
        choices=AuthorityType.choices,
        default=AuthorityType.SUB_CENTRAL,
    )
    contract_type = models.CharField(
        _("kind of contract"),
        max_length=12,
        choices=ContractType.choices,
        default=ContractType.SUPPLIES,
    )
    amount = models.DecimalField(_("amount (EUR, excl. VAT)"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    label = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("EU threshold")
        verbose_name_plural = _("EU thresholds")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"€ {self.amount} ({self.valid_from} – {self.valid_until or '…'})"


class AggregationRun(models.Model):
    """One aggregation of a programme's demand, run by a worker. At most one run per programme
    is queued or running; a request during a run asks for exactly one follow-up run."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    follow_up_requested = models.BooleanField(default=False)
    reason = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("aggregation run")
        verbose_name_plural = _("aggregation runs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status__in=["queued", "running"]),
                name="aggregation_one_active_run_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_status_display()} ({self.requested_at:%Y-%m-%d %H:%M})"


class AggregationSnapshot(models.Model):
    """The immutable result of one run: exactly which submitted versions it included, the
    totals, and (when frozen) the list of participating authorities."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="snapshots")
    run = models.OneToOneField(
        AggregationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="snapshot"
    )
    created_at = models.DateTimeField(default=timezone.now)
    included_versions = models.ManyToManyField(
        "municipalities.DemandVersion", related_name="snapshots", blank=True
    )
    threshold_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # The threshold is the one in force when the call for competition is sent (2014/24/EU
    # art. 5(5)): the planned publication date, recorded with the verdict it led to.
    threshold_date = models.DateField(null=True, blank=True)
    # The estimated value of the procurement (art. 5(1) and 5(8)): the maximum value of all lots
    # over the whole term including the extension options.
    procurement_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    above_threshold = models.BooleanField(null=True, blank=True)
    # Categories with demand but without a reference price (their value is unknown).
    unpriced_categories = models.JSONField(default=list, blank=True)
    # Approved participants without submitted demand, left out by a recorded decision.
    excluded_participants = models.JSONField(default=list, blank=True)
    unfrozen_at = models.DateTimeField(null=True, blank=True)
    is_frozen = models.BooleanField(default=False)
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # At freezing: the contracting authorities that may use the framework (CBS code, name and
    # the participant they take part through).
    authorities = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("aggregation snapshot")
        verbose_name_plural = _("aggregation snapshots")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(is_frozen=True),
                name="aggregation_one_frozen_snapshot_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.created_at:%Y-%m-%d %H:%M}"


class SnapshotTotal(models.Model):
    """Total quantity of one category in one year, per lot, province and size class, as the
    database grouped it. Immutable with its snapshot."""

    snapshot = models.ForeignKey(
        AggregationSnapshot, on_delete=models.CASCADE, related_name="totals"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    province = models.CharField(max_length=20)
    size_class = models.CharField(max_length=12)
    quantity = models.PositiveBigIntegerField()
    participants = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "lot", "year"])]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.category} {self.year} = {self.quantity}"


class SnapshotLotTotal(models.Model):
    """Per lot and year (year 0 = the whole term): quantity, estimated and maximum value,
    participants, and whether the lot is above the EU threshold."""

    snapshot = models.ForeignKey(
        AggregationSnapshot, on_delete=models.CASCADE, related_name="lot_totals"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quantity = models.PositiveBigIntegerField()
    maximum_quantity = models.PositiveBigIntegerField()
    estimated_value = models.DecimalField(max_digits=16, decimal_places=2)
    maximum_value = models.DecimalField(max_digits=16, decimal_places=2)
    participants = models.PositiveIntegerField()
    # The lot falls under the EU procedure: the procurement is at or above the threshold and the
    # lot is not exempted by the small-lots rule (art. 5(10)).
    above_threshold = models.BooleanField(default=False)
    # Whole term only (year 0): the maximum value of the extension options, and whether the lot
    # may be awarded without the EU procedure under the small-lots rule.
    option_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    small_lot_exempt = models.BooleanField(default=False)

    class Meta:
        ordering = ["lot__number", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "lot", "year"], name="snapshot_lot_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.lot} {self.year or 'all'}"


class LotAuthority(models.Model):
    """A contracting authority that may call off under one lot of the frozen framework, with
    its estimate and maximum (CJEU C-216/17 and C-23/20). The contract phase counts call-offs
    against these rows."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        JOINT_BODY = "joint_body", _("Joint body")
        OTHER_AUTHORITY = "other_authority", _("Other contracting authority")

    class Scheme(models.TextChoices):
        CBS = "cbs", _("CBS code")
        OIN = "oin", _("OIN")
        KVK = "kvk", _("KvK number")
        NONE = "", _("No identifier")

    snapshot = models.ForeignKey(
        AggregationSnapshot, on_delete=models.CASCADE, related_name="lot_authorities"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    scheme = models.CharField(max_length=3, choices=Scheme.choices, blank=True)
    identifier = models.CharField(max_length=20, blank=True)
    participation = models.ForeignKey(
        "municipalities.Participation", on_delete=models.PROTECT, related_name="+"
    )
    # A joint body places the call-offs of the municipalities it covers: named for them, its
    # figures are theirs together (not counted twice in the lot's total).
    on_behalf_of = models.JSONField(default=list, blank=True)
    quantity = models.PositiveBigIntegerField(default=0)
    maximum_quantity = models.PositiveBigIntegerField(default=0)
    estimated_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    maximum_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    has_demand = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("authority of a lot")
        verbose_name_plural = _("authorities of a lot")
        ordering = ["lot__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "lot", "kind", "scheme", "identifier", "name"],
                name="lot_authority_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.name}"


class UnfreezeRequest(models.Model):
    """An unfreeze of the demand, asked with a reason by one project-team member and confirmed
    by another (four eyes); possible until publication."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    snapshot = models.ForeignKey(
        AggregationSnapshot, on_delete=models.CASCADE, related_name="unfreeze_requests"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unfreeze request")
        verbose_name_plural = _("unfreeze requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot"],
                condition=models.Q(status="pending"),
                name="unfreeze_one_pending_per_snapshot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.get_status_display()}"
