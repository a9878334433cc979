"""The project team's review of a consultation's answers: each question's answers side by
side (submitted responses only, by key across questionnaire versions), counts per option,
the audit of every read, query counts that do not grow with the suppliers, and 404 for
everyone outside the project team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultations.models import Consultation, ConsultationResponse
from consultations.selectors import review as selectors
from consultations.selectors import review_question
from consultations.services import consultation as consultations
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
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Comparison and counts --------------------------------------------------------------------


def test_comparison_shows_each_submitted_answer_and_not_drafts(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    respond(
        personas["supplier_y"].user,
        consultation,
        {**ANSWERS, "rol": "Fabrikant", "naam": "Geheim concept"},
        submit=False,
    )
    page = personas["project_team"].client().get(f"{BASE}/vragen/naam")
    assert page.status_code == 200
    rows = page.context["comparison"].rows
    assert [(row.response.organisation.name, row.display) for row in rows] == [
        ("Leverancier X B.V.", "Laptop 14")
    ]
    html = page.content.decode()
    assert f'data-response="{x.public_id}"' in html
    assert "Laptop 14" in html
    assert "Leverancier Y" not in html and "Geheim concept" not in html

    counts = personas["project_team"].client().get(f"{BASE}/vragen/rol").context["comparison"]
    assert [(c.label, c.count, c.share) for c in counts.counts] == [
        ("Fabrikant", 0, 0),
        ("Reseller", 1, 100),
        ("Refurbisher", 0, 0),
    ]


def test_counts_per_option_for_closed_questions(personas, consultation):
    respond(personas["supplier_x"].user, consultation, {**ANSWERS, "keurmerk": ["TCO", "EPEAT"]})
    respond(
        personas["supplier_y"].user,
        consultation,
        {**ANSWERS, "rol": "Fabrikant", "refurb": "nee", "keurmerk": ["TCO"]},
    )
    _, third = new_supplier("Derde Leverancier")
    respond(third, consultation, {**ANSWERS, "refurb": "nee"})

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        overview = selectors.review_overview(consultation=consultation)
    # The answers are grouped once: numbers per question and counts per option together.
    grouped = [q["sql"] for q in captured.captured_queries if 'FROM "suppliers_answer"' in q["sql"]]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0]
    by_key = {item.key: item for item in overview.questions}
    assert overview.response_count == 3
    assert [(c.label, c.count) for c in by_key["refurb"].counts] == [("Ja", 1), ("Nee", 2)]
    assert [(c.label, c.count) for c in by_key["rol"].counts] == [
        ("Fabrikant", 1),
        ("Reseller", 2),
        ("Refurbisher", 0),
    ]
    assert [(c.label, c.count, c.share) for c in by_key["keurmerk"].counts] == [
        ("TCO", 2, 100),
        ("EPEAT", 1, 50),
    ]
    assert by_key["keurmerk"].answered == 2 and by_key["naam"].answered == 3
    assert by_key["naam"].counts == [] and by_key["visie"].open_total == 3

    page = personas["project_team"].client().get(BASE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ja: 1; Nee: 2" in html
    assert f'href="{BASE}/vragen/refurb"' in html
    comparison = personas["project_team"].client().get(f"{BASE}/vragen/refurb")
    assert 'role="img"' in comparison.content.decode()  # the bar chart


def test_answers_are_compared_by_key_across_versions(personas, consultation, project_team_user):
    respond(personas["supplier_x"].user, consultation, {**ANSWERS, "levertijd": "14"})
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_remove(
        actor=project_team_user, question=draft.questions.get(key="levertijd")
    )
    consultations.question_add(
        actor=project_team_user,
        version=draft,
        section=draft.sections.get(),
        type="yes_no",
        text="Neemt u apparaten terug?",
        key="terugname",
    )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)
    y = respond(personas["supplier_y"].user, consultation, {**ANSWERS, "terugname": "ja"})
    assert y.version.number == 2

    keys = [item.key for item in selectors.review_questions(consultation=consultation)]
    assert keys == ["naam", "visie", "rol", "keurmerk", "refurb", "terugname", "levertijd"]

    client = personas["project_team"].client()
    rows = client.get(f"{BASE}/vragen/naam").context["comparison"].rows
    assert [(r.response.organisation.name, r.response.version.number, r.display) for r in rows] == [
        ("Leverancier X B.V.", 1, "Laptop 14"),
        ("Leverancier Y B.V.", 2, "Laptop 14"),
    ]
    older = client.get(f"{BASE}/vragen/levertijd")
    rows = older.context["comparison"].rows
    assert [(r.display, r.question is None) for r in rows] == [("14 dagen", False), ("", True)]
    assert "Niet gesteld in versie 2" in older.content.decode()
    assert client.get(f"{BASE}/vragen/bestaat-niet").status_code == 404


# --- Audit of reads ---------------------------------------------------------------------------


def test_reading_answers_is_audited(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    client.get(f"{BASE}/vragen/rol")
    event = AuditEvent.objects.get(action="review.answers_read")
    assert event.actor == personas["project_team"].user
    assert event.data == {"consultation": "mc-review", "question": "rol", "view": "question"}

    client.get(f"{BASE}/anonimiseren/{x.public_id}/visie")
    event = AuditEvent.objects.filter(action="review.answers_read").latest("id")
    assert event.data["question"] == "visie" and event.data["view"] == "answer"
    assert event.target_id == str(x.public_id) and event.organisation == x.organisation


# --- Query counts -----------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_suppliers(personas, consultation, project_team_user):
    users = []
    for index in range(8):
        _, user = new_supplier(f"Leverancier {index:02d}")
        users.append(user)
    for user in users[:2]:
        respond(user, consultation, {**ANSWERS, "keurmerk": ["TCO"], "levertijd": "3"})
    close(consultation, project_team_user)
    first = ConsultationResponse.objects.filter(status="submitted").first()
    services.answer_review(
        actor=project_team_user, answer=answer_of(first, "visie"), include=True, redacted_text="A."
    )
    client = personas["project_team"].client()
    paths = [BASE, f"{BASE}/vragen/visie", f"{BASE}/vragen/keurmerk", f"{BASE}/anonimiseren"]
    client.get(BASE)  # session and user caches warm

    def counted(path: str) -> int:
        cache.clear()  # the kept counts of the closed consultation are counted anew
        return _count(client, path)

    few = [counted(path) for path in paths]

    # Six more suppliers answer (reopen the deadline for a moment, as the data setup).
    Consultation.objects.filter(pk=consultation.pk).update(
        status="published", closes_at=timezone.now() + timedelta(days=1)
    )
    for user in users[2:]:
        respond(user, consultation, {**ANSWERS, "keurmerk": ["EPEAT"], "levertijd": "5"})
    close(consultation, project_team_user)
    for response in ConsultationResponse.objects.filter(status="submitted")[:4]:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(response, "naam"),
            include=True,
            redacted_text="B.",
        )
    assert ConsultationResponse.objects.filter(status="submitted").count() == 8
    many = [counted(path) for path in paths]
    assert few == many, dict(zip(paths, zip(few, many, strict=True), strict=True))


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["admin_a", "editor_a", "editor_b", "joint_body", "supplier_x", "supplier_y"]
)
def test_everyone_outside_the_project_team_gets_404(personas, consultation, persona):
    x = respond(personas["supplier_x"].user, consultation)
    client = personas[persona].client()
    for path in (
        BASE,
        f"{BASE}/vragen/naam",
        f"{BASE}/export.xlsx",
        f"{BASE}/anonimiseren",
        f"{BASE}/anonimiseren/{x.public_id}/visie",
    ):
        assert client.get(path).status_code == 404, path
    post = client.post(f"{BASE}/anonimiseren/{x.public_id}/visie", {"include": "no"})
    assert post.status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="review.").exists()


def test_anonymous_is_sent_to_the_login_page(personas, consultation):
    response = personas["anonymous"].client().get(f"{BASE}/vragen/naam")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Paging and the review filter -------------------------------------------------------------


def test_question_page_is_paged_with_totals_over_all_suppliers(
    personas, consultation, project_team_user, monkeypatch
):
    """The answers a page at a time (suppliers by name), while the counts per option and the
    number that answered are over every submitted response; an open question filters on its
    review state."""
    monkeypatch.setattr(review_question, "QUESTION_PAGE_SIZE", 2)
    for index in range(5):
        _, user = new_supplier(f"Leverancier {index}")
        keurmerk = ["TCO"] if index % 2 else ["TCO", "EPEAT"]
        respond(user, consultation, {**ANSWERS, "keurmerk": keurmerk})
    close(consultation, project_team_user)
    for response in ConsultationResponse.objects.filter(
        organisation__name__in=["Leverancier 1", "Leverancier 3"]
    ):
        services.answer_review(
            actor=project_team_user, answer=answer_of(response, "visie"), include=False
        )
    client = personas["project_team"].client()

    closed = client.get(f"{BASE}/vragen/keurmerk")
    comparison = closed.context["comparison"]
    assert [row.response.organisation.name for row in comparison.rows] == [
        "Leverancier 0",
        "Leverancier 1",
    ]
    assert (comparison.answered, comparison.response_total) == (5, 5)
    assert [(c.label, c.count) for c in comparison.counts] == [("TCO", 5), ("EPEAT", 3)]
    html = closed.content.decode()
    assert "Pagina 1 van 3" in html and 'href="?pagina=2"' in html
    assert 'id="state-filter"' not in html  # no review of a closed question
    last = client.get(f"{BASE}/vragen/keurmerk?pagina=3").context["comparison"]
    assert [row.response.organisation.name for row in last.rows] == ["Leverancier 4"]
    assert [(c.label, c.count) for c in last.counts] == [("TCO", 5), ("EPEAT", 3)]

    to_review = client.get(f"{BASE}/vragen/visie?status=te-beoordelen")
    listing = to_review.context["comparison"]
    assert (listing.open_total, listing.open_reviewed, listing.matching) == (5, 2, 3)
    assert [row.response.organisation.name for row in listing.rows] == [
        "Leverancier 0",
        "Leverancier 2",
    ]
    assert 'href="?status=te-beoordelen&amp;pagina=2"' in to_review.content.decode()
    reviewed = client.get(f"{BASE}/vragen/visie?status=beoordeeld").context["comparison"]
    assert [row.response.organisation.name for row in reviewed.rows] == [
        "Leverancier 1",
        "Leverancier 3",
    ]
    assert all(row.review is not None for row in reviewed.rows)
    unknown = client.get(f"{BASE}/vragen/visie?status=alles").context["comparison"]
    assert unknown.state == "" and unknown.matching == 5


def test_a_closed_question_page_counts_its_answers_once(personas, consultation):
    """The page of a closed question takes its number of answers from the counts per option
    (one GROUP BY), asks for no review progress (it has no open answers) and counts the
    responses once (the page's paging knows the number)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations.selectors.review_question import question_comparison_page

    respond(personas["supplier_x"].user, consultation, ANSWERS)
    respond(personas["supplier_y"].user, consultation, {**ANSWERS, "rol": "Fabrikant"})
    with CaptureQueriesContext(connection) as captured:
        page = question_comparison_page(consultation=consultation, key="rol")
    sqls = [q["sql"] for q in captured.captured_queries]
    assert page.answered == 2 and page.response_total == page.matching == 2
    assert [(c.label, c.count) for c in page.counts][:2] == [("Fabrikant", 1), ("Reseller", 1)]
    assert not any("suppliers_answerreview" in sql and "COUNT(" in sql for sql in sqls)
    assert (
        sum('FROM "suppliers_consultationresponse"' in sql and "COUNT(" in sql for sql in sqls) == 1
    )
    assert sum('FROM "suppliers_answer"' in sql and "GROUP BY" in sql for sql in sqls) == 1
