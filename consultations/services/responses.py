"""Writes of a supplier's response to a market consultation. Atomic, audited, and only for
editors and administrators of the supplier; every write is refused once the consultation
closes. The questionnaire is read through the response's relations: this app does not import
``tenders``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Answer, ConsultationResponse, ResponseSubmission
from consultations.selectors.consultation import questionnaire_current
from consultations.selectors.response_upgrade import answer_survives
from consultations.services import receipts
from consultations.services.answer_cleaning import (  # noqa: F401 - callers use them from here
    DATE,
    FILE,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    PRICE_PER_ITEM,
    SHORT_TEXT,
    SHORT_TEXT_MAX,
    SINGLE_CHOICE,
    YES_NO,
    clean_answer,
    clean_answer_file,
    clean_file_name,
    is_empty,
)
from consultations.services.reads import (  # noqa: F401 - the project team's reads, as before
    answer_file_read_by_project_team,
    response_read_by_project_team,
)
from portal.audit import audit
from portal.models import Membership, Organisation, User
from portal.tenancy import require
from portal.virus_scan import scan_uploads
from suppliers.selectors import supplier_is_verified, user_supplier_membership


def unverified_message() -> str:
    return _(
        "Your company is not verified yet, so your answers cannot be submitted. Your draft is "
        "saved. Show your KvK registration on your company's verification page: upload an extract "
        "or confirm an e-mail address at your company's domain."
    )


def _require_writer(*, actor: User, organisation: Organisation) -> None:
    require(
        lambda: Membership.objects.filter(
            user=actor, organisation=organisation, role__in=["admin", "editor"]
        ).exists()
    )


def version_questions(version) -> list:
    return list(
        version.questions.select_related("section")
        .prefetch_related("categories")
        .order_by("section__order", "section_id", "order", "id")
    )


RESPONSE_OUTDATED = gettext_lazy(
    "The project team published a new version of the questionnaire. See what changes with "
    "GET my-response/upgrade and move your answers with POST my-response/upgrade first."
)


@transaction.atomic
def response_get_or_create(
    *, actor: User, consultation, upgrade: bool = True
) -> ConsultationResponse:
    """The actor's supplier's response, created on its first write. When the project team
    published a newer questionnaire version, ``upgrade`` moves the response to it; without it
    the write is refused (``RESPONSE_OUTDATED``): the API's answer operations, like the
    supplier's page, move a response only when the supplier confirms (``response_upgrade``)
    after seeing what changes."""
    membership = user_supplier_membership(user=actor)
    if membership is None:
        raise PermissionDenied
    _require_writer(actor=actor, organisation=membership.organisation)
    version = questionnaire_current(consultation=consultation)
    if version is None:
        raise ValidationError(_("This market consultation has no questionnaire yet."))
    response = (
        ConsultationResponse.objects.select_for_update()
        .filter(consultation=consultation, organisation=membership.organisation)
        .first()
    )
    if response is None:
        consultation.require_open()
        response = ConsultationResponse.objects.create(
            consultation=consultation,
            organisation=membership.organisation,
            version=version,
            updated_by=actor,
        )
        audit(
            actor=actor,
            action="response.created",
            target=response,
            organisation=membership.organisation,
            version=version.number,
        )
        return response
    if response.version_id != version.pk and consultation.is_open:
        if not upgrade:
            raise ValidationError(RESPONSE_OUTDATED, code="outdated")
        response = response_upgrade(actor=actor, response=response, version=version)
    return response


@transaction.atomic
def response_upgrade(
    *, actor: User, response: ConsultationResponse, version
) -> ConsultationResponse:
    """Move the response to a newer published version. Answers to questions whose key exists
    in both versions with the same type are kept (an uploaded file included); other answers
    are dropped, their files deleted once the change is committed. A submitted response
    becomes a draft again: the supplier must confirm its answers to the new questionnaire.
    The supplier's page shows what this drops first (selectors.response_upgrade)."""
    _require_writer(actor=actor, organisation=response.organisation)
    response.consultation.require_open()
    if version.consultation_id != response.consultation_id or version.status != "published":
        raise ValidationError(_("Choose a published version of this questionnaire."))
    old_number = response.version.number
    types = dict(version.questions.values_list("key", "type"))
    old_types = dict(response.version.questions.values_list("key", "type"))
    dropped = [
        answer
        for answer in response.answers.all()
        if not answer_survives(key=answer.question_key, old_types=old_types, new_types=types)
    ]
    Answer.objects.filter(pk__in=[a.pk for a in dropped]).delete()
    _delete_files_on_commit(response, [a.file.name for a in dropped if a.file.name])
    response.version = version
    response.status = ConsultationResponse.Status.DRAFT
    response.updated_at = timezone.now()
    response.updated_by = actor
    response.save(update_fields=["version", "status", "updated_at", "updated_by"])
    audit(
        actor=actor,
        action="response.upgraded",
        target=response,
        organisation=response.organisation,
        from_version=old_number,
        to_version=version.number,
        dropped=sorted(a.question_key for a in dropped),
    )
    return response


def _delete_files_on_commit(response: ConsultationResponse, names: Iterable[str]) -> None:
    """Delete replaced or dropped answer files once the change is committed, except the files
    that one of the response's submissions refers to: what was submitted stays as it was."""
    storage = Answer._meta.get_field("file").storage
    kept = {
        name for files in response.submissions.values_list("files", flat=True) for name in files
    }
    for name in names:
        if name and name not in kept:
            transaction.on_commit(partial(storage.delete, name), robust=True)


def response_save(
    *,
    actor: User,
    response: ConsultationResponse,
    answers: Mapping[str, Any] | None = None,
    files: Mapping[str, UploadedFile] | None = None,
    remove_files: Iterable[str] = (),
) -> ConsultationResponse:
    """Save answers (a dict of question key to raw input) as they are, also incomplete:
    required questions are only enforced at submit. A submitted response whose answers change
    becomes a draft again (its ``submitted_at`` keeps the last submission) until it is
    submitted again. ``files`` maps the key of a file question
    to an upload (a PDF; it replaces the earlier file), ``remove_files`` lists keys of file
    questions whose file is removed (an upload for the same key wins). Every problem is
    reported at its question key and then nothing is saved; replaced and removed files are
    deleted from storage once the change is committed. The files are scanned for viruses
    first, outside the transaction (portal.virus_scan)."""
    _require_writer(actor=actor, organisation=response.organisation)
    files = {key: file for key, file in (files or {}).items() if file is not None}
    scans = scan_uploads(
        files,
        actor=actor,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=response,
        organisation=response.organisation,
    )
    return _response_save(
        actor=actor, response=response, answers=answers, files=files, scans=scans,
        remove_files=remove_files,
    )  # fmt: skip


@transaction.atomic
def _response_save(
    *, actor: User, response: ConsultationResponse, answers, files, scans, remove_files
) -> ConsultationResponse:
    _require_writer(actor=actor, organisation=response.organisation)
    response = (
        ConsultationResponse.objects.select_for_update()
        .select_related("consultation", "version")
        .get(pk=response.pk)
    )
    response.consultation.require_open()
    questions = {q.key: q for q in version_questions(response.version)}
    remove = [key for key in dict.fromkeys(remove_files) if key not in files]
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    uploads: dict[str, tuple[bytes, dict[str, Any]]] = {}
    for key, raw in (answers or {}).items():
        question = questions.get(key)
        if question is None:
            errors[key] = [_("This question is not part of the questionnaire.")]
            continue
        if question.type == FILE and is_empty(raw):
            continue  # a file is sent in ``files``; an empty field keeps the stored one
        try:
            cleaned[key] = clean_answer(question, raw)
        except ValidationError as exc:
            errors[key] = exc.messages
    for key in [*files, *remove]:
        question = questions.get(key)
        if question is None:
            errors[key] = [_("This question is not part of the questionnaire.")]
        elif question.type != FILE:
            errors[key] = [_("This question does not take a file.")]
    for key, file in files.items():
        if key in errors:
            continue
        try:
            uploads[key] = clean_answer_file(questions[key], file)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    before = dict(
        response.answers.filter(question_key__in=list(cleaned)).values_list("question_key", "value")
    )
    changed = bool(uploads) or any(value != before.get(key) for key, value in cleaned.items())
    for key, value in cleaned.items():
        if value is None:
            response.answers.filter(question_key=key).delete()
        else:
            Answer.objects.update_or_create(
                response=response, question_key=key, defaults={"value": value, "updated_at": now}
            )
    existing = {
        a.question_key: a for a in response.answers.filter(question_key__in=[*uploads, *remove])
    }
    old_files = [
        name for k in [*uploads, *remove] if k in existing and (name := existing[k].file.name)
    ]
    removed = [key for key in remove if key in existing]
    Answer.objects.filter(pk__in=[existing[k].pk for k in removed]).delete()
    _store_answer_files(response=response, uploads=uploads, scans=scans, existing=existing, now=now)
    _delete_files_on_commit(response, old_files)
    response.updated_at = now
    response.updated_by = actor
    if changed or removed:
        # A changed submission is a draft again until it is submitted again: what the project
        # team reviews has always passed the checks of a submit.
        response.status = ConsultationResponse.Status.DRAFT
    response.save(update_fields=["status", "updated_at", "updated_by"])
    audit(
        actor=actor,
        action="response.saved",
        target=response,
        organisation=response.organisation,
        keys=sorted(cleaned),
        files={key: value["sha256"] for key, (_content, value) in sorted(uploads.items())},
        removed_files=sorted(removed),
    )
    return response


def _store_answer_files(
    *, response: ConsultationResponse, uploads: dict, scans: dict, existing: dict, now
) -> None:
    """Write the new files and point their answers at them. A file written before a failure
    in this transaction is deleted again, so storage holds no file without an answer."""
    written: list[str] = []
    try:
        for key, (content, value) in uploads.items():
            answer = existing.get(key) or Answer(response=response, question_key=key)
            answer.file.save("answer.pdf", ContentFile(content), save=False)
            if answer.file.name:
                written.append(answer.file.name)
            answer.value = value
            answer.updated_at = now
            scans[key].apply(answer)
            answer.save()
    except BaseException:
        storage = Answer._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise


def answer_file_attach(
    *, actor: User, response: ConsultationResponse, question_key: str, file: UploadedFile
) -> Answer:
    """Upload (or replace) the file answering one file question; as ``response_save``."""
    response_save(actor=actor, response=response, files={question_key: file})
    return response.answers.get(question_key=question_key)


def answer_file_remove(*, actor: User, response: ConsultationResponse, question_key: str) -> None:
    """Remove the file answering one file question; as ``response_save``."""
    response_save(actor=actor, response=response, remove_files=[question_key])


@transaction.atomic
def response_submit(*, actor: User, response: ConsultationResponse) -> ConsultationResponse:
    """Submit (or submit again, after a revision) before the consultation closes; every
    required question must be answered, a required file question with an uploaded file."""
    _require_writer(actor=actor, organisation=response.organisation)
    response = (
        ConsultationResponse.objects.select_for_update()
        .select_related("consultation", "version")
        .get(pk=response.pk)
    )
    response.consultation.require_open()
    if not supplier_is_verified(organisation=response.organisation):
        raise ValidationError(unverified_message(), code="supplier_unverified")
    answered = {a.question_key for a in response.answers.all() if not is_empty(a.value) or a.file}
    errors = {
        q.key: [_("Answer this question.")]
        for q in version_questions(response.version)
        if q.required and q.key not in answered
    }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    response.status = ConsultationResponse.Status.SUBMITTED
    response.submitted_at = now
    response.updated_at = now
    response.updated_by = actor
    response.save(update_fields=["status", "submitted_at", "updated_at", "updated_by"])
    answers = list(response.answers.order_by("question_key"))
    submission = ResponseSubmission.objects.create(
        response=response,
        number=response.submissions.count() + 1,
        version=response.version,
        answers={a.question_key: a.value for a in answers},
        files=[a.file.name for a in answers if a.file],
        submitted_at=now,
        submitted_by=actor,
    )
    audit(
        actor=actor,
        action="response.submitted",
        target=response,
        organisation=response.organisation,
        version=response.version.number,
        submission=submission.number,
    )
    receipts.response_submitted_mail(submission=submission, actor=actor)
    return response
