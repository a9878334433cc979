"""Permission-matrix rows: the project team's pages of the draft tender (404 for everyone
else, whatever the method). ``make`` gives the world's programme a draft tender."""

from __future__ import annotations

BASE = "programmas/<slug:programme_slug>/aanbesteding"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (BASE,                                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (BASE,                                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    # The world's programme has its tender already: refused with a message, back to the page.
    (BASE + "/aanmaken",                                                  "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    (BASE + "/aanmaken",                                                  "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (BASE + "/gunningscriteria",                                          "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    # No criteria at all: refused (422), nothing changed.
    (BASE + "/gunningscriteria",                                          "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    (BASE + "/eisen",                                                     "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    # The world's tender is published (tests/matrix_rows/ocds.py): it changes only through a
    # change notice, so a POST is refused (422).
    (BASE + "/eisen",                                                     "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Asking to publish a tender that is published already: refused with a message.
    (BASE + "/publiceren",                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    (BASE + "/publiceren",                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """The tender of the world's programme, on its calculation (published by ocds.make)."""
    from tenders.models import AggregationSnapshot, Programme, Tender

    programme = Programme.objects.get(slug="gt-test")
    Tender.objects.get_or_create(
        programme=programme,
        defaults={
            "snapshot": AggregationSnapshot.objects.filter(programme=programme).first(),
            "reference": "VNG-GT-TEST",
            "title": programme.name,
        },
    )
    return {}
