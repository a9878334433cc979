"""The project team's review of open answers (redacted, included or left out)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.responses import Answer


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
        db_table = "suppliers_answerreview"
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
