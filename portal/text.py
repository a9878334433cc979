"""Single-line text (names, functions, titles, subjects, addresses): one line of visible
characters. A line break in a company name breaks every mail whose subject holds it (header
injection); tabs, other control characters, zero-width and bidirectional-override characters
hide or reorder what a reader sees (a name that looks like another, a file name that reads
backwards). ``validate_single_line`` is the one rule; the form field and the model field below
(and portal.serializers' API field) apply it, and services that take such a value call it too."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 controls (tab, line feed, carriage return ...), DEL and the C1 controls; the Unicode line
# and paragraph separators; zero-width characters and joiners; the bidirectional marks,
# embeddings, overrides and isolates; the soft hyphen and the invisible operators.
_NOT_IN_A_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def validate_single_line(value: Any) -> None:
    """Refuse a text with a line break, a tab or an invisible control character."""
    if isinstance(value, str) and _NOT_IN_A_LINE.search(value):
        raise ValidationError(
            _(
                "Enter this on one line, without line breaks, tabs or invisible characters "
                "(such as a zero-width space or a text-direction mark)."
            ),
            code="single_line",
        )


def one_line(value: Any) -> str:
    """``value`` as one line: what ``validate_single_line`` refuses becomes a space (for text
    stored before the rule, on its way into a mail header)."""
    return " ".join(_NOT_IN_A_LINE.sub(" ", str(value)).split())


class SingleLineField(forms.CharField):
    """A form field for one line of text."""

    default_validators = [validate_single_line]


class SingleLineCharField(models.CharField):
    """A model field for one line of text: refused by model validation (admin, model forms)
    and, through its form field, by every form made from it."""

    default_validators = [validate_single_line]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineField, **kwargs})
