"""The joint tender (programme) and its timeline. A programme is data: the next GT programme
needs no code changes."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.text import SingleLineCharField


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
    name = SingleLineCharField(_("name"), max_length=200)
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
    name = SingleLineCharField(_("name"), max_length=200)
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
    makes sure the same scheduled reminder is never sent twice, also when two workers run at
    once. A reminder the project team sends by hand records who sent it (``sent_by``); those
    may repeat, at most once a day (``tenders.services.reminders``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("milestone"), max_length=30, choices=Milestone.Kind.choices)
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        "portal.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "kind", "days_before"],
                condition=models.Q(sent_by__isnull=True),
                name="reminder_sent_once",
            )
        ]
        indexes = [models.Index(fields=["programme", "organisation", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.programme}: {self.organisation} ({self.kind}, {self.days_before})"
