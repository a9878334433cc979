"""A tender published the whole way (documents generated, four eyes, the first OCDS release)
on the small ``setup`` programme, for the tests of the change notice."""

from __future__ import annotations

from django.utils import timezone

from portal.models import Role
from tenders.models import Subscription, Tender
from tenders.services.documents import document_render, documents_request
from tenders.services.publication import publication_decide, publication_request
from tenders.tests.documents_helpers import make_tender
from tests.factories import MembershipFactory, UserFactory


def generate(tender: Tender, actor, note: str = "") -> None:
    for version in documents_request(actor=actor, tender=tender, change_note=note):
        document_render(version_id=version.pk)


def second_member(personas, email: str = "tweede@vng.nl"):
    """A second editor of the project team (the four eyes), with MFA like the first."""
    from allauth.mfa.totp.internal.auth import TOTP

    from conftest import TOTP_SECRET

    user = MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email=email),
    ).user
    TOTP.activate(user, TOTP_SECRET)
    return user


def published(setup, personas, *, electronic: bool = True) -> Tender:
    tender = make_tender(setup, personas)
    if not electronic:
        Tender.objects.filter(pk=tender.pk).update(electronic_submission=False)
        tender.refresh_from_db()
    first = personas["project_team"].user
    generate(tender, first)
    asked = publication_request(actor=first, tender=tender)
    publication_decide(
        actor=second_member(personas, "publiceerder@vng.nl"), request=asked, confirm=True
    )
    tender.refresh_from_db()
    return tender


def subscribe(tender: Tender, *emails: str) -> None:
    for email in emails:
        Subscription.objects.create(tender=tender, email=email, confirmed_at=timezone.now())
