"""Permission-matrix rows: 1-on-1 talk slots. ``slot`` is a talk of supplier X that took place
and has minutes (so it can no longer be cancelled: X and the project team are sent back with a
message); ``free_slot`` is a free talk next week. The supplier page is for suppliers only, the
management pages are the project team's, and the minutes are for the project team and X."""

from __future__ import annotations

TALKS = "marktconsultaties/<slug:consultation>/gesprekken"
SLOT = TALKS + "/<uuid:slot>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (TALKS,                                                               "GET",  (302, 404, 404, 404, 404, 404, 200, 200, 404)),
    (TALKS,                                                               "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (TALKS + "/beheer",                                                   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (TALKS + "/beheer",                                                   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # X's own booked talk: "already booked" (back with a message); the team may not book.
    (SLOT + "/boeken",                                                    "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (SLOT + "/boeken",                                                    "POST", (302, 404, 404, 404, 404, 404, 302, 404, 403)),
    (SLOT + "/annuleren",                                                 "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (SLOT + "/annuleren",                                                 "POST", (302, 404, 404, 404, 404, 404, 302, 404, 302)),
    (SLOT + "/verwijderen",                                               "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (SLOT + "/verwijderen",                                               "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # An empty upload is refused next to the field (422).
    (SLOT + "/verslag",                                                   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (SLOT + "/verslag",                                                   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    (SLOT + "/verslag/download",                                          "GET",  (302, 404, 404, 404, 404, 404, 200, 404, 200)),
    (SLOT + "/verslag/download",                                          "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {
    TALKS + "/beheer": {
        "date": "01-02-2035",
        "time": "09:00",
        "length_minutes": "45",
        "count": "2",
        "location": "Den Haag",
    },
}


def make(world: dict) -> dict:
    """A free talk next week and a talk of supplier X two hours ago, with its minutes."""
    import hashlib
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from consultations.models import Consultation, TalkSlot
    from municipalities.tests.conftest import MINIMAL_PDF

    consultation = Consultation.objects.get(slug=world["args"]["consultation"])
    supplier_x = world["personas"]["supplier_x"]
    now = timezone.now().replace(second=0, microsecond=0)
    length = timedelta(minutes=45)
    booked = TalkSlot(
        consultation=consultation,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=2) + length,
        location="VNG, Den Haag",
        organisation=supplier_x.organisation,
        booked_by=supplier_x.user,
        booked_at=now - timedelta(days=3),
        minutes_sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
        minutes_uploaded_at=now - timedelta(hours=1),
    )
    booked.minutes.save("verslag.pdf", ContentFile(MINIMAL_PDF), save=False)
    booked.save()
    free = TalkSlot.objects.create(
        consultation=consultation,
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7) + length,
    )
    return {"slot": booked.public_id, "free_slot": free.public_id}
