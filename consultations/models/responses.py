"""A supplier's response to a consultation, its answers and its frozen submissions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation
from consultations.models.questionnaire import QuestionnaireVersion
from portal.models import Organisation, ScannedFile
from portal.tenancy import member_of


class ConsultationResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Answers are confidential: a supplier sees only its own response; the project team,
        # which runs the consultation, sees them all.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(member_of(user), organisation__kind=Organisation.Kind.SUPPLIER)


class ConsultationResponse(models.Model):
    """A supplier's answers to a market consultation, tied to the questionnaire version it
    answers. One per supplier and consultation; revised until the consultation closes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="consultation_responses",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
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
        db_table = "suppliers_consultationresponse"
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


class Answer(ScannedFile):
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
    # Without content (no value, or an empty one, and no file), as the database keeps it: the
    # review counts filter on it without reading every long text (decision 0027).
    is_blank = models.GeneratedField(
        expression=models.ExpressionWrapper(
            (
                models.Q(value__isnull=True)
                | models.Q(value=models.JSONNull())
                | models.Q(value="")
                | models.Q(value=[])
                | models.Q(value={})
            )
            & models.Q(file=""),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        db_table = "suppliers_answer"
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_key"], name="answer_unique_question_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.question_key}"


class ResponseSubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Like the response itself: the supplier's own members and the project team.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_project_team:
            return self
        return self.filter(
            member_of(user, "response__organisation"),
            response__organisation__kind=Organisation.Kind.SUPPLIER,
        )


class ResponseSubmission(models.Model):
    """What a supplier submitted, frozen at the moment of submitting: the answers as sent,
    tied to the questionnaire version they answered. A later questionnaire version, a revision
    or a carried-over draft never changes it (immutable, like a demand version)."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("submission"))
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="submissions"
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
        db_table = "suppliers_responsesubmission"
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
