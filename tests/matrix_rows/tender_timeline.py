"""Permission-matrix rows: the tender's timeline page (the legal periods). The programme gt-test
has one tender (published by tests/matrix_rows/ocds.py). The page is the project team's: 404
for everyone else; a published tender changes only through a change notice, so the team's POST
is refused (422)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("programmas/<slug:programme_slug>/aanbesteding/tijdlijn",            "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aanbesteding/tijdlijn",            "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """The tender of the world's programme on its latest snapshot."""
    from tenders.models import AggregationSnapshot, Programme, Tender

    programme = Programme.objects.get(slug=world["args"]["programme_slug"])
    if not Tender.objects.filter(programme=programme).exists():
        Tender.objects.create(
            programme=programme,
            snapshot=AggregationSnapshot.objects.filter(programme=programme).latest("pk"),
            reference="VNG-GT-TEST",
            title=programme.name,
        )
    return {}
