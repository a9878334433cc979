from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from portal.models import AuditEvent, Organisation, User


def person_ref(user: User | None) -> str | None:
    """How an audit event names a person in its data: their pseudonym (``public_id``), never
    their name or e-mail address, which the chained ``data`` could never erase
    (docs/decisions/0015-personal-data.md)."""
    return str(user.public_id) if user is not None else None


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    organisation: Organisation | None = None,
    **data: Any,
) -> AuditEvent:
    """Record one audit event, chained to the one before (``portal.audit_chain``). Call
    inside the service's transaction, as its last write: the chain is locked from here until
    the transaction ends."""
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_ref=user.public_id if user is not None else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(getattr(target, "public_id", None) or getattr(target, "pk", "") or ""),
        data=data,
    )
