"""Reads of the mandate's authority: who may sign, which signature counts, and what is still
missing before a participation can be submitted or approved. Each rule lives here once; the
services, views and the API call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from municipalities.models import (
    MandateDocument,
    MandateSeal,
    MandateSignature,
    Participation,
    SigningAuthority,
)
from portal.models import User
from portal.selectors import membership_for


def signing_authority_of(*, participation: Participation) -> SigningAuthority | None:
    try:
        return participation.signing_authority
    except ObjectDoesNotExist:
        return None


def signer_candidates(*, participation: Participation):
    """The portal users who can be named as the signer: members of the participant."""
    return (
        User.objects.filter(memberships__organisation=participation.organisation, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


def is_designated_signer(*, user: Any, participation: Participation) -> bool:
    """Whether ``user`` is the person the participation names as its signer (and still a
    member of the participant). The organisation's own "authorised signatory" flag plays no
    part: only the recorded designation, checked by the project team, does."""
    authority = signing_authority_of(participation=participation)
    return (
        user.is_authenticated
        and authority is not None
        and authority.signer_id == user.pk
        and membership_for(user=user, organisation=participation.organisation) is not None
    )


def newest_document(*, participation: Participation) -> MandateDocument | None:
    documents = sorted(participation.mandate_documents.all(), key=lambda d: -d.version)
    return documents[0] if documents else None


def signature_of_newest_version(*, participation: Participation) -> MandateSignature | None:
    """The signature that completes the mandate: not voided, of the newest version, which is
    not outdated. It may still await the project team's check (``awaits_check``)."""
    document = newest_document(participation=participation)
    if document is None or document.outdated_at is not None:
        return None
    signatures = sorted(
        participation.mandate_signatures.all(), key=lambda s: s.signed_at, reverse=True
    )
    for signature in signatures:
        if signature.voided_at is None and signature.document_id == document.pk:
            return signature
    return None


def mandate_problems(*, participation: Participation) -> list[str]:
    """What is missing for the mandate before the participation can be submitted."""
    authority = signing_authority_of(participation=participation)
    if authority is None or not authority.is_complete:
        return [
            _(
                "Record the college's decision and who may sign (the mayor or the person the "
                "mayor designated)."
            )
        ]
    document = newest_document(participation=participation)
    if document is not None and document.outdated_at is not None:
        return [
            _(
                "The mandate no longer matches the registration (%(reason)s). Generate a new "
                "version and have it signed."
            )
            % {"reason": document.outdated_reason}
        ]
    if signature_of_newest_version(participation=participation) is None:
        return [
            _(
                "Complete the mandate: the designated signer signs the newest version in the "
                "portal, or you upload the signed scan."
            )
        ]
    return []


def approval_problems(*, participation: Participation) -> list[str]:
    """What the project team must have checked before it approves a participation."""
    problems = mandate_problems(participation=participation)
    if problems:
        return problems
    authority = signing_authority_of(participation=participation)
    assert authority is not None  # mandate_problems checked it
    if not authority.is_checked:
        problems.append(
            _(
                "Check the college's decision and the designation of the signer first; the "
                "registration cannot be approved before that."
            )
        )
    signature = signature_of_newest_version(participation=participation)
    if signature is not None and signature.awaits_check:
        problems.append(
            _(
                "Check the uploaded signed mandate against the designation of the signer "
                "first; it was not uploaded by the signer."
            )
        )
    return problems


def mandate_counts_as_signed(*, participation: Participation) -> bool:
    signature = signature_of_newest_version(participation=participation)
    return signature is not None and not signature.awaits_check


def seal_of(*, signature: MandateSignature) -> MandateSeal | None:
    try:
        return signature.seal
    except ObjectDoesNotExist:
        return None


def signed_file_of(*, signature: MandateSignature):
    """The file to hand out for a signature: the sealed copy with its signature page once it
    is made, the uploaded scan, or else the signed version itself."""
    seal = seal_of(signature=signature)
    if seal is not None and seal.status == MandateSeal.Status.DONE:
        return seal.file
    if signature.signed_file:
        return signature.signed_file
    return signature.document.file if signature.document else None


class MandateState:
    """Where a participation's mandate stands: exactly one of these at a time, in the order a
    participant goes through them. The mandate page shows this one state (and only the form
    that moves it on), so it never says "signed" next to "nothing generated yet"."""

    AUTHORITY = "authority"  # record the college's decision and who may sign
    GENERATE = "generate"  # generate the document
    GENERATING = "generating"  # the document is being made
    FAILED = "failed"  # making the document failed
    OUTDATED = "outdated"  # the newest version no longer matches the registration
    SIGN = "sign"  # the newest version is ready to be signed
    CHECK = "check"  # signed by upload of someone else; the project team checks it
    SIGNED = "signed"  # complete


def mandate_state(*, participation: Participation) -> str:
    authority = signing_authority_of(participation=participation)
    if authority is None or not authority.is_complete:
        return MandateState.AUTHORITY
    document = newest_document(participation=participation)
    if document is None:
        return MandateState.GENERATE
    if document.outdated_at is not None:
        return MandateState.OUTDATED
    if document.status == MandateDocument.Status.FAILED:
        return MandateState.FAILED
    if document.status != MandateDocument.Status.DONE:
        return MandateState.GENERATING
    signature = signature_of_newest_version(participation=participation)
    if signature is None:
        return MandateState.SIGN
    return MandateState.CHECK if signature.awaits_check else MandateState.SIGNED
