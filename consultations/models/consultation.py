"""A market consultation (marktconsultatie): the announcement and its documents."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ScannedFile
from portal.tenancy import member_of
from portal.text import SingleLineCharField
from tenders.models import Programme


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A published consultation is a public announcement; drafts are the project team's.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.published()

    def published(self):
        return self.exclude(status=Consultation.Status.DRAFT)

    def raise_review_revision(self) -> int:
        """Name a new state of what the review counts read (a review, a questionnaire version
        published): counts kept of the state before are not used again."""
        return self.update(review_revision=models.F("review_revision") + 1)


class Consultation(models.Model):
    """A market consultation of a programme: an announcement, documents and a questionnaire."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="consultations")
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = SingleLineCharField(_("title"), max_length=200)
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
    # Raised (``raise_review_revision``) in the transaction of every review of an answer and
    # of every questionnaire version published: a closed consultation's review counts are
    # kept under it (consultations.selectors.review.kept_if_closed).
    review_revision = models.PositiveIntegerField(default=0, editable=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        db_table = "tenders_consultation"
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

        now = timezone.now()
        if self.status != self.Status.PUBLISHED or now >= self.closes_at:
            raise ValidationError(_("This market consultation is closed."), code="closed")
        if now < self.opens_at:
            raise ValidationError(_("This market consultation is not open yet."), code="not_open")


def consultation_document_upload_to(instance, filename: str) -> str:
    # Under MEDIA_ROOT, which is outside the web root: files are served by a view only.
    return f"consultations/{instance.consultation.public_id}/{uuid.uuid4().hex}.pdf"


class ConsultationDocument(ScannedFile):
    """A PDF published with a consultation (for example a draft requirements specification)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = SingleLineCharField(_("title"), max_length=200)
    file = models.FileField(upload_to=consultation_document_upload_to)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "tenders_consultationdocument"
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


def supplier_member_filter(user, prefix: str = "organisation") -> models.Q:
    """Rows of the suppliers the user is a member of."""
    return member_of(user, prefix) & models.Q(**{f"{prefix}__kind": "supplier"})
