"""The one way the portal shows a moment or a day to people: "vrijdag 26 maart 2027, 17:00 uur
(Nederlandse tijd)" and "vrijdag 26 maart 2027". Pages, mails and messages all go through here,
so that readers meet one format (docs/woordenlijst.md); exports and attributes keep ISO 8601."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DAY_FORMAT = "l j F Y"  # what _day writes, in date_format's terms
TIME_FORMAT = "H:i"

# The names of the weekdays and months per language, read once from Django's translations:
# a long list shows hundreds of dates, and date_format reads them anew for every one.
_NAMES: dict[str | None, tuple[list[str], list[str]]] = {}


def _names() -> tuple[list[str], list[str]]:
    language = get_language()
    names = _NAMES.get(language)
    if names is None:
        names = _NAMES[language] = (
            [str(WEEKDAYS[i]) for i in range(7)],
            [""] + [str(MONTHS[i]) for i in range(1, 13)],
        )
    return names


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _day(value: date) -> str:
    """``date_format(value, DAY_FORMAT)``, without parsing the format each time."""
    weekdays, months = _names()
    return f"{weekdays[value.weekday()]} {value.day} {months[value.month]} {value.year}"


def _time(value: datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def day_text(value: date | datetime | None) -> str:
    """The weekday, day, month and year: "vrijdag 26 maart 2027" / "Friday 26 March 2027"."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return _day(value)


def moment_text(value: datetime | None) -> str:
    """A moment in Dutch local time, the zone named in plain words, never CET/MEZT."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return day_text(value)
    local = _local(value)
    return _("%(day)s, %(time)s hrs (Dutch time)") % {"day": _day(local), "time": _time(local)}


def period_text(start: datetime | None, end: datetime | None) -> str:
    """A stretch of time on one day ("vrijdag 26 maart 2027, 10:00 tot 11:00 uur (Nederlandse
    tijd)"); over several days, two full moments."""
    if not start or not end:
        return moment_text(start or end)
    first, last = _local(start), _local(end)
    if first.date() != last.date():
        return _("%(start)s to %(end)s") % {"start": moment_text(start), "end": moment_text(end)}
    return _("%(day)s, %(start)s to %(end)s hrs (Dutch time)") % {
        "day": _day(first),
        "start": _time(first),
        "end": _time(last),
    }
