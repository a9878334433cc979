"""Permission-matrix rows: the public tender page, its lots' authorities and following it by
e-mail.

Everything here is public, the same for every persona: the list, the page of the published
sample tender, the subscribe form (a valid address: sent on to "check your e-mail"), and the
links of the mails (GET shows a button, POST acts and returns to the tender page)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("aanbestedingen",                                                    "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen",                                                    "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("aanbestedingen/<str:reference>",                                    "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>",                                    "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # A lot's authorities, paged and searchable: public like the tender page.
    ("aanbestedingen/<str:reference>/percelen/<int:lot_number>/aanbestedende-diensten", "GET", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/percelen/<int:lot_number>/aanbestedende-diensten", "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # A published document version (tests/matrix_rows/tender_documents.py): anyone downloads it.
    ("aanbestedingen/<str:reference>/documenten/<uuid:version>",          "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/documenten/<uuid:version>",          "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("aanbestedingen/<str:reference>/volgen",                             "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/volgen",                             "POST", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("aanbestedingen/<str:reference>/volgen/verstuurd",                   "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/volgen/verstuurd",                   "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("aanbestedingen/<str:reference>/volgen/bevestigen/<str:confirm_token>", "GET", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/volgen/bevestigen/<str:confirm_token>", "POST", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("aanbestedingen/<str:reference>/volgen/afmelden/<str:unsubscribe_token>", "GET", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/volgen/afmelden/<str:unsubscribe_token>", "POST", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {
    "aanbestedingen/<str:reference>/volgen": {"email": "volger@voorbeeld.nl"},
}


def make(world: dict) -> dict:
    """The world's programme gets a published tender (unless another part made one) with its
    lot 1 (for the lot's page of authorities), and a subscription waiting for confirmation."""
    import secrets

    from django.utils import timezone

    from portal.models import hash_token
    from tenders.models import AggregationSnapshot, Lot, Programme, Subscription, Tender, TenderLot

    programme = Programme.objects.get(slug=world["args"]["programme_slug"])
    tender = Tender.objects.filter(programme=programme).first()
    if tender is None:
        tender = Tender.objects.create(
            programme=programme,
            snapshot=AggregationSnapshot.objects.filter(programme=programme).first(),
            reference="VNG-GT-TEST",
            title="GT Test",
        )
    if tender.is_draft:
        Tender.objects.filter(pk=tender.pk).update(
            status=Tender.Status.PUBLISHED, published_at=timezone.now()
        )
    number = world["args"]["lot_number"]
    if not tender.lots.filter(number=number).exists():
        TenderLot.objects.create(
            tender=tender,
            lot=Lot.objects.get(programme=programme, number=number),
            number=number,
            title="Werkplek",
            quantity=0,
            maximum_quantity=0,
            estimated_value=0,
            maximum_value=0,
        )
    token = secrets.token_urlsafe(32)
    subscription = Subscription.objects.create(
        tender=tender,
        email="lezer@voorbeeld.nl",
        confirm_token_hash=hash_token(token),
        last_requested_mail_at=timezone.now(),
    )
    return {
        "reference": tender.reference,
        "confirm_token": token,
        "unsubscribe_token": subscription.unsubscribe_token,
    }
