"""Dutch conventions for dates and times: local wall-clock time with the zone in plain words."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from portal import dates

register = template.Library()


@register.filter
def iso_local(value: datetime) -> str:
    """ISO 8601 with the offset in force at that moment (it changes with daylight saving)."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return timezone.localtime(value).isoformat(timespec="minutes")


@register.filter
def moment(value: datetime | None) -> str:
    """ "vrijdag 26 maart 2027, 17:00 uur (Nederlandse tijd)": the one format for a moment."""
    return dates.moment_text(value)


@register.filter
def day(value: date | datetime | None) -> str:
    """ "vrijdag 26 maart 2027": the one format for a day."""
    return dates.day_text(value)


@register.filter
def until(start: datetime | None, end: datetime | None) -> str:
    """A slot: "vrijdag 26 maart 2027, 10:00 tot 11:00 uur (Nederlandse tijd)"."""
    return dates.period_text(start, end)
