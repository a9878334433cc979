"""Permission-matrix rows: the tender's open data (OCDS release package).

The sample tender is published with one release, so everyone, anonymous visitors included,
reads the package at its public URL and in the API; nothing can be posted to either."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("aanbestedingen/<str:reference>/ocds.json",                          "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("aanbestedingen/<str:reference>/ocds.json",                          "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/tenders/<str:reference>/ocds",                               "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/tenders/<str:reference>/ocds",                               "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """A published tender of the world's programme with its first OCDS release."""
    from tenders.models import AggregationSnapshot, Programme, Tender
    from tenders.services.ocds import ocds_release_add

    programme = Programme.objects.get(slug=world["args"]["programme_slug"])
    tender = Tender.objects.filter(programme=programme).first() or Tender.objects.create(
        programme=programme,
        snapshot=AggregationSnapshot.objects.filter(programme=programme).latest("created_at"),
        reference="VNG-GT-TEST",
        title=programme.name,
    )
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.PUBLISHED)
    tender.refresh_from_db()
    ocds_release_add(actor=world["personas"]["project_team"].user, tender=tender, tag="tender")
    return {"reference": tender.reference}
