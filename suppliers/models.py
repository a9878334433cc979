"""Supplier companies are portal Organisations of kind "supplier". Their registration details
(KvK number, address, VAT number) live in SupplierProfile; people who want to join an already
registered company file a JoinRequest that the company's admins decide on."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation


class SupplierProfile(models.Model):
    """Registration details of a supplier. Dutch companies have a KvK number (unique: it is how
    we recognise a company that registers twice); foreign companies have a registration number
    of their own country instead."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    kvk_number = models.CharField(_("KvK number"), max_length=8, unique=True, null=True, blank=True)
    foreign_registration_number = models.CharField(
        _("foreign registration number"), max_length=50, blank=True
    )
    country = models.CharField(_("country"), max_length=2, default="NL")
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__isnull=True) | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="supplierprofile_kvk_number_8_digits",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="supplierprofile_country_alpha2",
            ),
            # A company is identified either by its KvK number or by a foreign registration
            # number together with the country that issued it.
            models.CheckConstraint(
                condition=Q(kvk_number__isnull=False)
                | (~Q(foreign_registration_number="") & ~Q(country="NL")),
                name="supplierprofile_kvk_or_foreign_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.kvk_number or self.foreign_registration_number})"


class JoinRequest(models.Model):
    """A person asks to become a member of an already registered supplier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ConsultationResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Answers are confidential: a supplier sees only its own response; the project team,
        # which runs the consultation, sees them all.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(
            organisation__memberships__user=user,
            organisation__kind=Organisation.Kind.SUPPLIER,
        ).distinct()


class ConsultationResponse(models.Model):
    """A supplier's answers to a market consultation, tied to the questionnaire version it
    answers. One per supplier and consultation; revised until the consultation closes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        "tenders.Consultation", on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="consultation_responses",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    version = models.ForeignKey(
        "tenders.QuestionnaireVersion", on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ConsultationResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        ordering = ["consultation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"],
                name="consultationresponse_one_per_supplier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.consultation}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


def answer_file_upload_to(instance, filename: str) -> str:
    # Under MEDIA_ROOT, outside the web root: only a view that checks access may serve it.
    return f"consultation-responses/{instance.response.public_id}/{uuid.uuid4().hex}.pdf"


class Answer(models.Model):
    """The answer to one question, by its stable key. ``value`` holds the cleaned answer:
    text, a list of options, a boolean, a decimal string, an ISO date, or for a price per
    item a mapping of category id to a decimal string."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question_key = models.SlugField(max_length=60)
    value = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to=answer_file_upload_to, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_key"], name="answer_unique_question_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.question_key}"


class AnswerReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The review of answers for the anonymised report is the project team's work alone.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        return self.none()


class AnswerReview(models.Model):
    """The project team's review of one open (text) answer before it may appear in the
    anonymised report: the redacted text to publish, or the decision to leave it out.
    An answer without a review never reaches the report."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    include = models.BooleanField(_("include in the report"), default=True)
    redacted_text = models.TextField(_("text for the report"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    objects = AnswerReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer review")
        verbose_name_plural = _("answer reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(include=False) | ~models.Q(redacted_text=""),
                name="answerreview_included_has_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer} ({'included' if self.include else 'left out'})"


class ResponseSubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Like the response itself: the supplier's own members and the project team.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(
            response__organisation__memberships__user=user,
            response__organisation__kind=Organisation.Kind.SUPPLIER,
        ).distinct()


class ResponseSubmission(models.Model):
    """What a supplier submitted, frozen at the moment of submitting: the answers as sent,
    tied to the questionnaire version they answered. A later questionnaire version, a revision
    or a carried-over draft never changes it (immutable, like a demand version)."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("submission"))
    version = models.ForeignKey(
        "tenders.QuestionnaireVersion", on_delete=models.PROTECT, related_name="submissions"
    )
    # Question key → the cleaned value as stored in Answer.value (files: name, size, sha256).
    answers = models.JSONField(default=dict)
    # Storage names of the files this submission refers to: never deleted while it exists.
    files = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ResponseSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["response", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "number"], name="responsesubmission_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response} #{self.number} (v{self.version_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submission is immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A submission is immutable.")
