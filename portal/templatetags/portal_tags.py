"""Dutch conventions for dates and times: local wall-clock time with an explicit zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def iso_local(value: datetime) -> str:
    """ISO 8601 with the offset in force at that moment (it changes with daylight saving)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="minutes")


@register.filter
def tz_label(value: datetime) -> str:
    """CET/CEST for English readers, MET/MEZT for Dutch: never a hard-coded offset."""
    if not value:
        return ""
    is_summer = bool(timezone.localtime(value).dst())
    # Translators: abbreviation of Central European Summer Time (Dutch: MEZT).
    summer = _("CEST")
    # Translators: abbreviation of Central European Time (Dutch: MET).
    winter = _("CET")
    return summer if is_summer else winter


@register.simple_tag
def portal_signature() -> str:
    """The closing lines of every mail: the portal's name and public address (settings),
    never the host a request happened to use."""
    from django.conf import settings

    return f"{settings.PORTAL_NAME}\n{settings.PORTAL_BASE_URL}"
