"""The tender (aanbesteding) built on a programme's frozen figures: its procedure, lots as
published, award criteria, requirements and timeline. Published figures never change in place:
later changes go through a change notice with new document versions."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.text import SingleLineCharField
from tenders.models.aggregation import AggregationSnapshot
from tenders.models.programme import Lot, Programme


class Procedure(models.TextChoices):
    OPEN = "open", _("European open procedure")
    RESTRICTED = "restricted", _("European restricted procedure")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    NATIONAL_OPEN = "national_open", _("National open procedure")


class TenderQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see: every tender once published (also closed, awarded, cancelled)."""
        return self.exclude(status=Tender.Status.DRAFT)

    def with_snapshot(self):
        """With the programme and the frozen snapshot in the same query, but without the
        snapshot's list of every authority (thousands of entries in one JSON column; no page
        of the tender shows it whole, and it is read when asked for)."""
        return self.select_related("programme", "snapshot").defer("snapshot__authorities")


class Tender(models.Model):
    """One tender per programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed for bids")
        AWARD_DECISION = "award_decision", _("Award decision (standstill)")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, related_name="tender")
    snapshot = models.ForeignKey(
        AggregationSnapshot,
        on_delete=models.PROTECT,
        related_name="tenders",
        help_text=_("The frozen calculation the tender's figures come from."),
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = SingleLineCharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    procedure = models.CharField(
        _("procedure"), max_length=24, choices=Procedure.choices, default=Procedure.OPEN
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The choices that shorten the minimum period for bids (2014/24/EU art. 27).
    electronic_submission = models.BooleanField(
        _("bids are submitted electronically"), default=True
    )
    prior_information_notice_at = models.DateField(
        _("prior information notice published on"), null=True, blank=True
    )
    # The timeline, as aware datetimes (UTC); the contract start is a date.
    publication_at = models.DateTimeField(_("dispatch of the notice"), null=True, blank=True)
    question_deadline_at = models.DateTimeField(_("deadline for questions"), null=True, blank=True)
    answers_at = models.DateTimeField(
        _("answers (nota van inlichtingen) published by"), null=True, blank=True
    )
    bid_deadline_at = models.DateTimeField(_("deadline for bids"), null=True, blank=True)
    opening_at = models.DateTimeField(_("opening of the bids"), null=True, blank=True)
    award_decision_at = models.DateTimeField(_("planned award decision"), null=True, blank=True)
    standstill_end_at = models.DateTimeField(_("end of the standstill"), null=True, blank=True)
    contract_start = models.DateField(_("start of the framework agreements"), null=True, blank=True)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the last document of the newest request of the document set was made (each
    # document is a task of its own, on any of the worker's processes; the one that finishes
    # last records it: tenders.services.documents). Empty while a document is on its way or
    # failed.
    documents_ready_at = models.DateTimeField(null=True, blank=True)

    objects = TenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class TenderLot(models.Model):
    """A lot as published: its figures copied from the frozen snapshot (whole term)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("number"))
    title = SingleLineCharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.PositiveBigIntegerField(_("estimated quantity"))
    maximum_quantity = models.PositiveBigIntegerField(_("maximum quantity"))
    estimated_value = models.DecimalField(_("estimated value"), max_digits=16, decimal_places=2)
    maximum_value = models.DecimalField(_("maximum value"), max_digits=16, decimal_places=2)
    option_value = models.DecimalField(
        _("maximum value of the extension options"), max_digits=16, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("lot of a tender")
        verbose_name_plural = _("lots of a tender")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="tender_lot_unique_number")
        ]

    def __str__(self) -> str:
        return f"{_('Lot')} {self.number}: {self.title}"


class AwardCriterion(models.Model):
    """Best price-quality ratio (2014/24/EU art. 67): the criteria and their weights, which add
    up to 100."""

    class Kind(models.TextChoices):
        PRICE = "price", _("Price")
        QUALITY = "quality", _("Quality")
        SUSTAINABILITY = "sustainability", _("Sustainability")

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = SingleLineCharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (points of 100)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["tender", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="award_criterion_weight_1_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Requirement(models.Model):
    """A requirement of the tender as data: sustainability (TCO Certified, EPEAT, take-back,
    certified data erasure, SROI), exclusion grounds and suitability (the UEA/ESPD)."""

    class Kind(models.TextChoices):
        TCO_CERTIFIED = "tco_certified", _("TCO Certified")
        EPEAT = "epeat", _("EPEAT")
        TAKE_BACK = "take_back", _("Take-back of used equipment")
        DATA_ERASURE = "data_erasure", _("Certified data erasure")
        SROI = "sroi", _("Social return (SROI)")
        EXCLUSION = "exclusion", _("Exclusion ground (UEA part III)")
        TURNOVER = "turnover", _("Minimum yearly turnover (UEA part IV.B)")
        REFERENCES = "references", _("Comparable deliveries (UEA part IV.C)")
        CERTIFICATION = "certification", _("Quality or security certification (UEA part IV.D)")

    SUSTAINABILITY = (
        Kind.TCO_CERTIFIED,
        Kind.EPEAT,
        Kind.TAKE_BACK,
        Kind.DATA_ERASURE,
        Kind.SROI,
    )

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The measurable level: "Gold" for EPEAT, "generation 10" for TCO, a percentage for SROI, an
    # amount in EUR for turnover, a number for references, a standard (ISO 27001) ...
    level = models.CharField(_("level"), max_length=100, blank=True)
    amount = models.DecimalField(
        _("amount or percentage"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lots = models.ManyToManyField(TenderLot, blank=True, related_name="requirements")
    mandatory = models.BooleanField(_("minimum requirement (knock-out)"), default=True)
    text = models.TextField(_("requirement as worded in the documents"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["tender", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.level}"


class TenderAward(models.Model):
    """A supplier to whom a lot is to be awarded (the award decision), or awarded once the
    standstill has passed. A framework agreement may have several suppliers per lot."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="awards")
    lot = models.ForeignKey(TenderLot, on_delete=models.PROTECT, related_name="awards")
    supplier = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["lot__number", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "supplier"], name="tender_award_once_per_lot")
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.supplier}"


class TenderEvent(models.Model):
    """A step of the tender's status (published, closed, award decision, awarded, cancelled),
    with who and why: shown on the public page and the source of the OCDS releases."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=Tender.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["tender", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.tender}: {self.status}"


class PublicationRequest(models.Model):
    """Publication, asked by one project-team member and confirmed by another (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="publications")
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
        verbose_name = _("publication request")
        verbose_name_plural = _("publication requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender"],
                condition=Q(status="pending"),
                name="publication_one_pending_per_tender",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tender}: {self.get_status_display()}"
