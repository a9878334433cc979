"""The mandate's authority: the college's decision (Gemeentewet art. 160) and who may sign
(the mayor, art. 171(1), or a person the mayor designated, art. 171(2)); the project team's
check of both; voiding a signature when what it signed changed; and the sealed copy of a
mandate signed in the portal (the signed version with a signature page)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import (
    MandateDocument,
    MandateSeal,
    MandateSignature,
    Participation,
    SigningAuthority,
)
from municipalities.selectors import can_edit_participation
from municipalities.selectors.signing import signer_candidates, signing_authority_of
from portal import jobs
from portal.audit import audit, person_ref
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from portal.uploads import validate_pdf_upload
from portal.virus_scan import NOT_SCANNED, ScanResult, scan_uploads

B = SigningAuthority.Basis
# The signed copy with its signature page is made by this task, sent by name after commit.
SEAL_JOB = jobs.JobKind(
    MandateSeal,
    task_name="municipalities.mandate_seal_render_task",
    requested_at_field="created_at",
    claimed_at_field="claimed_at",
    lost_after=timedelta(minutes=6),
)


def _pdf(file, errors: dict, field: str) -> bytes | None:
    if file is None:
        return None
    try:
        return validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        errors[field] = exc.messages
        return None


def mandate_void(*, participation: Participation, reason: str, actor: User | None = None) -> int:
    """Void every live signature of the participation and mark its mandate versions outdated:
    what was signed no longer matches. The rows stay as evidence; a new version has to be
    generated and signed. Returns how many signatures were voided."""
    now = timezone.now()
    MandateDocument.objects.filter(participation=participation, outdated_at__isnull=True).update(
        outdated_at=now, outdated_reason=reason[:200]
    )
    voided = list(
        MandateSignature.objects.select_for_update().filter(
            participation=participation, voided_at__isnull=True
        )
    )
    for signature in voided:
        signature.voided_at = now
        signature.void_reason = reason[:200]
        signature.save(update_fields=["voided_at", "void_reason"])
        audit(
            actor=actor,
            action="mandate.voided",
            target=signature,
            organisation=participation.organisation,
            reason=signature.void_reason,
            sha256=signature.sha256,
        )
    return len(voided)


def signing_authority_set(
    *,
    actor: User,
    participation: Participation,
    basis: str,
    signer: User | None,
    signer_name: str,
    signer_function: str,
    decision_date: date | None,
    decision_reference: str,
    decision_file=None,
    designation_file=None,
) -> SigningAuthority:
    """Record the college's decision and who signs (``_signing_authority_set``), after its
    files were scanned for viruses outside the transaction (portal.virus_scan)."""
    if not can_edit_participation(user=actor, participation=participation):
        raise PermissionDenied
    files = {"decision_file": decision_file, "designation_file": designation_file}
    scans = scan_uploads(
        {field: file for field, file in files.items() if file is not None},
        actor=actor,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=participation,
        organisation=participation.organisation,
    )
    return _signing_authority_set(
        actor=actor,
        scans=scans,
        participation=participation,
        basis=basis,
        signer=signer,
        signer_name=signer_name,
        signer_function=signer_function,
        decision_date=decision_date,
        decision_reference=decision_reference,
        decision_file=decision_file,
        designation_file=designation_file,
    )


@transaction.atomic
def _signing_authority_set(
    *,
    actor: User,
    scans: dict[str, ScanResult],
    participation: Participation,
    basis: str,
    signer: User | None,
    signer_name: str,
    signer_function: str,
    decision_date: date | None,
    decision_reference: str,
    decision_file=None,
    designation_file=None,
) -> SigningAuthority:
    """Record the college's decision and who signs. A change of the signer or of the decision
    voids a signature given before (and asks for a new version); any change needs the project
    team's check again."""
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not can_edit_participation(user=actor, participation=participation):
        raise PermissionDenied
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))
    current = signing_authority_of(participation=participation)
    errors: dict[str, str | list[str]] = {}
    if decision_date is None:
        errors["decision_date"] = _("Enter the date of the college's decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The date of the college's decision cannot be in the future.")
    if not decision_reference.strip():
        errors["decision_reference"] = _("Enter the reference of the college's decision.")
    decision = _pdf(decision_file, errors, "decision_file")
    if decision_file is None and not (current and current.decision_file):
        errors["decision_file"] = _("Add the college's decision as a PDF file.")
    if basis not in B.values:
        errors["basis"] = _("Choose who signs: the mayor or a person the mayor designated.")
    designation = _pdf(designation_file, errors, "designation_file")
    if (
        basis == B.DESIGNATED
        and designation_file is None
        and not (current and current.designation_file)
    ):
        errors["designation_file"] = _("Add the mayor's written designation as a PDF file.")
    if signer is None or not (
        signer_candidates(participation=participation).filter(pk=signer.pk).exists()
    ):
        errors["signer"] = _("Choose the person who signs in the portal from your organisation.")
    if not signer_name.strip():
        errors["signer_name"] = _("Enter the name of the person who signs.")
    if not signer_function.strip():
        errors["signer_function"] = _(
            "Enter the function of the person who signs, e.g. burgemeester."
        )
    if errors:
        raise ValidationError(errors)
    assert signer is not None
    authority = current or SigningAuthority(participation=participation)
    signer_changed = current is not None and (
        current.basis != basis
        or current.signer_id != signer.pk
        or current.signer_name != signer_name.strip()
        or current.signer_function != signer_function.strip()
    )
    decision_changed = current is not None and (
        current.decision_date != decision_date
        or current.decision_reference != decision_reference.strip()
    )
    authority.basis = basis
    authority.signer = signer
    authority.signer_name = signer_name.strip()
    authority.signer_function = signer_function.strip()
    authority.decision_date = decision_date
    authority.decision_reference = decision_reference.strip()
    if decision is not None:
        authority.decision_file.save("collegebesluit.pdf", ContentFile(decision), save=False)
        authority.decision_sha256 = hashlib.sha256(decision).hexdigest()
        scans["decision_file"].apply(authority, prefix="decision_")
    if basis == B.MAYOR:
        authority.designation_file = ""
        authority.designation_sha256 = ""
        NOT_SCANNED.apply(authority, prefix="designation_")
    elif designation is not None:
        authority.designation_file.save("aanwijzing.pdf", ContentFile(designation), save=False)
        authority.designation_sha256 = hashlib.sha256(designation).hexdigest()
        scans["designation_file"].apply(authority, prefix="designation_")
    # What the project team checked is no longer what is recorded.
    authority.checked_at = None
    authority.checked_by = None
    authority.updated_at = timezone.now()
    authority.updated_by = actor
    authority.save()
    if signer_changed:
        mandate_void(participation=participation, reason=_("the signer changed"), actor=actor)
    elif decision_changed:
        mandate_void(
            participation=participation, reason=_("the college's decision changed"), actor=actor
        )
    audit(
        actor=actor,
        action="mandate.authority_recorded",
        target=participation,
        organisation=participation.organisation,
        basis=basis,
        signer=person_ref(signer),
        signer_function=authority.signer_function,
        decision_date=str(decision_date),
        decision_reference=authority.decision_reference,
        decision_sha256=authority.decision_sha256,
        designation_sha256=authority.designation_sha256,
    )
    return authority


@transaction.atomic
def signing_authority_check(*, actor: User, participation: Participation) -> SigningAuthority:
    """The project team has read the college's decision and the designation and confirms that
    the named person may sign."""
    require(is_project_team_editor(user=actor))
    authority = (
        SigningAuthority.objects.select_for_update().filter(participation=participation).first()
    )
    if authority is None or not authority.is_complete:
        raise ValidationError(
            _("The college's decision or the designation of the signer is missing.")
        )
    authority.checked_at = timezone.now()
    authority.checked_by = actor
    authority.save(update_fields=["checked_at", "checked_by"])
    audit(
        actor=actor,
        action="mandate.authority_checked",
        target=participation,
        organisation=participation.organisation,
        decision_sha256=authority.decision_sha256,
        designation_sha256=authority.designation_sha256,
    )
    return authority


@transaction.atomic
def mandate_signature_check(
    *, actor: User, participation: Participation, signature: MandateSignature
) -> MandateSignature:
    """The project team compared a scan uploaded by someone other than the signer with the
    designation: from now on it counts as signed."""
    require(is_project_team_editor(user=actor))
    signature = MandateSignature.objects.select_for_update().get(
        pk=signature.pk, participation=participation
    )
    if signature.voided_at is not None:
        raise ValidationError(_("This signature was voided; it cannot be checked any more."))
    if not signature.awaits_check:
        raise ValidationError(_("This signed mandate does not need a check."))
    signature.checked_at = timezone.now()
    signature.checked_by = actor
    signature.save(update_fields=["checked_at", "checked_by"])
    audit(
        actor=actor,
        action="mandate.signature_checked",
        target=signature,
        organisation=participation.organisation,
        file_sha256=signature.file_sha256,
    )
    return signature


def mandate_seal_request(*, signature: MandateSignature) -> MandateSeal:
    """Queue the signed copy of a portal signature (inside the signing transaction)."""
    seal = MandateSeal.objects.create(signature=signature)
    jobs.enqueue_on_commit(SEAL_JOB.task_name, seal.pk)
    return seal


def mandate_seal_render(*, seal_id: int) -> MandateSeal:
    """Append the signature page to the signed version and store the result with its own
    SHA-256. Idempotent: a finished copy is never made again."""
    from portal.pdf import append_pdf, render_pdf

    seal, claimed = jobs.claim(SEAL_JOB, pk=seal_id)
    if not claimed:
        return seal
    signature = MandateSignature.objects.select_related(
        "document", "participation__organisation", "participation__programme"
    ).get(pk=seal.signature_id)
    document = signature.document
    assert document is not None  # a portal signature always names its version
    with document.file.open("rb") as handle:
        signed_version = handle.read()
    page = render_pdf(
        "pdf/mandate_signature_page.html",
        {
            "signature": signature,
            "document": document,
            "participation": signature.participation,
            "organisation": signature.participation.organisation,
            "programme": signature.participation.programme,
        },
    )
    content = append_pdf(signed_version, page)
    with transaction.atomic():
        seal, finished = jobs.finish_with_file(
            SEAL_JOB,
            pk=seal_id,
            name=lambda job: f"mandaat-v{document.version}-getekend.pdf",
            content=content,
            rendered_at=timezone.now(),
        )
        if finished:
            MandateSignature.objects.filter(pk=signature.pk).update(file_sha256=seal.sha256)
    return seal


def mandate_seal_mark_failed(*, seal_id: int, error: str) -> None:
    jobs.mark_failed(SEAL_JOB, pk=seal_id, error=error)


def mandate_seals_requeue_lost(*, older_than: timedelta) -> list[int]:
    return jobs.requeue_lost(SEAL_JOB, older_than=older_than)
