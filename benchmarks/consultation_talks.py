"""The 1-on-1 talk slots of the open benchmark consultation (see
benchmarks/generate_consultation.py), bulk inserted: one for each responding supplier, most of
them booked."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.consultation_responses import Plan
from consultations.models import TalkSlot

AMS = ZoneInfo("Europe/Amsterdam")
TALK_MINUTES = 30


def insert_talk_slots(consultation, plans: list[Plan], *, now: datetime, rng) -> None:
    """Talks of 30 minutes on weekdays from 9:00 to 17:00 (Amsterdam time), from next week on:
    one for each responding supplier, booked by nine in ten of them (the benchmark supplier
    included); the others stay free."""
    starts: list[datetime] = []
    day = (now.astimezone(AMS) + timedelta(days=7)).date()
    while len(starts) < len(plans):
        if day.weekday() < 5:
            for slot in range(16):
                if len(starts) < len(plans):
                    starts.append(
                        datetime(day.year, day.month, day.day, 9, tzinfo=AMS)
                        + timedelta(minutes=TALK_MINUTES * slot)
                    )
        day += timedelta(days=1)
    slots = []
    for i, (start, plan) in enumerate(zip(starts, plans, strict=True)):
        slot = TalkSlot(
            consultation=consultation,
            starts_at=start,
            ends_at=start + timedelta(minutes=TALK_MINUTES),
            location="Utrecht, Nieuwe Uitleg 1" if i % 2 else "Online (videoverbinding)",
        )
        if i == 1 or rng.random() < 0.9:
            slot.organisation = plan.organisation
            slot.booked_by_id = plan.user_id
            slot.booked_at = now - timedelta(hours=i % 48)
        slots.append(slot)
    TalkSlot.objects.bulk_create(slots, batch_size=2000)
