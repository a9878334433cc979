"""How a supplier's answer reads on a page, in an export or in a report: Dutch conventions for
yes/no, numbers, dates and prices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def answer_display(question, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type == "multiple_choice":
        return ", ".join(value)
    if question.type == "number":
        return f"{str(value).replace('.', ',')} {question.unit}".strip()
    if question.type == "date":
        year, month, day = str(value).split("-")
        return f"{day}-{month}-{year}"
    if question.type == "file":
        return str(value.get("name", "")) if isinstance(value, dict) else ""
    if question.type == "price_per_item":
        names = {str(c.pk): c.name_nl for c in question.categories.all()}
        return "; ".join(
            f"{names.get(pk, pk)}: € {price.replace('.', ',')}" for pk, price in value.items()
        )
    return str(value)
