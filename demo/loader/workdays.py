"""Days and times a person would choose for the demo's timeline: working days, not weekends,
Dutch public holidays or the Christmas break, at the hours people set deadlines.

The ``holidays`` package is not installed, so the Dutch public holidays are computed by rule
(not kept as a list of dates): New Year's Day, Easter Monday (Gregorian computus), King's
Day (27 April, 26 April when the 27th is a Sunday), Liberation Day in every fifth year (when
it is a day off for most employers), Ascension Day, Whit Monday and both days of Christmas.
Sundays among them (Easter and Whit Sunday) are weekend days anyway."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Office hours in which the demo's people act and its deadlines fall (inclusive).
WORKING_HOURS = (time(9, 0), time(17, 0))


def easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    w = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * w) // 433
    month = (h + w - 7 * m + 90) // 25
    return date(year, month, (h + w - 7 * m + 33 * month + 19) % 32)


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter_sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1),
        easter_sunday + timedelta(days=1),
        kings_day,
        easter_sunday + timedelta(days=39),  # Ascension Day
        easter_sunday + timedelta(days=50),  # Whit Monday
        date(year, 12, 25),
        date(year, 12, 26),
    }
    if year % 5 == 0:
        days.add(date(year, 5, 5))
    return frozenset(days)


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
