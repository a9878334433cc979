"""The municipalities' personal data for ``portal.privacy``: mandates the person signed and
where they are the named signer; a signer of a registration still in progress cannot be removed
(the mandate is signed on their authority)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.models import (
    BulkInvitation,
    MandateSignature,
    OrganisationContact,
    OrganisationJoinRequest,
    Participation,
    SigningAuthority,
)
from portal.models import User
from portal.privacy import Source, register_source

# Registrations whose mandate may still be signed or checked on the signer's authority.
IN_PROGRESS = (
    Participation.Status.DRAFT,
    Participation.Status.SUBMITTED,
    Participation.Status.RETURNED,
)


def _signatures(user: User, limit: int) -> list[dict[str, Any]]:
    rows = MandateSignature.objects.filter(signatory=user).select_related(
        "participation__organisation"
    )
    return [
        {
            "organisation": s.participation.organisation.name,
            "method": s.method,
            "signatory_name": s.signatory_name,
            "signatory_function": s.signatory_function,
            "signed_at": s.signed_at,
            "sha256": s.sha256,
            "voided_at": s.voided_at,
        }
        for s in rows.order_by("-signed_at")[:limit]
    ]


def _authorities(user: User, limit: int) -> list[dict[str, Any]]:
    rows = SigningAuthority.objects.filter(signer=user).select_related(
        "participation__organisation"
    )
    return [
        {
            "organisation": a.participation.organisation.name,
            "basis": a.basis,
            "signer_name": a.signer_name,
            "signer_function": a.signer_function,
            "decision_date": a.decision_date,
            "decision_reference": a.decision_reference,
        }
        for a in rows.order_by("-updated_at")[:limit]
    ]


def _blockers(user: User) -> list[str]:
    pending = SigningAuthority.objects.filter(
        signer=user, participation__status__in=IN_PROGRESS
    ).select_related("participation__organisation")
    return [
        _(
            "This account is the designated signer of the mandate of %(organisation)s, whose "
            "registration is still in progress. Record another signer first."
        )
        % {"organisation": authority.participation.organisation.name}
        for authority in pending
    ]


register_source(
    Source("mandates_signed", gettext_lazy("Mandates signed"), _signatures, blockers=_blockers)
)
register_source(
    Source("signing_authorities", gettext_lazy("Named as signer of a mandate"), _authorities)
)


def _join_requests(user: User, limit: int) -> list[dict[str, Any]]:
    rows = OrganisationJoinRequest.objects.filter(user=user).select_related("organisation")
    return [
        {
            "organisation": r.organisation.name,
            "function": r.function,
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at,
            "decided_at": r.decided_at,
        }
        for r in rows.order_by("-created_at")[:limit]
    ]


def _contacts(user: User, limit: int) -> list[dict[str, Any]]:
    rows = OrganisationContact.objects.filter(email__iexact=user.email).select_related(
        "organisation"
    )
    return [
        {"organisation": c.organisation.name, "name": c.name, "email": c.email}
        for c in rows.order_by("organisation__name")[:limit]
    ]


def _erase_onboarding(user: User) -> None:
    """Requests to join and the contact rows go; in the reports of spreadsheet invitations the
    person's rows keep their outcome without name or address."""
    OrganisationJoinRequest.objects.filter(user=user).delete()
    OrganisationContact.objects.filter(email__iexact=user.email).delete()
    email = user.email.lower()
    for bulk in BulkInvitation.objects.filter(report__icontains=email).iterator():
        for entry in bulk.report:
            if str(entry.get("email", "")).strip().lower() == email:
                entry.update(email="", name="")
        bulk.save(update_fields=["report"])


register_source(
    Source(
        "buyer_join_requests",
        gettext_lazy("Requests to join an organisation"),
        _join_requests,
        erase=_erase_onboarding,
    )
)
register_source(
    Source("organisation_contacts", gettext_lazy("Contact of an organisation"), _contacts)
)
