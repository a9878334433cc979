"""The core's personal data for ``portal.privacy``: memberships, invitations sent and received,
audit events the person made; and the core's retention rules (sent outbox rows, invitations
never accepted, accounts never verified)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent, Invitation, Membership, OutboxMessage, User
from portal.privacy import RetentionRule, Source, batch_delete, register_retention, register_source


def _memberships(user: User, limit: int) -> list[dict[str, Any]]:
    rows = Membership.objects.filter(user=user).select_related("organisation")[:limit]
    return [
        {
            "organisation": m.organisation.name,
            "role": m.role,
            "authorised_signatory": m.is_signatory,
            "since": m.created_at,
        }
        for m in rows
    ]


def _invitation(invitation: Invitation) -> dict[str, Any]:
    return {
        "organisation": invitation.organisation.name,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
    }


def _invitations_sent(user: User, limit: int) -> list[dict[str, Any]]:
    rows = Invitation.objects.filter(invited_by=user).select_related("organisation")
    return [_invitation(i) for i in rows.order_by("-created_at")[:limit]]


def _invitations_received(user: User, limit: int) -> list[dict[str, Any]]:
    rows = Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))
    return [
        _invitation(i) for i in rows.select_related("organisation").order_by("-created_at")[:limit]
    ]


def _audit_events(user: User, limit: int) -> list[dict[str, Any]]:
    rows = AuditEvent.objects.filter(actor_ref=user.public_id).order_by("-created_at", "-id")
    return [
        {
            "at": e.created_at,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "data": e.data,
        }
        for e in rows[:limit]
    ]


register_source(Source("memberships", _("Memberships"), _memberships))
register_source(Source("invitations_sent", _("Invitations sent"), _invitations_sent))
register_source(Source("invitations_received", _("Invitations received"), _invitations_received))
register_source(Source("audit_events", _("Actions recorded in the audit trail"), _audit_events))


def _outbox_sent(cutoff: datetime, batch: int) -> int:
    return batch_delete(OutboxMessage.objects.filter(sent_at__lt=cutoff), batch)


def _unaccepted_invitations(cutoff: datetime, batch: int) -> int:
    never_accepted = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    )
    return batch_delete(never_accepted, batch)


def _inactive_unverified_accounts(cutoff: datetime, batch: int) -> int:
    """Accounts that never verified an address and never logged in, and belong nowhere.
    Nothing refers to them but their own rows (cascaded) and, possibly, audit events by
    pseudonym, which stay."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    accounts = User.objects.filter(
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        memberships__isnull=True,
    ).exclude(pk__in=verified)
    return batch_delete(accounts, batch)


register_retention(RetentionRule("outbox_sent_days", _outbox_sent))
register_retention(RetentionRule("unaccepted_invitations_days", _unaccepted_invitations))
register_retention(
    RetentionRule("inactive_unverified_accounts_days", _inactive_unverified_accounts)
)
