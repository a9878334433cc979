"""The redaction of open answers for the anonymised report: a review only after closing, of
the open text of a submitted response, by the project team's editors, refused while the
text still identifies the supplier (with hints); the redaction pages; and the list of open
answers, paged and filtered, with a query count that is the same on every page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.models import AnswerReview
from consultations.selectors import redaction
from consultations.selectors.identifying import identifying_hints
from consultations.services import review as services
from consultations.tests.review_helpers import (
    ANSWERS,
    BASE,
    _count,
    answer_of,
    close,
    new_supplier,
    respond,
)
from consultations.tests.review_helpers import consultation as consultation
from consultations.tests.review_helpers import profile_x as profile_x
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Reviewing open answers -------------------------------------------------------------------


def test_review_is_refused_before_closing(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(x, "visie"),
            include=True,
            redacted_text="Circulair werken.",
        )
    assert exc.value.code == "not_closed"
    assert not AnswerReview.objects.exists()


def test_review_is_refused_for_answers_that_are_not_text(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    for key in ("rol", "refurb"):
        with pytest.raises(ValidationError):
            services.answer_review(
                actor=project_team_user, answer=answer_of(x, key), include=True, redacted_text="x"
            )
    assert not AnswerReview.objects.exists()


def test_review_is_refused_for_a_draft(personas, consultation, project_team_user):
    y = respond(personas["supplier_y"].user, consultation, submit=False)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError):
        services.answer_review(actor=project_team_user, answer=answer_of(y, "visie"), include=False)
    assert not AnswerReview.objects.exists()


def test_included_without_text_is_refused(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user, answer=answer_of(x, "visie"), include=True, redacted_text="  "
        )
    assert list(exc.value.message_dict) == ["redacted_text"]
    assert not AnswerReview.objects.exists()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bij Leverancier X werken we circulair.", "Leverancier X"),
        ("LEVERANCIER X B.V. werkt circulair.", "LEVERANCIER X B.V."),
        ("Ons KvK-nummer is 1234 5678.", "1234 5678"),
        ("Mail naar verkoop@example.nl voor meer.", "verkoop@example.nl"),
    ],
)
def test_included_text_with_identifying_content_is_refused(
    personas, consultation, project_team_user, profile_x, text, found
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user, answer=answer_of(x, "visie"), include=True, redacted_text=text
        )
    messages = exc.value.message_dict["redacted_text"]
    assert any(found in message for message in messages), messages
    assert not AnswerReview.objects.exists()


def test_review_saves_and_updates_with_an_audit_event(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    answer = answer_of(x, "visie")
    first = services.answer_review(
        actor=project_team_user, answer=answer, include=True, redacted_text="Een leverancier."
    )
    again = services.answer_review(actor=project_team_user, answer=answer, include=False)
    assert first.pk == again.pk and AnswerReview.objects.count() == 1
    again.refresh_from_db()
    assert again.include is False and again.reviewed_by == project_team_user
    events = AuditEvent.objects.filter(action="answer.reviewed").order_by("id")
    assert [e.data["include"] for e in events] == [True, False]
    assert events[0].data["question"] == "visie" and events[0].target_id == str(x.public_id)


def test_only_project_team_editors_review(
    personas, consultation, project_team_user, project_team_viewer
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    viewer = project_team_viewer
    for actor in (viewer, personas["supplier_x"].user, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.answer_review(
                actor=actor, answer=answer_of(x, "visie"), include=True, redacted_text="Tekst."
            )
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    client = personas["project_team"].client()
    client.force_login(viewer)
    assert client.get(path).status_code == 200
    assert client.post(path, {"include": "yes", "redacted_text": "Tekst."}).status_code == 403
    assert not AnswerReview.objects.exists()


def test_identifying_hints(supplier_x, profile_x):
    text = (
        "Leverancier X levert via www.leverancier-x.nl. Bel 06-12345678 of mail "
        "info@leverancier-x.nl. KvK 12345678; order 87654321."
    )
    hints = identifying_hints(text, supplier_x)
    assert hints == [
        "De naam van de leverancier: “Leverancier X”.",
        "Het KvK-nummer van de leverancier: 12345678.",
        "Een e-mailadres: info@leverancier-x.nl.",
        "Een telefoonnummer: 06-12345678.",
        "Een webadres: www.leverancier-x.nl.",
        "Een getal van 8 cijfers dat een KvK-nummer kan zijn: 87654321.",
    ]
    assert identifying_hints("Wij leveren 2.000 laptops per jaar.", supplier_x) == []


# --- Pages ------------------------------------------------------------------------------------


def test_redaction_page_refuses_identifying_text_next_to_the_field(
    personas, consultation, project_team_user, profile_x
):
    x = respond(
        personas["supplier_x"].user,
        consultation,
        {**ANSWERS, "visie": "Leverancier X werkt circulair. Mail info@x.nl."},
    )
    close(consultation, project_team_user)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    # The text for the report starts empty; the original is shown read-only beside it.
    assert re.search(r'<textarea[^>]*id="id_redacted_text"[^>]*>\s*</textarea>', html)
    assert re.search(
        r'id="original-answer">Leverancier X werkt circulair\. Mail info@x\.nl\.', html
    )
    assert 'id="identifying-hints"' in html and "info@x.nl" in html

    refused = client.post(path, {"include": "yes", "redacted_text": "Leverancier X werkt."})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_redacted_text-error"' in html
    assert "Verwijder de naam van de leverancier uit de tekst" in html
    assert not AnswerReview.objects.exists()

    missing = client.post(path, {"redacted_text": "Een leverancier werkt circulair."})
    assert missing.status_code == 422 and 'id="id_include-error"' in missing.content.decode()

    saved = client.post(
        path, {"include": "yes", "redacted_text": "Een leverancier werkt circulair."}
    )
    # On to the next open answer that has no review yet (the short text "naam").
    assert (
        saved.status_code == 302 and saved["Location"] == f"{BASE}/anonimiseren/{x.public_id}/naam"
    )
    review = AnswerReview.objects.get()
    assert review.include and review.redacted_text == "Een leverancier werkt circulair."
    assert "De beoordeling is opgeslagen." in client.get(saved["Location"]).content.decode()
    listing = client.get(f"{BASE}/anonimiseren")
    assert listing.context["reviewed"] == 1
    assert "Opnieuw beoordelen" in listing.content.decode()
    # The last one reviewed: back to the list.
    last = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert last.status_code == 302 and last["Location"] == f"{BASE}/anonimiseren"


def test_leaving_an_answer_out_needs_no_text_but_including_does(
    personas, consultation, project_team_user
):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/naam"
    empty = client.post(path, {"include": "yes", "redacted_text": " "})
    assert empty.status_code == 422
    assert 'id="id_redacted_text-error"' in empty.content.decode()
    assert not AnswerReview.objects.exists()
    assert client.post(path, {"include": "no", "redacted_text": ""}).status_code == 302
    review = AnswerReview.objects.get()
    assert review.include is False and review.redacted_text == ""


def test_redaction_page_before_closing_shows_no_form(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren/{x.public_id}/visie"
    page = client.get(path)
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    refused = client.post(path, {"include": "yes", "redacted_text": "Tekst."})
    assert refused.status_code == 422
    assert not AnswerReview.objects.exists()


def test_redaction_page_404_for_drafts_closed_questions_and_unanswered(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    y = respond(personas["supplier_y"].user, consultation, submit=False)
    client = personas["project_team"].client()
    assert client.get(f"{BASE}/anonimiseren/{y.public_id}/visie").status_code == 404
    assert client.get(f"{BASE}/anonimiseren/{x.public_id}/rol").status_code == 404
    assert client.get(f"{BASE}/anonimiseren/{x.public_id}/bestaat-niet").status_code == 404


def test_manage_page_shows_the_review_part(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    services.answer_review(
        actor=project_team_user, answer=answer_of(x, "visie"), include=False, redacted_text=""
    )
    page = personas["project_team"].client().get("/marktconsultaties/mc-review/beheer")
    assert page.status_code == 200
    assert page.context["review_response_count"] == 1
    redaction = page.context["review_redaction"]
    assert (redaction.reviewed, redaction.total) == (1, 2)  # naam and visie are open text
    html = page.content.decode()
    for href in (BASE, f"{BASE}/export.xlsx", f"{BASE}/anonimiseren"):
        assert f'href="{href}"' in html


# --- The list of open answers: pages and filters ----------------------------------------------


@pytest.fixture
def three_answered(personas, consultation, project_team_user, monkeypatch):
    """Three suppliers submitted (six open answers: naam and visie each), the consultation is
    closed, two answers are reviewed; two rows per page."""
    monkeypatch.setattr(redaction, "REDACTION_PAGE_SIZE", 2)
    _, third = new_supplier("Aalscholver Leverancier")
    made = {
        "a": respond(third, consultation),
        "x": respond(personas["supplier_x"].user, consultation),
        "y": respond(personas["supplier_y"].user, consultation),
    }
    close(consultation, project_team_user)
    services.answer_review(
        actor=project_team_user, answer=answer_of(made["x"], "naam"), include=False
    )
    services.answer_review(
        actor=project_team_user,
        answer=answer_of(made["a"], "visie"),
        include=True,
        redacted_text="Circulair werken.",
    )
    return made


def _listed(page) -> list[tuple[str, str]]:
    return [(row.response.organisation.name, row.question.key) for row in page.context["rows"]]


def test_open_answers_are_paged_with_the_progress_over_all_pages(personas, three_answered):
    client = personas["project_team"].client()
    pages = [client.get(f"{BASE}/anonimiseren", {"pagina": n}) for n in (1, 2, 3)]
    # By question (in the order of the questionnaire), then by supplier.
    assert [_listed(page) for page in pages] == [
        [("Aalscholver Leverancier", "naam"), ("Leverancier X B.V.", "naam")],
        [("Leverancier Y B.V.", "naam"), ("Aalscholver Leverancier", "visie")],
        [("Leverancier X B.V.", "visie"), ("Leverancier Y B.V.", "visie")],
    ]
    for number, page in enumerate(pages, start=1):
        html = page.content.decode()
        assert (
            '<p class="utrecht-paragraph" id="redaction-progress">'
            "2 van 6 open antwoorden beoordeeld.</p>"
        ) in html
        assert f"Pagina {number} van 3" in html
    assert 'href="?pagina=2"' in pages[0].content.decode()
    assert 'href="?pagina=1"' in pages[1].content.decode()
    assert 'rel="next"' not in pages[2].content.decode()
    # A page number out of range shows the last page, nonsense the first.
    assert _listed(client.get(f"{BASE}/anonimiseren", {"pagina": 99})) == _listed(pages[2])
    assert _listed(client.get(f"{BASE}/anonimiseren", {"pagina": "x"})) == _listed(pages[0])
    # The states of the rows on a page.
    html = pages[1].content.decode()
    assert html.count("Nog niet beoordeeld") == 1 and "Opgenomen" in html


def test_open_answers_filter_by_question_and_review_state(personas, three_answered):
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren"
    visie = client.get(path, {"vraag": "visie"})
    assert _listed(visie) == [
        ("Aalscholver Leverancier", "visie"),
        ("Leverancier X B.V.", "visie"),
    ]
    html = visie.content.decode()
    assert '<option value="visie" selected>' in html
    assert "(3 voldoen aan het filter)" in html
    assert 'href="?vraag=visie&amp;pagina=2"' in html  # the filter stays on the next page
    assert _listed(client.get(path, {"vraag": "visie", "pagina": 2})) == [
        ("Leverancier Y B.V.", "visie")
    ]
    # Progress is over all open answers, not over the filter.
    assert "2 van 6 open antwoorden beoordeeld." in html

    to_review = [
        row
        for n in (1, 2)
        for row in _listed(client.get(path, {"status": "te-beoordelen", "pagina": n}))
    ]
    assert to_review == [
        ("Aalscholver Leverancier", "naam"),
        ("Leverancier Y B.V.", "naam"),
        ("Leverancier X B.V.", "visie"),
        ("Leverancier Y B.V.", "visie"),
    ]
    reviewed = client.get(path, {"status": "beoordeeld"})
    assert _listed(reviewed) == [
        ("Leverancier X B.V.", "naam"),
        ("Aalscholver Leverancier", "visie"),
    ]
    assert '<option value="beoordeeld" selected>' in reviewed.content.decode()

    both = client.get(path, {"vraag": "visie", "status": "te-beoordelen"})
    assert _listed(both) == [("Leverancier X B.V.", "visie"), ("Leverancier Y B.V.", "visie")]
    assert "(2 voldoen aan het filter)" in both.content.decode()
    one = client.get(path, {"vraag": "naam", "status": "beoordeeld", "pagina": 1})
    assert _listed(one) == [("Leverancier X B.V.", "naam")]

    # A closed question or an unknown key or state is no filter.
    for params in ({"vraag": "rol"}, {"vraag": "bestaat-niet"}, {"status": "alles"}):
        page = client.get(path, params)
        assert page.status_code == 200
        assert _listed(page) == [
            ("Aalscholver Leverancier", "naam"),
            ("Leverancier X B.V.", "naam"),
        ]
        assert " selected>" not in page.content.decode()
        assert "voldoen aan het filter" not in page.content.decode()


def test_an_empty_filter_says_so(personas, three_answered, project_team_user):
    for response in three_answered.values():
        for key in ("naam", "visie"):
            services.answer_review(
                actor=project_team_user, answer=answer_of(response, key), include=False
            )
    page = (
        personas["project_team"].client().get(f"{BASE}/anonimiseren", {"status": "te-beoordelen"})
    )
    assert page.status_code == 200 and page.context["rows"] == []
    html = page.content.decode()
    assert "Geen open antwoorden voldoen aan dit filter." in html
    assert "6 van 6 open antwoorden beoordeeld." in html


def test_query_count_is_the_same_on_every_page_and_filter(personas, three_answered):
    """The same on every page and filter; of the closed consultation the progress and the
    sorted ids are kept, so a page asked again reads neither."""
    client = personas["project_team"].client()
    path = f"{BASE}/anonimiseren"
    client.get(path)  # session and user caches warm

    def counted(query: str) -> int:
        cache.clear()  # the kept progress and ids are read anew
        return _count(client, f"{path}?{query}")

    queries = (
        "pagina=1",
        "pagina=2",
        "pagina=3",
        "vraag=visie",
        "vraag=visie&pagina=2",
        "status=te-beoordelen&pagina=2",
        "vraag=naam&status=beoordeeld",
    )
    counts = {query: counted(query) for query in queries}
    assert len(set(counts.values())) == 1, counts
    for query in queries:
        client.get(f"{path}?{query}")
    again = {query: _count(client, f"{path}?{query}") for query in queries}
    assert again == {query: n - 2 for query, n in counts.items()}, again


def test_after_saving_the_next_answer_to_review_is_the_first_in_the_list(personas, three_answered):
    client = personas["project_team"].client()
    x, y, a = three_answered["x"], three_answered["y"], three_answered["a"]
    saved = client.post(
        f"{BASE}/anonimiseren/{y.public_id}/visie", {"include": "no", "redacted_text": ""}
    )
    # The first answer without a review, whatever page it is on: Aalscholver's "naam".
    assert saved["Location"] == f"{BASE}/anonimiseren/{a.public_id}/naam"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren/{y.public_id}/naam"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren/{x.public_id}/visie"
    saved = client.post(saved["Location"], {"include": "no", "redacted_text": ""})
    assert saved["Location"] == f"{BASE}/anonimiseren"  # all reviewed
    assert AnswerReview.objects.count() == 6


def test_hints_are_shown_for_the_rows_of_the_page(personas, consultation, project_team_user):
    respond(
        personas["supplier_x"].user,
        consultation,
        {**ANSWERS, "visie": "Leverancier X werkt circulair. Mail info@x.nl."},
    )
    close(consultation, project_team_user)
    page = personas["project_team"].client().get(f"{BASE}/anonimiseren", {"vraag": "visie"})
    (row,) = page.context["rows"]
    assert row.hints == [
        "De naam van de leverancier: “Leverancier X”.",
        "Een e-mailadres: info@x.nl.",
    ]
    assert "2 waarschuwingen" in page.content.decode()


def test_the_open_answer_list_joins_only_the_answers_to_open_questions(
    personas, consultation, project_team_user
):
    """The list asks the database for the answers to the questions that are open text in
    some version (naam, visie), not for every answer of the consultation; it still lists
    exactly the open answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("Leverancier A", "Leverancier B"):
        _, user = new_supplier(name)
        respond(user, consultation)
    closed = close(consultation, project_team_user)
    with CaptureQueriesContext(connection) as captured:
        listing = redaction.open_answer_list(consultation=closed)
    assert sorted(row.answer.question_key for row in listing.rows) == [
        "naam",
        "naam",
        "visie",
        "visie",
    ]
    lists = [
        q["sql"]
        for q in captured.captured_queries
        if '"suppliers_answer"."question_key" IN' in q["sql"]
    ]
    assert lists
    for sql in lists:
        keys = re.search(r'"suppliers_answer"."question_key" IN \(([^)]*)\)', sql).group(1)
        assert sorted(keys.split(", ")) == ["'naam'", "'visie'"]
