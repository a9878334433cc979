"""Permission-matrix rows: earlier submissions of a response, kept as they were sent."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    # Like the response itself: the project team reads it (audited); the supplier reads its
    # answers on its own page; everyone else gets 404.
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/inzendingen/<int:submission>", "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/inzendingen/<int:submission>", "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The receipt of a submission: for the supplier's own members only (by its number).
    ("marktconsultaties/<slug:consultation>/antwoorden/ontvangstbewijs/<int:submission>",            "GET",  (302, 404, 404, 404, 404, 404, 200, 404, 404)),
    ("marktconsultaties/<slug:consultation>/antwoorden/ontvangstbewijs/<int:submission>",            "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """An earlier submission of supplier X's response (the response itself stays a draft, as
    the other parts' rows expect)."""
    from consultations.models import ConsultationResponse, ResponseSubmission

    response = ConsultationResponse.objects.get(public_id=world["args"]["response"])
    ResponseSubmission.objects.create(
        response=response, number=1, version=response.version, answers={"q1": "Eerder"}
    )
    return {"submission": 1}
