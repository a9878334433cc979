"""Mail to every supplier taking part when the rules of the consultation change for all: a
changed closing time, or a newly published questionnaire version. Equal treatment: what one
supplier is told, all are told (Aanbestedingswet 2012 art. 1.8; 2014/24/EU art. 40/41).

Written to the outbox in the caller's transaction (``portal.notifications``), sent after it
commits; one mail per person per change (a person of two suppliers gets one)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.models import Consultation, QuestionnaireVersion
from consultations.selectors.participants import participant_addresses
from portal.notifications import notify_addresses


def _url(base_url: str, consultation: Consultation, path_name: str) -> str:
    if not base_url:
        return ""
    path = reverse(path_name, kwargs={"consultation": consultation.slug})
    return f"{base_url.rstrip('/')}{path}"


def closing_time_changed(
    *, consultation: Consultation, previous: datetime, base_url: str = ""
) -> int:
    """Tell every supplier taking part that the closing time moved. Returns the number of
    people mailed."""
    addresses = participant_addresses(consultation=consultation)
    notify_addresses(
        addresses=addresses,
        subject=_("New closing time of %(consultation)s") % {"consultation": consultation.title},
        template="consultations/email/closing_time_changed.txt",
        context={
            "consultation": consultation,
            "previous": previous,
            "closes_at": consultation.closes_at,
            "url": _url(base_url, consultation, "consultations:consultation"),
        },
    )
    return len(addresses)


def questionnaire_version_published(
    *, consultation: Consultation, version: QuestionnaireVersion, base_url: str = ""
) -> int:
    """Tell every supplier taking part that a new version of the questionnaire applies.
    Returns the number of people mailed."""
    addresses = participant_addresses(consultation=consultation)
    notify_addresses(
        addresses=addresses,
        subject=_("New version of the questionnaire of %(consultation)s")
        % {"consultation": consultation.title},
        template="consultations/email/questionnaire_version_published.txt",
        context={
            "consultation": consultation,
            "version": version.number,
            "closes_at": consultation.closes_at,
            "url": _url(base_url, consultation, "consultations:response-edit"),
        },
    )
    return len(addresses)
