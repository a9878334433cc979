"""Days and times a person would choose for the demo's timeline: working days, not weekends,
Dutch public holidays or the Christmas break, at the hours people set deadlines.

The Dutch public holidays come from the maintained ``holidays`` package (the same the tender's
legal periods use): New Year's Day, Easter Monday, King's Day (26 April when the 27th is a
Sunday), Liberation Day in every fifth year, Ascension Day, Whit Monday and both days of
Christmas; Good Friday is left out (not a day off for most employers)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Office hours in which the demo's people act and its deadlines fall (inclusive).
WORKING_HOURS = (time(9, 0), time(17, 0))


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The days off: the Dutch public holidays of the maintained ``holidays`` package, on a
    weekday, without Good Friday (not a day off for most employers)."""
    return frozenset(
        day
        for day, name in holidays.country_holidays("NL", years=year, language="nl").items()
        if day.weekday() < 6 and name != "Goede vrijdag"
    )


def is_christmas_break(day: date) -> bool:
    """24 December to 1 January: offices are half empty, nobody sets a deadline then."""
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def is_chosen_day(day: date) -> bool:
    """A day a person would pick for a step of the programme."""
    return is_working_day(day) and not is_christmas_break(day)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th chosen day after ``day`` (before it when ``count`` is negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_chosen_day(day):
            remaining -= 1
    return day


def first_working_day_of_month(year: int, month: int) -> date:
    day = date(year, month, 1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> list[date]:
    """The chosen days after ``start`` and before ``end``."""
    days = []
    day = start + timedelta(days=1)
    while day < end:
        if is_chosen_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware Amsterdam wall-clock time on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def office_time(day: date, seed: int) -> datetime:
    """A time between 09:00 and 16:45 on ``day``, varied by ``seed`` (no randomness)."""
    return at(day, 9 + seed % 8, (seed * 7 % 4) * 15)
