"""What moving a supplier's response to a newer questionnaire version changes: the questions
added, removed and changed, the answers that will be dropped and those to review. The supplier
sees this before confirming (consultations.services.responses.response_upgrade drops exactly
the answers ``answer_survives`` refuses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from consultations.display import answer_display
from consultations.models import ConsultationResponse, Question, QuestionnaireVersion


def answer_survives(*, key: str, old_types: dict[str, str], new_types: dict[str, str]) -> bool:
    """An answer moves along when the newer version asks the same key with the same type."""
    return key in new_types and new_types[key] == old_types.get(key)


@dataclass
class AnswerChange:
    question: Question
    answer: str = ""


@dataclass
class UpgradeSummary:
    old: QuestionnaireVersion
    new: QuestionnaireVersion
    added: list[Question] = field(default_factory=list)
    removed: list[Question] = field(default_factory=list)
    dropped: list[AnswerChange] = field(default_factory=list)
    review: list[AnswerChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.dropped or self.review)


def _questions(version: QuestionnaireVersion) -> dict[str, Question]:
    questions = version.questions.prefetch_related("categories").order_by(
        "section__order", "order", "id"
    )
    return {question.key: question for question in questions}


def _asked_differently(old: Question, new: Question) -> bool:
    return (old.text, old.options, old.unit, old.required) != (
        new.text,
        new.options,
        new.unit,
        new.required,
    ) or {c.pk for c in old.categories.all()} != {c.pk for c in new.categories.all()}


def response_upgrade_summary(
    *, response: ConsultationResponse, version: QuestionnaireVersion
) -> UpgradeSummary:
    old_questions = _questions(response.version)
    new_questions = _questions(version)
    old_types = {key: question.type for key, question in old_questions.items()}
    new_types = {key: question.type for key, question in new_questions.items()}
    answers: dict[str, Any] = {
        answer.question_key: answer.value if not answer.file else answer.file.name
        for answer in response.answers.all()
    }
    summary = UpgradeSummary(old=response.version, new=version)
    summary.added = [q for key, q in new_questions.items() if key not in old_questions]
    summary.removed = [q for key, q in old_questions.items() if key not in new_questions]
    for key, old in old_questions.items():
        if key not in answers:
            continue
        value = answers[key]
        shown = (
            answer_display(old, value)
            if old.type != Question.Type.FILE
            else str(value).rsplit("/", 1)[-1]
        )
        if not answer_survives(key=key, old_types=old_types, new_types=new_types):
            summary.dropped.append(AnswerChange(old, shown))
        elif _asked_differently(old, new_questions[key]):
            summary.review.append(AnswerChange(new_questions[key], shown))
    return summary
