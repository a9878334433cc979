"""Clarification questions (vragen ter verduidelijking) and their published answers."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation, supplier_member_filter


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
        return self.filter(published | supplier_member_filter(user)).distinct()

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
        db_table = "tenders_clarificationquestion"
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
