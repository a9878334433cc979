"""Dutch conventions for dates, times and numbers: local wall-clock time with the zone in plain
words, thousands grouped in tables; and a form field in the portal's markup
(``includes/field.html``, ``portal.field_html``)."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from portal import dates
from portal.field_html import render_field

register = template.Library()


@register.filter
def iso_local(value: datetime) -> str:
    """ISO 8601 with the offset in force at that moment (it changes with daylight saving)."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return timezone.localtime(value).isoformat(timespec="minutes")


@register.filter
def iso_moment(value: date | datetime | None) -> str:
    """``|date:"c"`` for a ``<time datetime>`` attribute, at a fraction of its cost (a list
    writes hundreds): ISO 8601 in the current time zone."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


@register.filter
def iso_day(value: date | datetime | None) -> str:
    """``|date:"Y-m-d"``: the day of a moment in the current time zone, in ISO 8601."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value.isoformat()


@register.filter
def moment(value: datetime | None) -> str:
    """ "vrijdag 26 maart 2027, 17:00 uur (Nederlandse tijd)": the one format for a moment."""
    return dates.moment_text(value)


@register.filter
def day(value: date | datetime | None) -> str:
    """ "vrijdag 26 maart 2027": the one format for a day."""
    return dates.day_text(value)


@register.filter
def until(start: datetime | None, end: datetime | None) -> str:
    """A slot: "vrijdag 26 maart 2027, 10:00 tot 11:00 uur (Nederlandse tijd)"."""
    return dates.period_text(start, end)


@register.filter
def number(value: object, decimals: object = None) -> object:
    """A count or an amount for a table cell: digits grouped in thousands and the decimal
    comma of the active language ("1.234.567", "12,50" in Dutch), whatever USE_THOUSAND_SEPARATOR
    says (that setting would also group years and ids). Whole values show no decimals unless
    ``decimals`` asks for them; None shows a dash; anything that is not a number is left as is."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return value
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    if not amount.is_finite():
        return value
    if decimals in (None, ""):
        places = 0 if amount == amount.to_integral_value() else None
    else:
        try:
            places = int(str(decimals))
        except ValueError:
            return value
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def form_field(context: template.Context) -> str:
    """The context's ``field`` in the portal's markup (``includes/field.html``), with the
    form-level errors given as ``nonfield_errors`` (decision 0035)."""
    return render_field(context, context["field"], context.get("nonfield_errors"))
