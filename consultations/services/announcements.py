"""Mail to every supplier taking part when the rules of the consultation change for all: a
changed closing time, or a newly published questionnaire version. Equal treatment: what one
supplier is told, all are told (Aanbestedingswet 2012 art. 1.8; 2014/24/EU art. 40/41).

Written to the outbox in the caller's transaction (``portal.notifications``), sent after it
commits; one mail per person per change (a person of two suppliers gets one)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.models import Consultation, ConsultationResponse, QuestionnaireVersion
from consultations.selectors.participants import member_addresses, participant_addresses
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
    """Tell every supplier taking part that a new version of the questionnaire applies. The
    people of a supplier with a response are sent to the page that shows what moving their
    answers to the new version changes (``consultations:response-upgrade``); the others to
    their answer page. Returns the number of people mailed."""
    base = base_url or settings.PORTAL_BASE_URL
    responders = set(
        ConsultationResponse.objects.filter(consultation=consultation).values_list(
            "organisation_id", flat=True
        )
    )
    with_response = member_addresses(organisation_ids=responders)
    others = sorted(set(participant_addresses(consultation=consultation)) - set(with_response))
    subject = _("New version of the questionnaire of %(consultation)s") % {
        "consultation": consultation.title
    }
    for addresses, has_response, path_name in (
        (with_response, True, "consultations:response-upgrade"),
        (others, False, "consultations:response-edit"),
    ):
        notify_addresses(
            addresses=addresses,
            subject=subject,
            template="consultations/email/questionnaire_version_published.txt",
            context={
                "consultation": consultation,
                "version": version.number,
                "closes_at": consultation.closes_at,
                "has_response": has_response,
                "url": _url(base, consultation, path_name),
            },
        )
    return len(with_response) + len(others)
