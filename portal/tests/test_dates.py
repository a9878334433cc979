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
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

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


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.just(UTC),
    ),
    st.sampled_from(["nl", "en"]),
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_the_quick_format_writes_what_date_format_writes(moment, language):
    """The names of days and months are read once per language (a list shows hundreds of
    dates); the text is still exactly Django's date_format of the same pattern."""
    from django.utils.formats import date_format

    from portal.dates import DAY_FORMAT, TIME_FORMAT

    with translation.override(language):
        local = moment.astimezone(AMSTERDAM)
        assert day_text(moment) == date_format(local, DAY_FORMAT)
        assert day_text(local.date()) == date_format(local.date(), DAY_FORMAT)
        assert date_format(local, TIME_FORMAT) in moment_text(moment)
        assert moment_text(moment).startswith(date_format(local, DAY_FORMAT) + ", ")


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    )
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_the_iso_filters_write_what_the_date_filter_writes(moment):
    """``|iso_moment`` and ``|iso_day`` replace ``|date:"c"`` and ``|date:"Y-m-d"`` in the
    ``<time datetime>`` attributes of long lists: the same text, in the current time zone."""
    context = Context({"moment": moment, "day": moment.date()})
    ours = Template(
        "{% load portal_tags %}{{ moment|iso_moment }} {{ moment|iso_day }} {{ day|iso_moment }}"
    ).render(context)
    django = Template('{{ moment|date:"c" }} {{ moment|date:"Y-m-d" }} {{ day|date:"c" }}')
    assert ours == django.render(context)
    assert (
        Template("{% load portal_tags %}[{{ None|iso_moment }}{{ ''|iso_day }}]").render(Context())
        == "[]"
    )
