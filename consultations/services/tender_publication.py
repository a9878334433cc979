"""Mail to every supplier that took part in a programme's market consultation when its tender
is published. Equal treatment: what one supplier taking part is told, all are told
(Aanbestedingswet 2012 art. 1.8; 2014/24/EU art. 41(1): a candidate involved in the
preparation must not be favoured, and the others get the same information).

Called from the ``tender.published`` domain event, after the publication has committed. One
mail per person (a person of two suppliers gets one), through the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import Consultation
from consultations.selectors.participants import member_addresses, supplier_ids_taking_part
from portal.audit import audit
from portal.notifications import notify_addresses


@transaction.atomic
def tender_published_tell_participants(*, tender: Any, base_url: str = "") -> int:
    """Tell the people of every supplier taking part in any market consultation of the
    tender's programme. Returns the number of people mailed."""
    ids: set[int] = set()
    for consultation in Consultation.objects.filter(programme_id=tender.programme_id):
        ids |= supplier_ids_taking_part(consultation=consultation)
    addresses = member_addresses(organisation_ids=ids)
    base = (base_url or settings.PORTAL_BASE_URL).rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("The tender %(tender)s has been published") % {"tender": tender.title}
    notify_addresses(
        addresses=addresses,
        subject=subject,
        template="consultations/email/tender_published.txt",
        context={
            "tender": tender,
            "url": base + reverse("tenders:tender-public", args=[tender.reference]),
        },
    )
    audit(
        actor=None,
        action="tender.published_participants_told",
        target=tender.programme,
        tender=str(tender.public_id),
        suppliers=len(ids),
        recipients=len(addresses),
    )
    return len(addresses)
