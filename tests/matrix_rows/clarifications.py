"""Permission-matrix rows: Clarification questions.

The supplier's page is for suppliers only (404 for everyone else, the project team included);
the project team's list and answer page are the team's only (404 for everyone else, supplier X
that asked the question included). The sample question is supplier X's and still open."""

from __future__ import annotations

Q = "marktconsultaties/<slug:consultation>/vragen"
ONE = Q + "/<uuid:clarification>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (Q,                                                                   "GET",  (302, 404, 404, 404, 404, 404, 200, 200, 404)),
    (Q,                                                                   "POST", (302, 404, 404, 404, 404, 404, 302, 302, 404)),
    (Q + "/beheer",                                                       "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (Q + "/beheer",                                                       "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ONE + "/beantwoorden",                                               "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (ONE + "/beantwoorden",                                               "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (ONE + "/afwijzen",                                                   "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ONE + "/afwijzen",                                                   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {
    Q: {"question": "Mogen refurbished laptops worden aangeboden?"},
    ONE + "/beantwoorden": {
        "publish-public_question": "Mogen refurbished laptops worden aangeboden?",
        "publish-answer": "Ja.",
    },
    ONE + "/afwijzen": {"reject-reason": "duplicate"},
}


def make(world: dict) -> dict:
    """An open question of supplier X in the world's (open) consultation."""
    from consultations.models import Consultation
    from consultations.services.clarifications import clarification_ask

    question = clarification_ask(
        actor=world["personas"]["supplier_x"].user,
        consultation=Consultation.objects.get(slug=world["args"]["consultation"]),
        text="Kan Leverancier X ook tablets leveren?",
    )
    return {"clarification": question.public_id}
