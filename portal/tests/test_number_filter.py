"""The ``number`` filter: counts and amounts in tables, grouped in thousands in Dutch."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.templatetags.portal_tags import number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, None, "0"),
        (999, None, "999"),
        (1234, None, "1.234"),
        (1234567, None, "1.234.567"),
        (-4500, None, "-4.500"),
        (Decimal("1234.50"), 2, "1.234,50"),
        (Decimal("1234.00"), None, "1.234"),
        (Decimal("12.5"), None, "12,5"),
        (1234.5, 2, "1.234,50"),
        ("2500", None, "2.500"),
        (None, None, "–"),
        ("", None, "–"),
        ("geen getal", None, "geen getal"),
    ],
)
def test_dutch_grouping(value, decimals, expected):
    with translation.override("nl"):
        assert number(value, decimals) == expected


def test_english_grouping():
    with translation.override("en"):
        assert number(Decimal("1234567.5"), 2) == "1,234,567.50"


def test_in_a_template_without_thousand_separator_setting(settings):
    settings.USE_THOUSAND_SEPARATOR = False
    template = Template("{% load portal_tags %}{{ n|number }} {{ year }}")
    with translation.override("nl"):
        assert template.render(Context({"n": 34200, "year": 2027})) == "34.200 2027"


def test_not_a_number_is_left_alone():
    assert number(True) is True
    assert number("NaN") == "NaN"
    assert number(5, "x") == 5
