"""Permission-matrix rows: The anonymised report.

The sample report is finished but not published, so only the project team may download it;
everyone else gets 404, anonymous visitors included (the published report is public). Only a
failed version is generated again, so the project team's retry of it is refused."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    # The world's consultation is still open: pt is sent back with a message.
    ("marktconsultaties/<slug:consultation>/verslag/maken",               "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/verslag/maken",               "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/status", "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/status", "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/download", "GET", (404, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/download", "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The sample report is done, not failed: pt is sent back with a message.
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/opnieuw", "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/opnieuw", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/publiceren", "GET", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/publiceren", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # Not published: pt is sent back with a message.
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/intrekken", "GET", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/verslag/<uuid:report>/intrekken", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """A finished, unpublished report (version 1) of the world's consultation."""
    import hashlib

    from django.core.files.base import ContentFile

    from consultations.models import Consultation, ConsultationReport
    from municipalities.tests.conftest import MINIMAL_PDF

    consultation = Consultation.objects.get(slug=world["args"]["consultation"])
    report = ConsultationReport(
        consultation=consultation,
        number=1,
        status=ConsultationReport.Status.DONE,
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
        requested_by=world["personas"]["project_team"].user,
    )
    report.file.save("verslag.pdf", ContentFile(MINIMAL_PDF), save=False)
    report.save()
    return {"report": report.public_id}
