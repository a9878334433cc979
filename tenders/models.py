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


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PREPARATION = "preparation", _("Preparation")
        JOINING = "joining", _("Joining open")
        INVENTORY = "inventory", _("Demand inventory")
        CONSULTATION = "consultation", _("Market consultation")
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
        freeze_at = self.freeze_at
        return freeze_at is not None and freeze_at <= timezone.now()

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
    """The EU threshold for supplies and services of sub-central authorities, with its
    validity (EUR 216,000 for 2026-2027). Data, not code: it changes every two years."""

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
    above_threshold = models.BooleanField(default=False)

    class Meta:
        ordering = ["lot__number", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "lot", "year"], name="snapshot_lot_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.lot} {self.year or 'all'}"


# --- Market consultation (marktconsultatie) ----------------------------------------------------


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A published consultation is a public announcement; drafts are the project team's.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.published()

    def published(self):
        return self.exclude(status=Consultation.Status.DRAFT)


class Consultation(models.Model):
    """A market consultation of a programme: an announcement, documents and a questionnaire."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="consultations")
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("market consultation")
        verbose_name_plural = _("market consultations")
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() >= self.closes_at

    def require_open(self) -> None:
        """Raise ValidationError (code ``closed`` or ``not_open``) unless suppliers may act
        now. The server's clock decides, in aware datetimes (the period is set and shown in
        Europe/Amsterdam)."""
        from django.core.exceptions import ValidationError

        now = timezone.now()
        if self.status != self.Status.PUBLISHED or now >= self.closes_at:
            raise ValidationError(_("This market consultation is closed."), code="closed")
        if now < self.opens_at:
            raise ValidationError(_("This market consultation is not open yet."), code="not_open")


def consultation_document_upload_to(instance, filename: str) -> str:
    # Under MEDIA_ROOT, which is outside the web root: files are served by a view only.
    return f"consultations/{instance.consultation.public_id}/{uuid.uuid4().hex}.pdf"


class ConsultationDocument(models.Model):
    """A PDF published with a consultation (for example a draft requirements specification)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=consultation_document_upload_to)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """One version of a consultation's questionnaire. A published version never changes, so
    an answer (version, question key) always means what the supplier saw."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="questionnaire_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(status="draft"),
                name="questionnaire_one_draft_per_consultation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {_('version')} {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class QuestionSection(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    # Stable across versions: a copied section keeps its key.
    key = models.SlugField(_("key"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("questionnaire section")
        verbose_name_plural = _("questionnaire sections")
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_section_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of one questionnaire version. Its ``key`` stays the same in every version,
    so answers refer to (version, key)."""

    class Type(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        FILE = "file", _("File")
        PRICE_PER_ITEM = "price_per_item", _("Price per catalogue item")

    CHOICE_TYPES = (Type.SINGLE_CHOICE, Type.MULTIPLE_CHOICE)

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(QuestionSection, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=60)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("explanation"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    categories = models.ManyToManyField(
        "catalog.Category", related_name="+", blank=True, verbose_name=_("categories")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"


def _supplier_org_filter(user, prefix: str = "organisation") -> models.Q:
    """Rows of the suppliers the user is a member of."""
    return models.Q(
        **{
            f"{prefix}__memberships__user": user,
            f"{prefix}__kind": "supplier",
        }
    )


class ClarificationQuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A supplier sees its own questions (with their status) and the published ones (which
        # carry no questioner); the project team sees all. Municipalities see the published
        # questions only, like the public page.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        published = models.Q(status=ClarificationQuestion.Status.PUBLISHED)
        if not getattr(user, "is_authenticated", False):
            return self.filter(published)
        return self.filter(published | _supplier_org_filter(user)).distinct()

    def published(self):
        return self.filter(status=ClarificationQuestion.Status.PUBLISHED)


class ClarificationQuestion(models.Model):
    """A supplier's question during a consultation (vraag ter verduidelijking). The project
    team answers it; the answer is published to all suppliers *without* the questioner's
    identity, under a (possibly rephrased) public wording of the question."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting answer")
        PUBLISHED = "published", _("Answered and published")
        REJECTED = "rejected", _("Not answered")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="clarification_questions"
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.CASCADE,
        related_name="clarification_questions",
        limit_choices_to={"kind": "supplier"},
    )
    asked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    question = models.TextField(_("question"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Numbered on publication (1, 2, …) so the published list reads like a "nota van
    # inlichtingen" and the numbering does not reveal who asked or when.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    public_question = models.TextField(_("published question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ClarificationQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["consultation", "number", "asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"],
                condition=models.Q(number__isnull=False),
                name="clarification_unique_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | (
                    models.Q(number__isnull=False, published_at__isnull=False)
                    & ~models.Q(answer="")
                    & ~models.Q(public_question="")
                ),
                name="clarification_published_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.question[:60]}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class TalkSlotQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The project team sees every slot; a supplier sees the free slots (to book one) and
        # its own booking; nobody else sees any.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        if not user.memberships.filter(organisation__kind="supplier").exists():
            return self.none()
        return self.filter(models.Q(organisation__isnull=True) | _supplier_org_filter(user))


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

    objects = TalkSlotQuerySet.as_manager()

    class Meta:
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
    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsultationReportQuerySet.as_manager()

    class Meta:
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
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {_('report')} {self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
