"""The questionnaire of a consultation: versions, sections and questions by stable key."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models.consultation import Consultation
from portal.text import SingleLineCharField


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
        db_table = "tenders_questionnaireversion"
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
    title = SingleLineCharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "tenders_questionsection"
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
    unit = SingleLineCharField(_("unit"), max_length=40, blank=True)
    categories = models.ManyToManyField(
        "catalog.Category", related_name="+", blank=True, verbose_name=_("categories")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "tenders_question"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"


# Questions answered in the supplier's own words: reviewed (and anonymised) before the report.
OPEN_TEXT_TYPES = (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT)
