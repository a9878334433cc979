"""The joint tender (programme) and its timeline. A programme is data: the next GT programme
needs no code changes."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A programme's existence and timeline are public information (the tender is announced);
        # drafts are seen by the project team alone.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.exclude(status=Programme.Status.DRAFT)


class AuthorityType(models.TextChoices):
    """Which EU threshold applies (2014/24/EU art. 4): municipalities are sub-central."""

    SUB_CENTRAL = "sub_central", _("Sub-central contracting authority")
    CENTRAL = "central", _("Central government authority")


class ContractType(models.TextChoices):
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")
    WORKS = "works", _("Works")


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PREPARATION = "preparation", _("Preparation")
        JOINING = "joining", _("Joining open")
        INVENTORY = "inventory", _("Demand inventory")
        CONSULTATION = "consultation", _("Market consultation")
        FROZEN = "frozen", _("Demand frozen")
        PUBLISHED = "published", _("Published")
        AWARDED = "awarded", _("Awarded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    contract_start_year = models.PositiveSmallIntegerField(_("first contract year"))
    contract_years = models.PositiveSmallIntegerField(_("contract term in years"), default=4)
    # Options to extend the term, in whole years: they count toward the EU threshold estimate.
    extension_years = models.PositiveSmallIntegerField(_("extension options in years"), default=0)
    term_justification = models.TextField(
        _("justification of a term over four years"),
        blank=True,
        help_text=_("Required when the term with its extensions exceeds four years."),
    )
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
    # Set when a snapshot is frozen, cleared by an unfreeze: the demand, the participations and
    # the deadlines are locked while it is set (apps below tenders read it through their key).
    frozen_at = models.DateTimeField(_("demand frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-contract_start_year", "name"]

    def __str__(self) -> str:
        return self.name

    def milestone_at(self, kind: str):
        """The date and time of one milestone, or None (uses prefetched milestones)."""
        for milestone in self.milestones.all():
            if milestone.kind == kind:
                return milestone.due_at
        return None

    @property
    def joining_deadline(self):
        return self.milestone_at(Milestone.Kind.JOINING_DEADLINE)

    @property
    def freeze_at(self):
        return self.milestone_at(Milestone.Kind.FREEZE)

    @property
    def is_frozen(self) -> bool:
        """Whether the demand is frozen: a snapshot was frozen and not unfrozen."""
        return self.frozen_at is not None

    @property
    def years(self) -> list[int]:
        return list(range(self.contract_start_year, self.contract_start_year + self.contract_years))


class Milestone(models.Model):
    """A dated step in a programme's timeline, stored as an aware datetime (UTC)."""

    class Kind(models.TextChoices):
        JOINING_OPENS = "joining_opens", _("Joining opens")
        JOINING_DEADLINE = "joining_deadline", _("Joining deadline")
        DEMAND_DEADLINE = "demand_deadline", _("Demand deadline")
        CONSULTATION_START = "consultation_start", _("Market consultation starts")
        CONSULTATION_END = "consultation_end", _("Market consultation ends")
        FREEZE = "freeze", _("Demand frozen")
        PLANNED_PUBLICATION = "planned_publication", _("Planned publication")
        CONTRACT_START = "contract_start", _("Framework agreements start")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField(_("date and time"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="milestone_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_kind_display()}"

    @property
    def is_past(self) -> bool:
        return self.due_at <= timezone.now()


class MilestoneChange(models.Model):
    """A deadline moved (joining deadlines get extended in practice): who, when, why."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="changes")
    old_due_at = models.DateTimeField(_("old date and time"))
    new_due_at = models.DateTimeField(_("new date and time"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.old_due_at} → {self.new_due_at}"


class Lot(models.Model):
    """A lot (perceel) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        "catalog.Category", related_name="lots", blank=True, verbose_name=_("categories")
    )
    cpv_codes = models.ManyToManyField(
        "catalog.CpvCode", related_name="lots", blank=True, verbose_name=_("CPV codes")
    )
    headroom_percent = models.DecimalField(
        _("headroom for the maximum (%)"),
        max_digits=5,
        decimal_places=2,
        default=25,
        help_text=_("The maximum quantity and value are the estimate plus this percentage."),
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="lot_unique_number")
        ]

    def __str__(self) -> str:
        return f"{_('Lot')} {self.number}: {self.name}"


class Reminder(models.Model):
    """A reminder mailed to an organisation before a programme's deadline. The unique constraint
    makes sure the same reminder is never sent twice, also when two workers run at once."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("milestone"), max_length=30, choices=Milestone.Kind.choices)
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "kind", "days_before"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.organisation} ({self.kind}, {self.days_before})"


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
