"""The market consultation's personal data for ``portal.privacy``: clarification questions the
person asked and the talks they booked."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from consultations.models import ClarificationQuestion, TalkSlot
from portal.models import User
from portal.privacy import Source, register_source


def _clarifications(user: User, limit: int) -> list[dict[str, Any]]:
    rows = ClarificationQuestion.objects.filter(asked_by=user).select_related(
        "consultation", "organisation"
    )
    return [
        {
            "consultation": q.consultation.title,
            "organisation": q.organisation.name,
            "asked_at": q.asked_at,
            "question": q.question,
            "status": q.status,
            "answer": q.answer,
        }
        for q in rows.order_by("-asked_at")[:limit]
    ]


def _talks(user: User, limit: int) -> list[dict[str, Any]]:
    rows = TalkSlot.objects.filter(booked_by=user).select_related("consultation", "organisation")
    return [
        {
            "consultation": t.consultation.title,
            "organisation": t.organisation.name if t.organisation else None,
            "starts_at": t.starts_at,
            "ends_at": t.ends_at,
            "location": t.location,
            "booked_at": t.booked_at,
        }
        for t in rows.order_by("-starts_at")[:limit]
    ]


register_source(Source("clarifications", _("Clarification questions"), _clarifications))
register_source(Source("talk_bookings", _("Talks booked"), _talks))
