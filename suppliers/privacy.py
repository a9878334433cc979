"""The suppliers' personal data for ``portal.privacy``: join requests (the person who asked,
their message) and the retention of declined requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.privacy import RetentionRule, Source, batch_delete, register_retention, register_source
from suppliers.models import JoinRequest


def _join_requests(user: User, limit: int) -> list[dict[str, Any]]:
    rows = JoinRequest.objects.filter(user=user).select_related("organisation")[:limit]
    return [
        {
            "organisation": r.organisation.name,
            "message": r.message,
            "status": r.status,
            "created_at": r.created_at,
            "decided_at": r.decided_at,
        }
        for r in rows
    ]


def _erase(user: User) -> None:
    # A decided request stays as the record of the decision, without the person's message.
    JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).delete()
    JoinRequest.objects.filter(user=user).update(message="")


def _declined(cutoff: datetime, batch: int) -> int:
    rows = JoinRequest.objects.filter(status=JoinRequest.Status.DECLINED, decided_at__lt=cutoff)
    return batch_delete(rows, batch)


register_source(Source("join_requests", _("Join requests"), _join_requests, erase=_erase))
register_retention(RetentionRule("declined_join_requests_days", _declined))
