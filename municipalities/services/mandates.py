"""The mandate (machtiging en volmacht): generated as a PDF by a task, then completed by an
uploaded signed scan or by signing in the portal with MFA."""

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

from municipalities.models import MandateDocument, MandateSignature, Participation
from municipalities.selectors import can_edit_participation
from portal import idempotency, jobs
from portal.audit import audit
from portal.models import Membership, User
from portal.uploads import validate_pdf_upload

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


@transaction.atomic
def mandate_request(
    *,
    actor: User,
    participation: Participation,
    signatory_name: str,
    signatory_function: str,
    change_note: str = "",
    idempotency_key=None,
) -> MandateDocument:
    """Queue a new version of the mandate PDF; a worker renders it (never the web request).
    The same form sent twice raises ``AlreadyDone`` instead of queueing a second version."""
    _require_editable(actor=actor, participation=participation)
    claimed = idempotency.claim(actor=actor, key=idempotency_key, action="mandate.requested")
    errors = {}
    if not signatory_name.strip():
        errors["signatory_name"] = _("Enter the name of the person who signs.")
    if not signatory_function.strip():
        errors["signatory_function"] = _(
            "Enter the function of the person who signs, e.g. burgemeester."
        )
    if errors:
        raise ValidationError(errors)
    Participation.objects.select_for_update().get(pk=participation.pk)
    latest = participation.mandate_documents.aggregate(v=Max("version"))["v"] or 0
    document = MandateDocument.objects.create(
        participation=participation,
        version=latest + 1,
        signatory_name=signatory_name.strip(),
        signatory_function=signatory_function.strip(),
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
        .prefetch_related("covered__municipality", "contacts", "lots")
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
            "municipalities": [c.municipality for c in participation.covered.all() if c.is_active],
            "contacts": list(participation.contacts.all()),
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


@transaction.atomic
def mandate_upload_signed(
    *,
    actor: User,
    participation: Participation,
    file,
    signatory_name: str,
    signatory_function: str,
) -> MandateSignature:
    """Complete the mandate with a scan of the signed PDF (checked by content and size)."""
    _require_editable(actor=actor, participation=participation)
    errors: dict[str, str | list[str]] = {}
    try:
        content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        errors["file"] = exc.messages
        content = b""
    if not signatory_name.strip():
        errors["signatory_name"] = _("Enter the name of the person who signed.")
    if not signatory_function.strip():
        errors["signatory_function"] = _("Enter the function of the person who signed.")
    if errors:
        raise ValidationError(errors)
    signature = MandateSignature(
        participation=participation,
        method=MandateSignature.Method.UPLOAD,
        sha256=hashlib.sha256(content).hexdigest(),
        signatory_name=signatory_name.strip(),
        signatory_function=signatory_function.strip(),
        recorded_by=actor,
    )
    signature.signed_file.save("getekend-mandaat.pdf", ContentFile(content), save=False)
    signature.save()
    audit(
        actor=actor,
        action="mandate.uploaded",
        target=signature,
        organisation=participation.organisation,
        sha256=signature.sha256,
    )
    return signature


def user_has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@transaction.atomic
def mandate_sign(
    *,
    actor: User,
    participation: Participation,
    document: MandateDocument,
    code: str,
    function: str,
) -> MandateSignature:
    """Sign the exact version ``document`` in the portal. Only an authorised signatory of the
    participant may, and only after re-confirming with a fresh TOTP code."""
    membership = Membership.objects.filter(
        user=actor, organisation=participation.organisation
    ).first()
    if membership is None or not membership.is_signatory:
        raise PermissionDenied
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))
    document = MandateDocument.objects.select_for_update().get(pk=document.pk)
    if document.participation_id != participation.pk or document.status != D.DONE:
        raise ValidationError(_("This version of the mandate cannot be signed."))
    latest = participation.mandate_documents.aggregate(v=Max("version"))["v"]
    if document.version != latest:
        raise ValidationError(_("A newer version of the mandate exists. Sign the newest version."))
    authenticator = Authenticator.objects.filter(user=actor, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise ValidationError(
            {"code": _("Set up two-factor authentication first; signing requires it.")}
        )
    if not function.strip():
        raise ValidationError({"function": _("Enter your function, e.g. burgemeester.")})
    if not TOTP(authenticator).validate_code(code.strip()):
        raise ValidationError(
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
        signatory_name=actor.name or actor.email,
        signatory_function=function.strip(),
        signed_at=now,
        recorded_by=actor,
        mfa_confirmed_at=now,
    )
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
