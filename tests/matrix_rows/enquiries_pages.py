"""Permission-matrix rows: the pages of the nota van inlichtingen (the world's tender is
published by tests/matrix_rows/ocds.py; its deadline for questions is set in the future here,
so questions are taken).

The supplier's page: its members ask (a POST is received: 302); every other logged-in persona
may see the tender but not ask (403). The project team's pages: 404 for everyone else; the
sample question is supplier X's and open. An empty POST to the merge form is refused next to
the field (422); asking to publish with nothing answered is refused with a message (302)."""

from __future__ import annotations

ASK = "aanbestedingen/<str:reference>/vragen"
TEAM = "programmas/<slug:programme_slug>/aanbesteding/vragen"
ONE = TEAM + "/<uuid:enquiry>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (ASK,                                                                 "GET",  (302, 403, 403, 403, 403, 403, 200, 200, 403)),
    (ASK,                                                                 "POST", (302, 403, 403, 403, 403, 403, 302, 302, 403)),
    (TEAM,                                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (TEAM,                                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    (TEAM + "/nota-van-inlichtingen",                                     "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    (TEAM + "/nota-van-inlichtingen",                                     "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (ONE + "/beantwoorden",                                               "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (ONE + "/beantwoorden",                                               "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    (ONE + "/samenvoegen",                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    (ONE + "/samenvoegen",                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {
    ASK: {"lot_number": "", "section": "Leidraad 2.1", "question": "Mag een refurbished laptop?"},
    ONE + "/beantwoorden": {
        "answer-public_question": "Mag een refurbished laptop worden aangeboden?",
        "answer-answer": "Ja, als die aan de eisen voldoet.",
    },
}


def make(world: dict) -> dict:
    """The world's tender takes questions for another month; supplier X asked one."""
    from datetime import timedelta

    from django.utils import timezone

    from tenders.models import Programme, Tender
    from tenders.services.enquiries import enquiry_ask

    tender = Tender.objects.get(programme=Programme.objects.get(slug="gt-test"))
    assert tender.status == Tender.Status.PUBLISHED
    Tender.objects.filter(pk=tender.pk).update(
        question_deadline_at=timezone.now() + timedelta(days=30)
    )
    tender.refresh_from_db()
    supplier = world["personas"]["supplier_x"]
    enquiry = enquiry_ask(
        actor=supplier.user,
        organisation=supplier.organisation,
        tender=tender,
        question="Leverancier X vraagt: mag een refurbished laptop worden aangeboden?",
    )
    return {"enquiry": enquiry.public_id}
