"""One Django BoundField in NL Design System markup, written in Python (decision 0035).

This is what ``includes/field.html`` shows (every portal form and allauth's forms through
``allauth/elements/_bound_field.html``). In the template language it cost about 0.13 ms per
field, and up to a third of a form page (the tender's fifty requirement inputs); here it is
the same markup for a fraction of that. The rules:
- the error sits above the input, and the input is described by its hint and its error
  (``aria-describedby``);
- checkboxes and radios put label and input in the ``__label``/``__input`` grid cells that
  Utrecht's CSS expects;
- ``nonfield_errors``: the form-level errors, shown at this (the first visible) field;
- the widget's ``autocomplete``, ``inputmode`` and ``maxlength`` attributes are kept;
  placeholders are not used;
- a textarea whose widget has the attribute ``character_count`` shows how many characters are
  left (static/js/portal.js; the limit is the field's ``max_length``).

Every value is written as the template language writes a variable
(``render_value_in_context``: escaped, and numbers and dates in the language of the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.forms import BoundField
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldState:
    """What the markup asks of a bound field again and again, worked out once (each
    ``field.errors`` makes a new error list, each ``field.auto_id`` formats the id)."""

    id: str
    name: str
    help_text: Any  # a str or a lazy translation
    required: bool
    invalid: bool
    error_text: str  # the form-level errors shown here, then the field's own; escaped
    described_by: str  # the ids of the hint and the error, as aria-describedby lists them


def field_state_of(field: BoundField, nonfield_errors: Any = None) -> FieldState:
    """``field`` with the form-level errors given as ``nonfield_errors`` (at the first visible
    field; often not given at all)."""
    errors: list[Any] = list(field.errors)
    form_errors = list(nonfield_errors or ())
    invalid = bool(errors or form_errors)
    auto_id = field.auto_id
    help_text = field.help_text
    described_by = (f"{auto_id}-hint" if help_text else "") + (
        f" {auto_id}-error" if invalid else ""
    )
    shown = "".join(f"{conditional_escape(error)} " for error in form_errors) + " ".join(
        conditional_escape(error) for error in errors
    )
    return FieldState(
        id=auto_id,
        name=field.html_name,
        help_text=help_text,
        required=field.field.required,
        invalid=invalid,
        error_text=mark_safe(shown),  # noqa: S308 (every error escaped above)
        described_by=described_by,
    )


def render_field(context: Context, field: BoundField, nonfield_errors: Any = None) -> SafeString:
    """``field`` in the portal's markup; ``nonfield_errors`` as ``field_state_of`` takes them."""
    f = field_state_of(field, nonfield_errors)
    widget_type = field.widget_type
    if widget_type in ("radioselect", "checkboxselectmultiple"):
        html = _choices(context, field, f, widget_type)
    elif field.is_hidden:
        html = str(field) + "\n"
    elif widget_type in ("clearablefile", "file"):
        html = _file(context, field, f)
    elif widget_type == "checkbox":
        html = _checkbox(context, field, f)
    else:
        html = _text(context, field, f, widget_type)
    return mark_safe(html)  # noqa: S308 (every value written through _v or escaped)


def _v(context: Context, value: Any) -> str:
    """A value as ``{{ value }}`` writes it."""
    return str(render_value_in_context(value, context))


def _invalid(f: FieldState) -> str:
    return ' aria-invalid="true"' if f.invalid else ""


def _described(f: FieldState) -> str:
    return f' aria-describedby="{f.described_by}"' if f.described_by else ""


def _hint_and_error(context: Context, f: FieldState) -> str:
    """The hint and the error paragraph of a field (a fieldset's have classes of their own)."""
    html = ""
    if f.help_text:
        html += (
            '  <div class="utrecht-form-field__description utrecht-form-field-description" '
            f'id="{f.id}-hint">{_v(context, f.help_text)}</div>\n'
        )
    if f.invalid:
        html += (
            '  <p class="utrecht-form-field__error-message utrecht-form-field-error-message" '
            f'id="{f.id}-error">{f.error_text}</p>\n'
        )
    return html


def _optional(context: Context, f: FieldState) -> str:
    if f.required:
        return ""
    optional = _v(context, _("optional"))
    return f" ({optional})"


def _choices(context: Context, field: BoundField, f: FieldState, widget_type: str) -> str:
    kind = "radio" if widget_type == "radioselect" else "checkbox"
    input_class = (
        "utrecht-radio-button utrecht-radio-button--html-input"
        if kind == "radio"
        else "utrecht-checkbox utrecht-checkbox--html-input"
    )
    legend = _v(context, field.label)
    if kind == "checkbox":
        legend += _optional(context, f)
    invalid_class = " utrecht-form-fieldset--invalid" if f.invalid else ""
    parts = [
        f'<div class="utrecht-form-fieldset{invalid_class}">\n'
        '  <fieldset class="utrecht-form-fieldset__fieldset '
        f'utrecht-form-fieldset--html-fieldset"{_described(f)}>\n'
        '    <legend class="utrecht-form-fieldset__legend '
        f'utrecht-form-fieldset__legend--html-legend">{legend}</legend>\n'
    ]
    if f.help_text:
        parts.append(
            f'    <div class="utrecht-form-field-description" id="{f.id}-hint">'
            f"{_v(context, f.help_text)}</div>\n"
        )
    if f.invalid:
        parts.append(
            f'    <p class="utrecht-form-field-error-message" id="{f.id}-error">'
            f"{f.error_text}</p>\n"
        )
    for id_, label, name, value, selected in _options(field):
        id_ = _v(context, id_)
        checked = " checked" if selected else ""
        parts.append(
            f'    <div class="utrecht-form-field utrecht-form-field--{kind}">\n'
            f'      <div class="utrecht-form-field__label utrecht-form-field__label--{kind}">'
            f'<label class="utrecht-form-label utrecht-form-label--{kind}" for="{id_}">'
            f"{_v(context, label)}</label></div>\n"
            f'      <div class="utrecht-form-field__input"><input type="{kind}" '
            f'class="{input_class}" name="{_v(context, name)}" id="{id_}" '
            f'value="{_v(context, value)}"{checked}{_invalid(f)}></div>\n'
            "    </div>\n"
        )
    parts.append("  </fieldset>\n</div>\n")
    return "".join(parts)


def _options(field: BoundField) -> list[tuple[Any, Any, str, Any, bool]]:
    """(id, label, name, value, selected) of each choice of a radio or checkbox list: what
    Django's subwidgets give (``ChoiceWidget.optgroups``), without building a widget context
    per choice (about 60 µs each, and a lot edit page has 44). Grouped choices and a form
    without ids take Django's own way."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    # Not list(): it asks a model choice iterator for its len(), a COUNT query of its own.
    choices = [choice for choice in widget.choices]  # noqa: C416
    if not id_ or any(isinstance(label, (list, tuple)) for _, label in choices):
        return [
            (c.id_for_label, c.choice_label, c.data["name"], c.data["value"], c.data["selected"])
            for c in field
        ]
    values = widget.format_value(field.value())
    name = field.html_name
    options = []
    has_selected = False
    for index, (value, label) in enumerate(choices):
        value = "" if value is None else value
        selected = (not has_selected or widget.allow_multiple_selected) and str(value) in values
        has_selected |= selected
        options.append((f"{id_}_{index}", label, name, value, selected))
    return options


def _file(context: Context, field: BoundField, f: FieldState) -> str:
    accept = field.field.widget.attrs.get("accept")
    accept_attr = f' accept="{_v(context, accept)}"' if accept else ""
    required = ' aria-required="true"' if f.required else ""
    invalid_class = " utrecht-form-field--invalid" if f.invalid else ""
    return (
        f'<div class="utrecht-form-field utrecht-form-field--text{invalid_class}">\n'
        f'  <div class="utrecht-form-field__label"><label class="utrecht-form-label" '
        f'for="{f.id}">{_v(context, field.label)}</label></div>\n'
        f"{_hint_and_error(context, f)}"
        f'  <div class="utrecht-form-field__input"><input type="file" class="portal-file-input" '
        f'name="{f.name}" id="{f.id}"{accept_attr}{required}{_invalid(f)}{_described(f)}></div>\n'
        "</div>\n"
    )


def _checkbox(context: Context, field: BoundField, f: FieldState) -> str:
    checked = " checked" if field.value() else ""
    invalid_class = " utrecht-form-field--invalid" if f.invalid else ""
    return (
        f'<div class="utrecht-form-field utrecht-form-field--checkbox{invalid_class}">\n'
        '  <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">'
        f'<label class="utrecht-form-label utrecht-form-label--checkbox" for="{f.id}">'
        f"{_v(context, field.label)}</label></div>\n"
        f"{_hint_and_error(context, f)}"
        '  <div class="utrecht-form-field__input"><input type="checkbox" '
        f'class="utrecht-checkbox utrecht-checkbox--html-input" name="{f.name}" id="{f.id}"'
        f"{checked}{_invalid(f)}{_described(f)}></div>\n"
        "</div>\n"
    )


def _text(context: Context, field: BoundField, f: FieldState, widget_type: str) -> str:
    invalid_class = " utrecht-form-field--invalid" if f.invalid else ""
    required = ' aria-required="true"' if f.required else ""
    aria = f"{required}{_invalid(f)}{_described(f)}"
    head = (
        f'<div class="utrecht-form-field utrecht-form-field--text{invalid_class}">\n'
        f'  <div class="utrecht-form-field__label"><label class="utrecht-form-label" '
        f'for="{f.id}">{_v(context, field.label)}{_optional(context, f)}</label></div>\n'
        f"{_hint_and_error(context, f)}"
        '  <div class="utrecht-form-field__input">\n'
    )
    if widget_type == "select":
        body = _select(context, field, f, aria)
    elif widget_type == "textarea":
        body = _textarea(context, field, f, aria)
    else:
        body = _input(context, field, f, aria)
    return head + body + "  </div>\n</div>\n"


def _select(context: Context, field: BoundField, f: FieldState, aria: str) -> str:
    invalid_class = " utrecht-select--invalid" if f.invalid else ""
    current = _stringformat(field.value())
    options = "".join(
        f'<option value="{_v(context, value)}"'
        f"{' selected' if _stringformat(value) == current else ''}>{_v(context, label)}</option>"
        for value, label in cast(Any, field.field).choices
    )
    return (
        f'    <select class="utrecht-select utrecht-select--html-select{invalid_class}" '
        f'name="{f.name}" id="{f.id}"{aria}>\n      {options}\n    </select>\n'
    )


def _stringformat(value: Any) -> str:
    """``value|stringformat:"s"``."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        return "%s" % value  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        return ""


def _textarea(context: Context, field: BoundField, f: FieldState, aria: str) -> str:
    attrs = field.field.widget.attrs
    invalid_class = " utrecht-textarea--invalid" if f.invalid else ""
    count = attrs.get("character_count")
    value = field.value()
    html = (
        f'    <textarea class="utrecht-textarea utrecht-textarea--html-textarea{invalid_class}" '
        f'name="{f.name}" id="{f.id}" rows="5"{aria}'
        f"{f' data-character-count="{_v(context, attrs.get("maxlength"))}"' if count else ''}>"
        f"{_v(context, '' if value is None else value)}</textarea>\n"
    )
    if count:
        limit = attrs.get("maxlength")
        sentence = _("You can use up to %(limit)s characters.") % {"limit": _v(context, limit)}
        # Outside the f-string: message extraction does not look inside one.
        left_one = _v(context, _("You have {count} character left."))
        left_other = _v(context, _("You have {count} characters left."))
        over_one = _v(context, _("You have {count} character too many."))
        over_other = _v(context, _("You have {count} characters too many."))
        html += (
            f'    <p class="utrecht-form-field-description portal-character-count" '
            f'id="{f.id}-count" aria-live="polite" data-left-one="{left_one}" '
            f'data-left-other="{left_other}" data-over-one="{over_one}" '
            f'data-over-other="{over_other}">{sentence}</p>\n'
        )
    return html


def _input(context: Context, field: BoundField, f: FieldState, aria: str) -> str:
    widget = field.field.widget
    attrs = widget.attrs
    input_type = getattr(widget, "input_type", None) or "text"
    invalid_class = " utrecht-textbox--invalid" if f.invalid else ""
    html = (
        f'    <input class="utrecht-textbox utrecht-textbox--html-input{invalid_class}" '
        f'type="{_v(context, input_type)}" name="{f.name}" id="{f.id}"'
    )
    if getattr(widget, "input_type", None) != "password":
        value = field.value()
        html += f' value="{_v(context, "" if value is None else value)}"'
    for attr in ("autocomplete", "inputmode", "maxlength"):
        if attrs.get(attr):
            html += f' {attr}="{_v(context, attrs[attr])}"'
    if field.field.disabled:
        html += " disabled"
    return html + f"{aria}>\n"
