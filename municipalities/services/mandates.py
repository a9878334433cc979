"""The mandate (machtiging en volmacht): generated as a PDF by a task, then completed by an
uploaded signed scan or by the designated signer signing in the portal with MFA."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import (
    MandateDocument,
    MandateSignature,
    Participation,
    SigningAuthority,
)
from municipalities.selectors import can_edit_participation
from municipalities.selectors.signing import is_designated_signer, signing_authority_of
from municipalities.services.signing import mandate_seal_request
from portal import attempts, idempotency, jobs
from portal.audit import audit
from portal.models import Membership, User
from portal.uploads import validate_pdf_upload
from portal.virus_scan import ScanResult, scan_upload

D = MandateDocument.Status
# Each version is rendered by this task (municipalities.tasks), sent by name after commit.
MANDATE_JOB = jobs.JobKind(
    MandateDocument,
    task_name="municipalities.mandate_render_task",
    requested_at_field="created_at",
    claimed_at_field="claimed_at",
    # The task's hard limit (180 s), its longest retry countdown (120 s) and a minute.
    lost_after=timedelta(minutes=6),
)


def _require_editable(*, actor: User, participation: Participation) -> None:
    if not can_edit_participation(user=actor, participation=participation):
        raise PermissionDenied
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))


def _authority_or_error(*, participation: Participation) -> SigningAuthority:
    authority = signing_authority_of(participation=participation)
    if authority is None or not authority.is_complete:
        raise ValidationError(
            _(
                "Record the college's decision and who may sign (the mayor or the person the "
                "mayor designated) first."
            )
        )
    return authority


@transaction.atomic
def mandate_request(
    *,
    actor: User,
    participation: Participation,
    change_note: str = "",
    idempotency_key=None,
) -> MandateDocument:
    """Queue a new version of the mandate PDF; a worker renders it (never the web request).
    The version names the signer and the decision recorded for the participation, not a name
    typed for the occasion. The same form sent twice raises ``AlreadyDone`` instead of
    queueing a second version."""
    _require_editable(actor=actor, participation=participation)
    claimed = idempotency.claim(actor=actor, key=idempotency_key, action="mandate.requested")
    Participation.objects.select_for_update().get(pk=participation.pk)
    authority = _authority_or_error(participation=participation)
    latest = participation.mandate_documents.aggregate(v=Max("version"))["v"] or 0
    document = MandateDocument.objects.create(
        participation=participation,
        version=latest + 1,
        signatory_name=authority.signer_name,
        signatory_function=authority.signer_function,
        signer_basis=authority.basis,
        decision_date=authority.decision_date,
        decision_reference=authority.decision_reference,
        change_note=change_note,
        created_by=actor,
    )
    idempotency.settle(claimed, obj=document)
    audit(
        actor=actor,
        action="mandate.requested",
        target=document,
        organisation=participation.organisation,
        version=document.version,
    )
    jobs.enqueue_on_commit(MANDATE_JOB.task_name, document.pk)
    return document


def mandate_render(*, document_id: int) -> MandateDocument:
    """Render one mandate version. Idempotent: a finished version is never rendered again."""
    from portal.pdf import render_pdf

    document, claimed = jobs.claim(MANDATE_JOB, pk=document_id)
    if not claimed:
        return document
    participation = (
        Participation.objects.select_related("organisation", "programme")
        .prefetch_related("covered__municipality", "contacts", "lots", "programme__milestones")
        .get(pk=document.participation_id)
    )
    # A failure raises to the task, which retries with backoff and marks the version failed
    # after the last attempt.
    pdf = render_pdf(
        "pdf/mandate.html",
        {
            "document": document,
            "participation": participation,
            "programme": participation.programme,
            "organisation": participation.organisation,
            "municipalities": [c.municipality for c in participation.covered_now],
            "contacts": list(participation.contacts.all()),
            "freeze_due": participation.programme.freeze_at,
            "generated_at": timezone.now(),
        },
    )
    with transaction.atomic():
        document, _finished = jobs.finish_with_file(
            MANDATE_JOB,
            pk=document_id,
            name=lambda job: f"mandaat-v{job.version}.pdf",
            content=pdf,
            rendered_at=timezone.now(),
        )
    return document


def mandate_mark_failed(*, document_id: int, error: str) -> None:
    jobs.mark_failed(MANDATE_JOB, pk=document_id, error=error)


def mandate_stuck(*, document: MandateDocument | None) -> bool:
    """Whether the version is stuck (its task was lost): a person may retry it before the
    sweep sends it again."""
    return document is not None and jobs.is_lost(MANDATE_JOB, document)


@transaction.atomic
def mandate_retry(*, actor: User, document: MandateDocument) -> MandateDocument:
    """Render a failed or stuck version again; any other version is left as it is."""
    _require_editable(actor=actor, participation=document.participation)
    document, _retried = jobs.retry(MANDATE_JOB, pk=document.pk)
    return document


def _newest_signable(*, participation: Participation, document=None) -> MandateDocument:
    """The newest rendered version, the only one that can be signed; ``document`` when given
    must be that version."""
    newest = participation.mandate_documents.order_by("-version").first()
    if newest is None or newest.status != D.DONE:
        raise ValidationError(_("Generate the mandate first."))
    if document is not None and document.pk != newest.pk:
        raise ValidationError(_("A newer version of the mandate exists. Sign the newest version."))
    if newest.outdated_at is not None:
        raise ValidationError(
            _(
                "This version no longer matches the registration (%(reason)s). Generate a new "
                "version first."
            )
            % {"reason": newest.outdated_reason}
        )
    return newest


def mandate_upload_signed(*, actor: User, participation: Participation, file) -> MandateSignature:
    """Complete the mandate with a scan of the signed newest version (scanned for viruses,
    checked by content and size). Uploaded by the designated signer it counts at once;
    uploaded by anyone else it counts only after the project team checked it against the
    designation."""
    if not (
        is_designated_signer(user=actor, participation=participation)
        or can_edit_participation(user=actor, participation=participation)
    ):
        raise PermissionDenied
    scan = scan_upload(
        file,
        actor=actor,
        field="file",
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=participation,
        organisation=participation.organisation,
    )
    return _mandate_upload_signed(actor=actor, participation=participation, file=file, scan=scan)


@transaction.atomic
def _mandate_upload_signed(
    *, actor: User, participation: Participation, file, scan: ScanResult
) -> MandateSignature:
    is_signer = is_designated_signer(user=actor, participation=participation)
    if not (is_signer or can_edit_participation(user=actor, participation=participation)):
        raise PermissionDenied
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))
    Participation.objects.select_for_update().get(pk=participation.pk)
    authority = _authority_or_error(participation=participation)
    document = _newest_signable(participation=participation)
    try:
        content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    signature = MandateSignature(
        participation=participation,
        method=MandateSignature.Method.UPLOAD,
        document=document,
        sha256=document.sha256,
        file_sha256=hashlib.sha256(content).hexdigest(),
        signatory=authority.signer,
        signatory_name=authority.signer_name,
        signatory_function=authority.signer_function,
        recorded_by=actor,
        needs_check=not is_signer,
    )
    scan.apply(signature)
    signature.signed_file.save("getekend-mandaat.pdf", ContentFile(content), save=False)
    signature.save()
    audit(
        actor=actor,
        action="mandate.uploaded",
        target=signature,
        organisation=participation.organisation,
        sha256=signature.sha256,
        file_sha256=signature.file_sha256,
        needs_check=signature.needs_check,
    )
    return signature


def user_has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class WrongCode(ValidationError):
    """The TOTP code did not match (counted against the signer's attempt limit)."""


SIGN_PURPOSE = "mandate_sign"


def mandate_sign(
    *,
    actor: User,
    participation: Participation,
    document: MandateDocument,
    code: str,
) -> MandateSignature:
    """Sign the exact version ``document`` in the portal. Only the person the participation
    names as its signer may, only the newest version, and only after re-confirming with a
    fresh TOTP code. A sealed copy with a signature page is made afterwards by a task.

    Wrong codes are limited (``portal.attempts``, purpose ``mandate_sign``): after too many
    the signer is locked out for a while; while locked (or with the cache down) no code is
    checked and nothing changes."""
    subject = attempts.subject_of(actor)
    attempts.ensure_open(purpose=SIGN_PURPOSE, subject=subject)
    try:
        signature = _mandate_sign(
            actor=actor, participation=participation, document=document, code=code
        )
    except WrongCode:
        locked = attempts.failed(
            purpose=SIGN_PURPOSE,
            subject=subject,
            actor=actor,
            organisation=participation.organisation,
        )
        if locked is not None:
            raise locked from None
        raise
    attempts.succeeded(purpose=SIGN_PURPOSE, subject=subject)
    return signature


@transaction.atomic
def _mandate_sign(
    *,
    actor: User,
    participation: Participation,
    document: MandateDocument,
    code: str,
) -> MandateSignature:
    if not Membership.objects.filter(user=actor, organisation=participation.organisation).exists():
        raise PermissionDenied
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))
    Participation.objects.select_for_update().get(pk=participation.pk)
    authority = _authority_or_error(participation=participation)
    if not is_designated_signer(user=actor, participation=participation):
        raise ValidationError(
            _(
                "Only %(name)s, the designated signer, can sign this mandate. Ask them to sign, "
                "or upload the signed scan."
            )
            % {"name": authority.signer_name}
        )
    document = MandateDocument.objects.select_for_update().get(pk=document.pk)
    if document.participation_id != participation.pk or document.status != D.DONE:
        raise ValidationError(_("This version of the mandate cannot be signed."))
    _newest_signable(participation=participation, document=document)
    authenticator = Authenticator.objects.filter(user=actor, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise ValidationError(
            {"code": _("Set up two-factor authentication first; signing requires it.")}
        )
    if not TOTP(authenticator).validate_code(code.strip()):
        raise WrongCode(
            {
                "code": _(
                    "The code is not correct. Enter the current code from your authenticator app."
                )
            }
        )
    now = timezone.now()
    signature = MandateSignature.objects.create(
        participation=participation,
        method=MandateSignature.Method.PORTAL,
        document=document,
        sha256=document.sha256,
        signatory=actor,
        signatory_name=authority.signer_name,
        signatory_function=authority.signer_function,
        signed_at=now,
        recorded_by=actor,
        mfa_confirmed_at=now,
    )
    mandate_seal_request(signature=signature)
    audit(
        actor=actor,
        action="mandate.signed",
        target=signature,
        organisation=participation.organisation,
        sha256=document.sha256,
        version=document.version,
    )
    return signature


def mandates_requeue_lost(*, older_than: timedelta) -> list[int]:
    """Mandate versions still queued or being generated after ``older_than`` (longer than the
    task with all its retries may take): their task was lost, for example with the broker's
    data. Queue them again; the task is idempotent."""
    return jobs.requeue_lost(MANDATE_JOB, older_than=older_than)
