"""Writes of a consultation's clarification questions (vragen ter verduidelijking).

A supplier asks while the consultation is open; the project team answers. An answer is
published to *all* suppliers (equal treatment), under a public wording of the question that the
project team writes in neutral words: it must pass the disclosure check
(``consultations.selectors.disclosure``), so it never names the asker or any other supplier
taking part. A question the team does not answer gets one of a fixed set of reasons; where the
reason matters to all, the question is published with it. Atomic and audited; mail goes out
after the transaction commits.

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
from consultations.selectors.disclosure import consultation_identifiers, disclosure_message
from consultations.selectors.participants import member_addresses, participant_addresses
from portal import idempotency
from portal.audit import audit
from portal.models import User
from portal.notifications import notify_addresses, notify_project_team
from portal.selectors import require_project_team_editor
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership

MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = 10000
Reason = ClarificationQuestion.RejectionReason


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


def _neutral(
    value: str, *, field: str, question: ClarificationQuestion, identifiers, required: str, limit
) -> str:
    """A text everyone will read: required, at most ``limit`` characters, and free of
    anything that identifies a supplier taking part (the asker's brand included)."""
    text = _clean_text(value, field=field, required_message=required, max_length=limit)
    if findings := identifiers.findings(text, own=question.organisation_id):
        raise ValidationError({field: disclosure_message(findings)}, code="identifying")
    return text


def _public_wording(question: ClarificationQuestion, value: str, identifiers) -> str:
    return _neutral(
        value,
        field="public_question",
        question=question,
        identifiers=identifiers,
        required=_("Write the question as it will be published, in neutral words."),
        limit=MAX_QUESTION_LENGTH,
    )


def _next_number(consultation: Consultation) -> int:
    last = consultation.clarification_questions.aggregate(last=Max("number"))["last"] or 0
    return last + 1


@transaction.atomic
def clarification_publish(
    *,
    actor: User,
    question: ClarificationQuestion,
    answer: str,
    public_question: str,
    base_url: str = "",
) -> ClarificationQuestion:
    """Answer an open question and publish it to everyone under the next number of the
    consultation, in ``public_question``'s wording. The team writes that wording itself (never
    the asker's words by default); it and the answer must pass the disclosure check.

    Allowed while the consultation is published or closed (a question asked just before the
    deadline is still answered). Published once, never changed (see the module docstring)."""
    require_project_team_editor(actor)
    # The consultation row is the lock that keeps numbers from colliding.
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    question = _lock_open_clarification(question)
    identifiers = consultation_identifiers(consultation=consultation)
    errors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for field, value, required, limit in (
        (
            "public_question",
            public_question,
            _("Write the question as it will be published, in neutral words."),
            MAX_QUESTION_LENGTH,
        ),
        ("answer", answer, _("Enter the answer."), MAX_ANSWER_LENGTH),
    ):
        try:
            texts[field] = _neutral(
                value,
                field=field,
                question=question,
                identifiers=identifiers,
                required=required,
                limit=limit,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    question.number = _next_number(consultation)
    question.public_question = texts["public_question"]
    question.answer = texts["answer"]
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
        rephrased=question.public_question != question.question,
    )
    _notify_published(question=question, consultation=consultation, base_url=base_url)
    return question


def _reference(consultation: Consultation, number) -> ClarificationQuestion:
    """The published question (by its number) that already answers another one."""
    found = (
        consultation.clarification_questions.filter(
            status=ClarificationQuestion.Status.PUBLISHED, number=number
        ).first()
        if str(number or "").strip().isdigit()
        else None
    )
    if found is None:
        raise ValidationError(
            {"answered_in": _("Choose the published question that already answers it.")}
        )
    return found


@transaction.atomic
def clarification_reject(
    *,
    actor: User,
    question: ClarificationQuestion,
    reason: str,
    public_question: str = "",
    answered_in=None,
    base_url: str = "",
) -> ClarificationQuestion:
    """Decline to answer an open question, for one of the fixed reasons
    (``ClarificationQuestion.RejectionReason``); never with a private free-text answer.

    Where the reason matters to all (outside the subject; already answered, with the number of
    the published question that answers it), the question is published under the next number,
    in a neutral ``public_question`` that passes the disclosure check, with the reason, and
    every supplier taking part hears of it. Otherwise (details of the asker only, a duplicate)
    nothing is published and only the asker is told the reason. Final, like publishing."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    question = _lock_open_clarification(question)
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose why the question is not answered.")})
    reference = _reference(consultation, answered_in) if reason == Reason.ALREADY_ANSWERED else None
    public = reason in ClarificationQuestion.PUBLIC_REASONS
    update = ["status", "rejection_reason", "answered_in", "answered_by", "answer"]
    if public:
        identifiers = consultation_identifiers(consultation=consultation)
        question.public_question = _public_wording(question, public_question, identifiers)
        question.number = _next_number(consultation)
        question.published_at = timezone.now()
        update += ["public_question", "number", "published_at"]
    question.status = ClarificationQuestion.Status.REJECTED
    question.rejection_reason = reason
    question.answered_in = reference
    question.answered_by = actor
    question.answer = ""
    question.save(update_fields=update)
    audit(
        actor=actor,
        action="clarification.rejected",
        target=question,
        organisation=question.organisation,
        consultation=consultation.slug,
        reason=reason,
        answered_in=reference.number if reference else None,
        number=question.number,
    )
    if public:
        _notify_published(question=question, consultation=consultation, base_url=base_url)
    else:
        notify_addresses(
            addresses=member_addresses(organisation_ids={question.organisation_id}),
            subject=_("Your question about %(consultation)s")
            % {"consultation": consultation.title},
            template="consultations/email/clarification_rejected.txt",
            context={
                "consultation": consultation,
                "question": question.question,
                "reason": question.public_answer,
                "url": _own_questions_url(base_url, consultation),
            },
        )
    return question


# --- Mail -------------------------------------------------------------------------------------


def _own_questions_url(base_url: str, consultation: Consultation) -> str:
    return _link(
        base_url,
        reverse("consultations:clarification-supplier", kwargs={"consultation": consultation.slug}),
    )


def _notify_published(
    *, question: ClarificationQuestion, consultation: Consultation, base_url: str
) -> None:
    """Every supplier taking part hears that a new entry is published (an answer, or a
    question not answered for a reason that matters to all); the mail carries only what the
    public page shows. The questioner's organisation is told separately about *its* question."""
    questioner = member_addresses(organisation_ids={question.organisation_id})
    others = participant_addresses(consultation=consultation, exclude={question.organisation_id})
    published = {
        "consultation": consultation,
        "number": question.number,
        "public_question": question.public_question,
        "answer": question.public_answer,
        "published_at": question.published_at,
    }
    notify_addresses(
        addresses=sorted(set(others) - set(questioner)),
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
    if question.status == ClarificationQuestion.Status.REJECTED:
        notify_addresses(
            addresses=questioner,
            subject=_("Your question about %(consultation)s")
            % {"consultation": consultation.title},
            template="consultations/email/clarification_rejected.txt",
            context={
                **published,
                "question": question.question,
                "reason": question.public_answer,
                "url": _own_questions_url(base_url, consultation),
            },
        )
        return
    notify_addresses(
        addresses=questioner,
        subject=_("Your question about %(consultation)s has been answered")
        % {"consultation": consultation.title},
        template="consultations/email/clarification_answered.txt",
        context={**published, "url": _own_questions_url(base_url, consultation)},
    )
