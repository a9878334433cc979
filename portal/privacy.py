"""Personal data (AVG/GDPR): what the portal holds about a person, removing a person, and the
retention periods (docs/decisions/0015-personal-data.md, docs/privacy/verwerkingsregister.md).

Every app describes its own personal data here through a registry, so that the core never
imports an app above it: a *source* exports a person's rows, may refuse a removal (a pending
legal role) and erases what must go; a *retention rule* removes one batch of rows older than
its setting. The apps register in their ``privacy`` module, loaded by their ``AppConfig``.

The audit trail is never changed: events name their actor by ``actor_ref`` (the user's
``public_id``) and carry no names or e-mail addresses. The user's row is the mutable map from
that pseudonym to the person; removing the person anonymises the row, which ends the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import audit
from portal.models import Invitation, Membership, OutboxMessage, Role, User
from portal.selectors import is_project_team_editor

# Domain of the placeholder address of a removed user: ".invalid" is reserved (RFC 2606) and
# never delivers.
REMOVED_DOMAIN = "removed.invalid"


@dataclass(frozen=True)
class Source:
    """One kind of personal data of a person. ``export(user, limit)`` returns up to ``limit``
    rows as JSON-able dicts; ``blockers(user)`` the reasons a removal must wait; ``erase(user)``
    removes or anonymises the rows (inside the removal's transaction, before the user's row is
    anonymised, so it can still match on the e-mail address)."""

    key: str
    title: str
    export: Callable[[User, int], list[dict[str, Any]]]
    blockers: Callable[[User], list[str]] | None = None
    erase: Callable[[User], None] | None = None


@dataclass(frozen=True)
class RetentionRule:
    """Removes one batch (at most ``batch`` rows) of what is older than ``cutoff`` and returns
    how many rows it removed; the task calls it until it returns fewer than a batch."""

    key: str  # the key in settings.RETENTION, in days
    apply: Callable[[datetime, int], int]


SOURCES: dict[str, Source] = {}
RETENTION_RULES: dict[str, RetentionRule] = {}


def register_source(source: Source) -> None:
    SOURCES[source.key] = source


def register_retention(rule: RetentionRule) -> None:
    RETENTION_RULES[rule.key] = rule


def pseudonym(user: User) -> str:
    """How a removed user is shown: "Removed user 3f2a9c1b" (the start of the public id)."""
    return _("Removed user %(ref)s") % {"ref": user.public_id.hex[:8]}


def is_removed(user: User) -> bool:
    return user.email.endswith("@" + REMOVED_DOMAIN)


# --- Removal ---------------------------------------------------------------------------------


def _own_blockers(user: User) -> list[str]:
    reasons = []
    memberships = Membership.objects.filter(user=user, role=Role.ADMIN).select_related(
        "organisation"
    )
    for membership in memberships:
        others = (
            Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN)
            .exclude(user=user)
            .exists()
        )
        if not others:
            reasons.append(
                _(
                    "This account is the only administrator of %(organisation)s. Make a "
                    "colleague administrator first, so that the organisation is not left "
                    "without one."
                )
                % {"organisation": membership.organisation.name}
            )
    return reasons


def removal_blockers(user: User) -> list[str]:
    """Why ``user`` cannot be removed now (empty: they can)."""
    reasons = _own_blockers(user)
    for source in SOURCES.values():
        if source.blockers is not None:
            reasons += source.blockers(user)
    return reasons


def may_remove(actor: User, user: User) -> bool:
    """The person themselves, a superuser (the admin) and the project team's editors."""
    return actor.pk == user.pk or actor.is_superuser or is_project_team_editor(user=actor)


@transaction.atomic
def user_remove(*, actor: User, user: User) -> User:
    """Remove a person: their rows elsewhere are erased or anonymised by the sources, their
    memberships end, and their user row keeps only its pseudonym (name "Removed user 3f2a…",
    a placeholder address, an unusable password, inactive, no MFA, no e-mail addresses). The
    audit trail is not changed: it never held their name or address."""
    if not may_remove(actor, user):
        raise PermissionDenied
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if is_removed(user):
        raise ValidationError(_("This account has already been removed."))
    reasons = removal_blockers(user)
    if reasons:
        raise ValidationError(reasons)
    email = user.email
    for source in SOURCES.values():
        if source.erase is not None:
            source.erase(user)
    memberships = Membership.objects.filter(user=user).count()
    Membership.objects.filter(user=user).delete()
    # Invitations to the address: open ones go; accepted ones lose the address.
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).delete()
    Invitation.objects.filter(email__iexact=email).update(
        email=f"{user.public_id.hex}@{REMOVED_DOMAIN}"
    )
    # Mail that has not left yet is not sent to a removed person.
    OutboxMessage.objects.filter(recipient__iexact=email, sent_at__isnull=True).delete()
    _erase_account(user)
    with translation.override(settings.LANGUAGE_CODE):
        user.name = pseudonym(user)
    user.email = f"{user.public_id.hex}@{REMOVED_DOMAIN}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit(
        actor=actor,
        action="user.removed",
        target=user,
        by_self=actor.pk == user.pk,
        memberships_ended=memberships,
    )
    return user


def _erase_account(user: User) -> None:
    """allauth's rows of the account: addresses, MFA authenticators, social logins."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()


# --- Retention -------------------------------------------------------------------------------


def retention_apply(*, now: datetime | None = None, batch: int | None = None) -> dict[str, int]:
    """Apply every retention period of ``settings.RETENTION`` (days): each rule removes what is
    older, a batch at a time, each batch in its own transaction. Idempotent: a second run
    finds nothing. Records one audit event with the counts."""
    now = now or timezone.now()
    batch = batch or settings.RETENTION_BATCH
    counts: dict[str, int] = {}
    for key, days in settings.RETENTION.items():
        rule = RETENTION_RULES.get(key)
        if rule is None:
            raise ValueError(f"No retention rule for the setting RETENTION[{key!r}].")
        cutoff = now - timedelta(days=days)
        removed = 0
        while True:
            with transaction.atomic():
                done = rule.apply(cutoff, batch)
            removed += done
            if done < batch:
                break
        counts[key] = removed
    with transaction.atomic():
        audit(actor=None, action="privacy.retention_applied", removed=counts)
    return counts


def batch_delete(queryset, batch: int) -> int:
    """Delete at most ``batch`` rows of ``queryset`` (ids first: a DELETE with a LIMIT is not
    portable)."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
    if not ids:
        return 0
    queryset.model.objects.filter(pk__in=ids).delete()
    return len(ids)
