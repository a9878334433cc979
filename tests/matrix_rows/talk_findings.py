"""Permission-matrix rows: points from the 1-on-1 talks for the report. The pages and the API
are the project team's only (404 for everyone else); ``finding`` is a point written by another
project-team member, not yet approved, so the team persona may approve or remove it."""

from __future__ import annotations

PAGE = "marktconsultaties/<slug:consultation>/gesprekken/bevindingen"
ONE = PAGE + "/<uuid:finding>"
API = "api/v1/consultations/<slug:consultation>/talk-findings"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (PAGE,                                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (PAGE,                                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (ONE + "/goedkeuren",                                                 "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ONE + "/goedkeuren",                                                 "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (ONE + "/verwijderen",                                                "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ONE + "/verwijderen",                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (API,                                                                 "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (API,                                                                 "POST", (403, 404, 404, 404, 404, 404, 404, 404, 201)),
    (API + "/<uuid:finding>/approve",                                     "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (API + "/<uuid:finding>/approve",                                     "POST", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
]
# fmt: on

POSTS: dict[str, dict] = {
    PAGE: {"text": "Levertijden van tien werkdagen zijn haalbaar."},
    API: {"text": "Levertijden van tien werkdagen zijn haalbaar."},
}


def make(world: dict) -> dict:
    """A point of the world's consultation, written by a second project-team member."""
    from consultations.models import Consultation, TalkFinding
    from portal.models import Organisation, Role
    from tests.factories import MembershipFactory, UserFactory

    writer = MembershipFactory(
        organisation=Organisation.objects.get(kind=Organisation.Kind.PROJECT_TEAM),
        role=Role.EDITOR,
        user=UserFactory(email="schrijver@vng.nl"),
    ).user
    finding = TalkFinding.objects.create(
        consultation=Consultation.objects.get(slug=world["args"]["consultation"]),
        text="Meerdere leveranciers bieden terugname aan.",
        written_by=writer,
    )
    return {"finding": finding.public_id}
