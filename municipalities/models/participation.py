"""Who buys: the municipality register (versioned, with successors for mergers)."""

import uuid

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, ScannedFile
from portal.tenancy import member_of
from portal.text import SingleLineCharField


class Province(models.TextChoices):
    DRENTHE = "Drenthe", "Drenthe"
    FLEVOLAND = "Flevoland", "Flevoland"
    FRYSLAN = "Fryslân", "Fryslân"
    GELDERLAND = "Gelderland", "Gelderland"
    GRONINGEN = "Groningen", "Groningen"
    LIMBURG = "Limburg", "Limburg"
    NOORD_BRABANT = "Noord-Brabant", "Noord-Brabant"
    NOORD_HOLLAND = "Noord-Holland", "Noord-Holland"
    OVERIJSSEL = "Overijssel", "Overijssel"
    UTRECHT = "Utrecht", "Utrecht"
    ZEELAND = "Zeeland", "Zeeland"
    ZUID_HOLLAND = "Zuid-Holland", "Zuid-Holland"


class MunicipalityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_until__isnull=True)


class Municipality(models.Model):
    """A municipality as registered by CBS. Mergers end a row (``valid_until``) and name the
    successor, so that a four-year framework can keep referring to the old authority."""

    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True)  # "GM0363"
    name = models.CharField(_("name"), max_length=120)
    cbs_name = models.CharField(_("CBS name"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population reference date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipality",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("organisation in the portal"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "cbs_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.cbs_name or self.name


def municipality_name(prefix: str = "") -> Coalesce:
    """A municipality's name as ``str(municipality)`` gives it (its CBS name, else its name),
    made by the database; ``prefix`` is the path to the municipality ("municipality__")."""
    return Coalesce(NullIf(f"{prefix}cbs_name", Value("")), f"{prefix}name")


class JointBodyMunicipality(models.Model):
    """A joint body (deelneming, shared-service organisation) acts for these municipalities."""

    joint_body = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="covered_municipalities",
        limit_choices_to={"kind": Organisation.Kind.JOINT_BODY},
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="joint_bodies"
    )

    class Meta:
        verbose_name = _("municipality of a joint body")
        verbose_name_plural = _("municipalities of joint bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_body", "municipality"], name="joint_body_municipality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.joint_body} → {self.municipality}"


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members of the participating organisation and the project team; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(member_of(user))

    def active(self):
        return self.exclude(status=Participation.Status.WITHDRAWN)


class Participation(models.Model):
    """A municipality or joint body joins a programme (deelname) and mandates the VNG."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A lower app reads what it needs of a programme through this key; it never imports tenders.
    programme = models.ForeignKey(
        "tenders.Programme", on_delete=models.PROTECT, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    current_contract_end = models.DateField(
        _("end date of the current hardware contract"), null=True, blank=True
    )
    lots = models.ManyToManyField(
        "tenders.Lot", blank=True, related_name="participations", verbose_name=_("lots of interest")
    )
    # A joint body or another contracting authority (deelneming) may join in its own right, for
    # its own staff: it covers no municipality and records its demand under the municipality
    # where it is established (for the province breakdown).
    own_staff = models.BooleanField(_("buys for its own staff"), default=False)
    seat_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality where the organisation is established"),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=~Q(status="withdrawn"),
                name="participation_one_active_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.programme}"

    @property
    def covered_now(self) -> list["CoveredMunicipality"]:
        """The municipalities it covers now (not those it covered before a change), from the
        prefetched ``covered`` when there is one."""
        return [covered for covered in self.covered.all() if covered.is_active]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class CoveredMunicipality(models.Model):
    """A municipality covered by a participation. A municipality is covered at most once per
    programme (database constraint); withdrawal releases it."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="covered"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="coverages"
    )
    # Copied from the participation so that the database can enforce the rule.
    programme = models.ForeignKey("tenders.Programme", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("covered municipality")
        verbose_name_plural = _("covered municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"],
                condition=Q(is_active=True),
                name="municipality_covered_once_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} via {self.participation}"


class ContactPerson(models.Model):
    class Kind(models.TextChoices):
        PROCUREMENT = "procurement", _("Procurement")
        ICT_WORKPLACE = "ict_workplace", _("ICT workplace")
        CONTRACT_MANAGEMENT = "contract_management", _("Contract management")

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = SingleLineCharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = SingleLineCharField(_("telephone number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["participation", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "kind"], name="contact_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


def mandate_upload_to(instance, filename: str) -> str:
    return f"mandates/{instance.participation.public_id}/{uuid.uuid4().hex}.pdf"


class MandateDocument(models.Model):
    """A generated mandate PDF: an immutable version with its SHA-256. Rendered by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="mandate_documents"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=mandate_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    change_note = models.CharField(max_length=200, blank=True)
    # Who is to sign and on what authority, copied from the participation's signing authority
    # when the version is requested: a version always names the person it was made for.
    signatory_name = SingleLineCharField(_("name of the signatory"), max_length=200)
    signatory_function = SingleLineCharField(_("function of the signatory"), max_length=200)
    signer_basis = models.CharField(max_length=12, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(max_length=100, blank=True)
    # Set when the coverage, the signer or the decision changed after this version was made:
    # the text no longer matches, and a new version has to be generated and signed.
    outdated_at = models.DateTimeField(null=True, blank=True)
    outdated_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # When a worker last took the job up: a version running long after it was lost its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mandate document")
        verbose_name_plural = _("mandate documents")
        ordering = ["participation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "version"], name="mandate_document_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} v{self.version}"


class MandateSignature(ScannedFile):
    """The completed mandate: a signed scan uploaded, or signed in the portal by the
    designated signer who re-confirmed with MFA. Records exactly which document.

    ``sha256`` is the SHA-256 of the signed version (the generated document); ``file_sha256``
    that of the stored file (the uploaded scan; for a portal signature the sealed copy with
    its signature page, see ``MandateSeal``). A signature is never deleted: a change of
    coverage or signer voids it (``voided_at``), and the row stays as evidence."""

    class Method(models.TextChoices):
        UPLOAD = "upload", _("Signed scan uploaded")
        PORTAL = "portal", _("Signed in the portal")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="mandate_signatures"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    document = models.ForeignKey(
        MandateDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_file = models.FileField(upload_to=mandate_upload_to, blank=True)
    sha256 = models.CharField(max_length=64)
    signatory = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signatory_name = SingleLineCharField(_("name of the signatory"), max_length=200)
    signatory_function = SingleLineCharField(_("function of the signatory"), max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mfa_confirmed_at = models.DateTimeField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # A scan uploaded by someone other than the designated signer counts only after the
    # project team checked it against the designation.
    needs_check = models.BooleanField(default=False)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("mandate signature")
        verbose_name_plural = _("mandate signatures")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.participation}: {self.signatory_name}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def awaits_check(self) -> bool:
        return self.needs_check and self.checked_at is None
