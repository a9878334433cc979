"""The publication of the tender, with four eyes: the project leader asked to publish it the
working day before its planned dispatch, the team's lawyer confirmed it that morning. The
services check what they check for anyone (frozen figures, award criteria, every legal period,
a generated document set), add the first OCDS release and announce ``tender.published``, so
that the suppliers of the market consultation are told when the load commits. In the days
after, a few people followed the tender by e-mail, each confirming the link mailed to them
(double opt-in).

The services act now; the rows then get the story's moments (``_date_publication``). An OCDS
release is stored as built, with its date in it: the demo builds it again, with the same
builder, for the moment of the story and stores that (``release_redate``)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from demo.loader.organisations import DOMAIN
from demo.loader.workdays import add_working_days, at
from portal.models import OutboxMessage, User
from tenders.models import OcdsRelease, PublicationRequest, Subscription, Tender, TenderEvent
from tenders.selectors.ocds import ocds_release_build
from tenders.services.publication import publication_decide, publication_request
from tenders.services.subscriptions import subscription_confirm, subscription_request

# Who follows the tender by e-mail (each confirmed the link in the mail), and on which working
# day after the publication. The suppliers of the demo get the news through their accounts.
SUBSCRIBERS = [
    (f"inkoop@werkplekadvies.{DOMAIN}", 0),
    (f"aanbestedingen@ictgroothandel-noord.{DOMAIN}", 1),
    (f"m.bakker@refurbished-zakelijk.{DOMAIN}", 3),
]


def publication_load(*, tender: Tender, requester: User, confirmer: User) -> Tender:
    """Publish the draft ``tender`` when its planned dispatch has passed; a tender published
    before, or one whose dispatch is still ahead (a demo loaded by an earlier version), stays
    as it is."""
    dispatch = tender.publication_at
    if not tender.is_draft or dispatch is None or dispatch > timezone.now():
        return tender
    request = publication_request(actor=requester, tender=tender)
    publication_decide(actor=confirmer, request=request, confirm=True)
    tender.refresh_from_db()
    _date_publication(tender=tender, request=request, confirmed=dispatch)
    for email, day in SUBSCRIBERS:
        _subscribe(tender=tender, email=email, published=dispatch, day=day)
    return tender


def _date_publication(*, tender: Tender, request: PublicationRequest, confirmed: datetime) -> None:
    """Asked the afternoon before the dispatch, confirmed at the moment of the dispatch."""
    asked = at(add_working_days(timezone.localdate(confirmed), -1), 15, 30)
    PublicationRequest.objects.filter(pk=request.pk).update(
        requested_at=asked, decided_at=confirmed
    )
    Tender.objects.filter(pk=tender.pk).update(published_at=confirmed)
    TenderEvent.objects.filter(tender=tender, status=Tender.Status.PUBLISHED).update(at=confirmed)
    tender.published_at = confirmed
    release = OcdsRelease.objects.get(tender=tender, number=1)
    release_redate(release=release, moment=confirmed + timedelta(minutes=1))


def release_redate(*, release: OcdsRelease, moment: datetime) -> None:
    """Build ``release`` again for ``moment`` (the same release id and tags, the tender as it
    stands) and store it with its new SHA-256, as ``ocds_release_add`` stores one."""
    tender = Tender.objects.get(pk=release.tender_id)
    data = ocds_release_build(
        tender=tender,
        ocid=release.ocid,
        release_id=release.release_id,
        moment=moment,
        tags=list(release.tags),
    )
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    OcdsRelease.objects.filter(pk=release.pk).update(
        date=moment, data=data, sha256=hashlib.sha256(canonical.encode()).hexdigest()
    )


def _confirm_token(*, tender: Tender, email: str) -> str:
    """The token in the confirmation link of the newest mail to ``email``: what the person
    clicks."""
    prefix = reverse("tenders:subscription-confirm", args=[tender.reference, "token"])[:-5]
    mail = OutboxMessage.objects.filter(recipient=email).latest("pk")
    found = re.search(re.escape(prefix) + r"(\S+)", mail.body)
    if found is None:
        raise ValueError(f"no confirmation link in the mail to {email}")
    return found.group(1)


def _subscribe(*, tender: Tender, email: str, published: datetime, day: int) -> Subscription:
    subscription_request(tender=tender, email=email)
    confirmed = subscription_confirm(
        tender=tender, token=_confirm_token(tender=tender, email=email)
    )
    if confirmed is None:
        raise ValueError(f"the demo subscription of {email} was not confirmed")
    asked = at(add_working_days(timezone.localdate(published), day), 10 + day, 15)
    Subscription.objects.filter(pk=confirmed.pk).update(
        created_at=asked,
        last_requested_mail_at=asked,
        confirmed_at=asked + timedelta(minutes=6),
    )
    return confirmed
