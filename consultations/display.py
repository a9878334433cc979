"""How a supplier's answer reads on a page, in an export or in a report: Dutch conventions for
yes/no, numbers, dates and prices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _


def is_empty(value: Any) -> bool:
    """No answer, or an empty one (as stored)."""
    return value is None or value == "" or value == [] or value == {}


def answer_display(question, value: Any) -> str:
    return answer_displayer(question)(value)


def answer_displayer(question) -> Callable[[Any], str]:
    """``answer_display`` for many answers to one question: what depends on the question
    alone (its type, the yes/no labels, the names of its categories) is looked up once."""
    text = _text_of(question)
    return lambda value: "" if is_empty(value) else text(value)


def _text_of(question) -> Callable[[Any], str]:
    """The text of an answer that is not empty."""
    kind = question.type
    if kind == "yes_no":
        yes, no = _("Yes"), _("No")
        return lambda value: yes if value else no
    if kind == "multiple_choice":
        return ", ".join
    if kind == "number":
        unit = question.unit
        return lambda value: f"{str(value).replace('.', ',')} {unit}".strip()
    if kind == "date":
        return _dutch_date
    if kind == "file":
        return lambda value: str(value.get("name", "")) if isinstance(value, dict) else ""
    if kind == "price_per_item":
        names = {str(c.pk): c.name_nl for c in question.categories.all()}
        return lambda value: "; ".join(
            f"{names.get(pk, pk)}: € {price.replace('.', ',')}" for pk, price in value.items()
        )
    return str


def _dutch_date(value: Any) -> str:
    year, month, day = str(value).split("-")
    return f"{day}-{month}-{year}"
