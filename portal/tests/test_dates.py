"""One date format for people (docs/woordenlijst.md): a moment is "vrijdag 26 maart 2027,
17:00 uur (Nederlandse tijd)", in summer and winter alike, never MET/MEZT; a day has its
weekday; a slot on one day names the day once."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from portal.dates import day_text, moment_text, period_text

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


def test_a_moment_in_dutch_and_english():
    winter = datetime(2027, 3, 26, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam (CET)
    with translation.override("nl"):
        assert moment_text(winter) == "vrijdag 26 maart 2027, 17:00 uur (Nederlandse tijd)"
    with translation.override("en"):
        assert moment_text(winter) == "Friday 26 March 2027, 17:00 hrs (Dutch time)"


def test_summer_time_says_the_same_words():
    summer = datetime(2027, 7, 2, 15, 0, tzinfo=UTC)  # 17:00 in Amsterdam (CEST)
    with translation.override("nl"):
        assert moment_text(summer) == "vrijdag 2 juli 2027, 17:00 uur (Nederlandse tijd)"


def test_a_day_and_a_slot():
    with translation.override("nl"):
        assert day_text(date(2027, 3, 26)) == "vrijdag 26 maart 2027"
        start = datetime(2027, 3, 26, 10, 0, tzinfo=AMSTERDAM)
        end = datetime(2027, 3, 26, 11, 0, tzinfo=AMSTERDAM)
        assert period_text(start, end) == (
            "vrijdag 26 maart 2027, 10:00 tot 11:00 uur (Nederlandse tijd)"
        )
        later = datetime(2027, 3, 29, 9, 0, tzinfo=AMSTERDAM)
        assert period_text(start, later) == (
            "vrijdag 26 maart 2027, 10:00 uur (Nederlandse tijd) tot "
            "maandag 29 maart 2027, 09:00 uur (Nederlandse tijd)"
        )
        assert moment_text(None) == "" and day_text(None) == ""


def test_the_shared_include_uses_the_one_format():
    value = datetime(2027, 3, 26, 17, 0, tzinfo=AMSTERDAM)
    with translation.override("nl"):
        html = Template('{% include "includes/datetime.html" %}').render(Context({"value": value}))
    assert html == (
        '<time datetime="2027-03-26T17:00+01:00">'
        "vrijdag 26 maart 2027, 17:00 uur (Nederlandse tijd)</time>"
    )
    assert "MET" not in html


def test_templates_show_dates_only_through_the_helper():
    """No template formats a date for people by hand: |date is only for attributes and
    exports (ISO forms), the legal PDFs excepted (Dutch only, written out in full)."""
    allowed = {'"Y-m-d"', "'Y-m-d'", '"c"', "'c'"}
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*"):
        if path.suffix not in {".html", ".txt"} or "pdf" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\|(date|time):(\"[^\"]*\"|'[^']*')", text):
            if match.group(2) not in allowed:
                found.append(f"{path.name}: {match.group(0)}")
    assert not found, found
