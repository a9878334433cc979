"""Permission-matrix rows: the tender's documents (the project team's page, downloads, retry).

The project team's alone: everyone else gets 404 on every URL and method, anonymous visitors
are sent to the login page. The sample tender has a finished first version of its
aanbestedingsleidraad: asking for new versions without saying what changed is refused next to
the field (422), and a finished version is not generated again (pt is sent back with a
message)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("programmas/<slug:programme_slug>/aanbesteding/documenten",          "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aanbesteding/documenten",          "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    ("programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/download", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/download", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/opnieuw", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/opnieuw", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {
    "programmas/<slug:programme_slug>/aanbesteding/documenten": {"change_note": ""},
}


def make(world: dict) -> dict:
    """The world programme's tender (made here unless another part made it) with a finished
    version 1 of its aanbestedingsleidraad."""
    import hashlib

    from django.core.files.base import ContentFile

    from municipalities.tests.conftest import MINIMAL_PDF
    from tenders.models import AggregationSnapshot, DocumentVersion, Tender, TenderDocument

    snapshot = AggregationSnapshot.objects.get(public_id=world["args"]["snapshot"])
    tender, _created = Tender.objects.get_or_create(
        programme=snapshot.programme,
        defaults={"snapshot": snapshot, "reference": "VNG-GT-TEST", "title": "GT Test"},
    )
    document, _created = TenderDocument.objects.get_or_create(
        tender=tender, kind=TenderDocument.Kind.LEIDRAAD
    )
    version = DocumentVersion(
        document=document,
        number=1,
        status=DocumentVersion.Status.DONE,
        input_hash="0" * 64,
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
        requested_by=world["personas"]["project_team"].user,
    )
    version.file.save("aanbestedingsleidraad.pdf", ContentFile(MINIMAL_PDF), save=False)
    version.save()
    return {"version": version.public_id}
