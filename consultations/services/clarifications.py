"""Writes of a consultation's clarification questions (vragen ter verduidelijking).

A supplier asks while the consultation is open; the project team answers. An answer is
published to *all* suppliers (equal treatment), under a public wording of the question that the
project team may rephrase to remove anything that identifies the questioner, and never with the
questioner's name. Atomic and audited; mail goes out after the transaction commits.

A published or rejected question is final: it cannot be answered, rejected or changed again. A
correction is published as a new clarification, so what suppliers read under a number never
changes (as in a "nota van inlichtingen")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ClarificationQuestion, Consultation
from portal import idempotency
from portal.audit import audit
from portal.models import Membership, Organisation, Role, User
from portal.notifications import notify_addresses, notify_project_team
from portal.selectors import require_project_team_editor
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership

MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = 10000
ALL_ROLES = (Role.ADMIN, Role.EDITOR, Role.VIEWER)


def _lock_open_clarification(question: ClarificationQuestion) -> ClarificationQuestion:
    locked = (
        ClarificationQuestion.objects.select_for_update(of=("self",))
        .select_related("consultation", "organisation")
        .get(pk=question.pk)
    )
    if locked.status != ClarificationQuestion.Status.OPEN:
        raise ValidationError(
            _("This question has already been dealt with; it cannot be changed."), code="final"
        )
    return locked


def _link(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}" if base_url else ""


@transaction.atomic
def clarification_ask(
    *,
    actor: User,
    consultation: Consultation,
    text: str,
    base_url: str = "",
    idempotency_key=None,
) -> ClarificationQuestion:
    """A question of the actor's supplier (editors and administrators only), while the
    consultation is open. The same form sent twice raises ``AlreadyDone``: one question."""
    membership = user_supplier_membership(user=actor)
    require(membership is not None and membership.can_edit)
    assert membership is not None  # for the type checker
    claimed = idempotency.claim(actor=actor, key=idempotency_key, action="clarification.asked")
    # Locked like consultation_close does, so a question never slips in after closing.
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    consultation.require_open()
    text = (text or "").strip()
    if not text:
        raise ValidationError({"question": _("Enter your question.")})
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {
                "question": _("Your question can be at most %(max)s characters long.")
                % {"max": MAX_QUESTION_LENGTH}
            }
        )
    question = ClarificationQuestion.objects.create(
        consultation=consultation,
        organisation=membership.organisation,
        asked_by=actor,
        question=text,
    )
    idempotency.settle(claimed, obj=question)
    audit(
        actor=actor,
        action="clarification.asked",
        target=question,
        organisation=membership.organisation,
        consultation=consultation.slug,
    )
    # The team is told that there is a question, not who asked it (it reads that in the portal).
    notify_project_team(
        subject=_("New question in %(consultation)s") % {"consultation": consultation.title},
        template="consultations/email/clarification_asked.txt",
        context={
            "consultation": consultation,
            "url": _link(
                base_url,
                reverse(
                    "consultations:clarification-manage", kwargs={"consultation": consultation.slug}
                ),
            ),
        },
    )
    return question


def _clean_text(value: str, *, field: str, required_message: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: required_message})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("This text can be at most %(max)s characters long.") % {"max": max_length}}
        )
    return value


@transaction.atomic
def clarification_publish(
    *,
    actor: User,
    question: ClarificationQuestion,
    answer: str,
    public_question: str = "",
    base_url: str = "",
) -> ClarificationQuestion:
    """Answer an open question and publish it to everyone under the next number of the
    consultation. ``public_question`` is the wording that is published (the original text when
    empty); the project team rephrases it to remove details that identify the supplier.

    Allowed while the consultation is published or closed (a question asked just before the
    deadline is still answered). Published once, never changed (see the module docstring)."""
    require_project_team_editor(actor)
    # The consultation row is the lock that keeps numbers from colliding.
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    question = _lock_open_clarification(question)
    public_question = (public_question or "").strip() or question.question
    if len(public_question) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {
                "public_question": _("This text can be at most %(max)s characters long.")
                % {"max": MAX_QUESTION_LENGTH}
            }
        )
    answer = _clean_text(
        answer,
        field="answer",
        required_message=_("Enter the answer."),
        max_length=MAX_ANSWER_LENGTH,
    )
    last = consultation.clarification_questions.aggregate(last=Max("number"))["last"] or 0
    question.number = last + 1
    question.public_question = public_question
    question.answer = answer
    question.answered_by = actor
    question.published_at = timezone.now()
    question.status = ClarificationQuestion.Status.PUBLISHED
    question.save(
        update_fields=[
            "number",
            "public_question",
            "answer",
            "answered_by",
            "published_at",
            "status",
        ]
    )
    audit(
        actor=actor,
        action="clarification.published",
        target=question,
        organisation=question.organisation,
        consultation=consultation.slug,
        number=question.number,
        rephrased=public_question != question.question,
    )
    _notify_published(question=question, consultation=consultation, base_url=base_url)
    return question


@transaction.atomic
def clarification_reject(
    *, actor: User, question: ClarificationQuestion, reason: str, base_url: str = ""
) -> ClarificationQuestion:
    """Decline to answer an open question (for example: out of scope, or already answered under
    another number). Nothing is published; the reason (kept in ``answer``) is shown to the
    questioner's organisation only. Final, like publishing."""
    require_project_team_editor(actor)
    question = _lock_open_clarification(question)
    reason = _clean_text(
        reason,
        field="reason",
        required_message=_("Explain why the question is not answered."),
        max_length=MAX_ANSWER_LENGTH,
    )
    question.status = ClarificationQuestion.Status.REJECTED
    question.answer = reason
    question.answered_by = actor
    question.save(update_fields=["status", "answer", "answered_by"])
    audit(
        actor=actor,
        action="clarification.rejected",
        target=question,
        organisation=question.organisation,
        consultation=question.consultation.slug,
        reason=reason,
    )
    consultation = question.consultation
    notify_addresses(
        addresses=_addresses(organisation_ids={question.organisation_id}),
        subject=_("Your question about %(consultation)s") % {"consultation": consultation.title},
        template="consultations/email/clarification_rejected.txt",
        context={
            "consultation": consultation,
            "question": question.question,
            "reason": reason,
            "url": _own_questions_url(base_url, consultation),
        },
    )
    return question


# --- Mail -------------------------------------------------------------------------------------


def _addresses(*, organisation_ids: set[int]) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id__in=organisation_ids,
            organisation__kind=Organisation.Kind.SUPPLIER,
            role__in=ALL_ROLES,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def _own_questions_url(base_url: str, consultation: Consultation) -> str:
    return _link(
        base_url,
        reverse("consultations:clarification-supplier", kwargs={"consultation": consultation.slug}),
    )


def _notify_published(
    *, question: ClarificationQuestion, consultation: Consultation, base_url: str
) -> None:
    """Every supplier taking part (a response or a question in this consultation) hears that a
    new answer is published; the mail carries only what the public page shows. The questioner's
    organisation is told separately that *its* question was answered."""
    taking_part = set(
        Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER, is_active=True)
        .filter(consultation_responses__consultation=consultation)
        .values_list("pk", flat=True)
    ) | set(consultation.clarification_questions.values_list("organisation_id", flat=True))
    questioner = _addresses(organisation_ids={question.organisation_id})
    others = set(_addresses(organisation_ids=taking_part - {question.organisation_id}))
    published = {
        "consultation": consultation,
        "number": question.number,
        "public_question": question.public_question,
        "answer": question.answer,
        "published_at": question.published_at,
    }
    notify_addresses(
        addresses=sorted(others - set(questioner)),
        subject=_("New answer published in %(consultation)s")
        % {"consultation": consultation.title},
        template="consultations/email/clarification_published.txt",
        context={
            **published,
            "url": _link(
                base_url,
                reverse("consultations:consultation", kwargs={"consultation": consultation.slug})
                + "#vragen-en-antwoorden",
            ),
        },
    )
    notify_addresses(
        addresses=questioner,
        subject=_("Your question about %(consultation)s has been answered")
        % {"consultation": consultation.title},
        template="consultations/email/clarification_answered.txt",
        context={**published, "url": _own_questions_url(base_url, consultation)},
    )
