"""Clarification questions (vragen ter verduidelijking) and their published answers."""

# A question is public once it has a number: answered and published, or not answered for a
# reason that matters to all (published with its neutral wording and the reason).

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation, supplier_member_filter


class ClarificationQuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A supplier sees its own questions (with their status) and the published ones (which
        # carry no questioner); the project team sees all. Municipalities see the published
        # questions only, like the public page.
        if getattr(user, "is_authenticated", False) and user.is_project_team:
            return self
        published = models.Q(number__isnull=False)
        if not getattr(user, "is_authenticated", False):
            return self.filter(published)
        return self.filter(published | supplier_member_filter(user))

    def published(self):
        """What everyone reads: the answered questions and the public rejections."""
        return self.filter(number__isnull=False)


class ClarificationQuestion(models.Model):
    """A supplier's question during a consultation (vraag ter verduidelijking). The project
    team answers it; the answer is published to all suppliers *without* the questioner's
    identity, under a (possibly rephrased) public wording of the question."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting answer")
        PUBLISHED = "published", _("Answered and published")
        REJECTED = "rejected", _("Not answered")

    class RejectionReason(models.TextChoices):
        """Why a question is not answered: a fixed reason, never a private free-text answer
        (what one supplier is told, all are told)."""

        OUT_OF_SCOPE = "out_of_scope", _("Outside the subject of the market consultation")
        ALREADY_ANSWERED = "already_answered", _("Already answered in another question")
        ASKER_ONLY = "asker_only", _("Concerns commercial details of the asking supplier only")
        DUPLICATE = "duplicate", _("The same question was asked before")

    # Reasons that matter to every supplier: the question is published (in neutral words)
    # with the reason, under the next number.
    PUBLIC_REASONS = frozenset({RejectionReason.OUT_OF_SCOPE, RejectionReason.ALREADY_ANSWERED})

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
    rejection_reason = models.CharField(
        _("reason for not answering"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    # The published question that already answers this one (reason ALREADY_ANSWERED).
    answered_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered in"),
    )

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
            # A public rejection shows its neutral wording and date like a published answer.
            models.CheckConstraint(
                condition=~models.Q(status="rejected", number__isnull=False)
                | (models.Q(published_at__isnull=False) & ~models.Q(public_question="")),
                name="clarification_public_rejection_is_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(rejection_reason="already_answered")
                | models.Q(answered_in__isnull=False),
                name="clarification_already_answered_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.question[:60]}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def public_answer(self) -> str:
        """What everyone reads under the question: the answer, or why it is not answered."""
        if self.status == self.Status.PUBLISHED:
            return self.answer
        R = self.RejectionReason
        sentences = {
            R.OUT_OF_SCOPE: gettext(
                "Not answered: this question is outside the subject of the market consultation."
            ),
            R.ALREADY_ANSWERED: gettext(
                "Not answered: this question has already been answered in question %(number)s."
            ),
            R.ASKER_ONLY: gettext(
                "Not answered: this question concerns commercial details of the asking "
                "supplier only."
            ),
            R.DUPLICATE: gettext("Not answered: the same question was asked before."),
        }
        sentence = sentences.get(self.rejection_reason, "")
        if self.rejection_reason == R.ALREADY_ANSWERED:
            number = self.answered_in.number if self.answered_in_id else None
            sentence = sentence % {"number": number or pgettext("unknown number", "?")}
        return sentence

    @property
    def is_public(self) -> bool:
        """Whether everyone reads it (an answer, or a rejection that matters to all)."""
        return self.number is not None
