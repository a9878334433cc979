from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from portal.models import AuditEvent, Organisation, User


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    organisation: Organisation | None = None,
    **data: Any,
) -> AuditEvent:
    """Record one audit event. Call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(getattr(target, "public_id", None) or getattr(target, "pk", "") or ""),
        data=data,
    )
