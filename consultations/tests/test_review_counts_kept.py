"""The counts of a closed consultation's review are kept: its submitted answers no longer
change, and every review raises ``review_revision``, which names the kept counts. So the
overview groups the answers once; a new review is counted at once; an open consultation is
counted on every request; and with the cache down the same figures are counted again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Consultation
from consultations.selectors import review as selectors
from consultations.services import review as services
from consultations.tests.review_helpers import (
    ANSWERS,
    BASE,
    answer_of,
    close,
    new_supplier,
    respond,
)
from consultations.tests.review_helpers import consultation as consultation
from portal.tests.test_degraded_mode import cache_redis  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def answer_queries(call) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, [q["sql"] for q in captured.captured_queries if "suppliers_answer" in q["sql"]]


def fresh(consultation) -> Consultation:
    return Consultation.objects.get(pk=consultation.pk)


@pytest.fixture
def closed(personas, consultation, project_team_user):
    x = respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, {**ANSWERS, "naam": "Y", "visie": "Anders."})
    close(consultation, project_team_user)
    return fresh(consultation), x


def figures(overview) -> dict:
    return {
        "responses": overview.response_count,
        "redaction": (overview.redaction.total, overview.redaction.reviewed),
        "questions": {
            item.key: (item.answered, item.open_total, item.open_reviewed, item.counts)
            for item in overview.questions
        },
    }


def test_a_closed_consultation_groups_its_answers_once(closed):
    consultation, _x = closed
    first, queries = answer_queries(lambda: selectors.review_overview(consultation=consultation))
    assert len(queries) == 1 and "GROUP BY" in queries[0]
    again, queries = answer_queries(
        lambda: selectors.review_overview(consultation=fresh(consultation))
    )
    assert queries == []
    assert figures(again) == figures(first)
    status, queries = answer_queries(
        lambda: selectors.redaction_status(consultation=fresh(consultation))
    )
    assert queries and (status.total, status.reviewed, status.to_review) == (4, 0, 4)
    status, queries = answer_queries(
        lambda: selectors.redaction_status(consultation=fresh(consultation))
    )
    assert queries == [] and (status.total, status.reviewed) == (4, 0)


def test_a_new_review_is_counted_at_once(closed, project_team_user, personas):
    consultation, x = closed
    before = consultation.review_revision
    selectors.review_overview(consultation=consultation)
    selectors.redaction_status(consultation=consultation)
    services.answer_review(
        actor=project_team_user,
        answer=answer_of(x, "visie"),
        include=True,
        redacted_text="Circulair werken.",
    )
    consultation = fresh(consultation)
    assert consultation.review_revision == before + 1
    overview = selectors.review_overview(consultation=consultation)
    visie = next(item for item in overview.questions if item.key == "visie")
    assert (visie.open_total, visie.open_reviewed) == (2, 1)
    status = selectors.redaction_status(consultation=fresh(consultation))
    assert (status.total, status.reviewed, status.to_review) == (4, 1, 3)
    # The page says so too.
    html = personas["project_team"].client().get(BASE).content.decode()
    assert "1 van 2" in html or "1 of 2" in html


def test_an_open_consultation_is_counted_on_every_request(personas, consultation):
    respond(personas["supplier_x"].user, consultation)
    first = selectors.review_overview(consultation=fresh(consultation))
    assert first.response_count == 1
    _org, third = new_supplier("Derde Leverancier")
    respond(third, consultation)
    overview, queries = answer_queries(
        lambda: selectors.review_overview(consultation=fresh(consultation))
    )
    assert queries and overview.response_count == 2
    naam = next(item for item in overview.questions if item.key == "naam")
    assert naam.answered == 2


def test_with_the_cache_down_the_same_figures_are_counted(closed, cache_redis):  # noqa: F811
    consultation, _x = closed
    up = figures(selectors.review_overview(consultation=consultation))
    cache_redis.stop()
    down, queries = answer_queries(
        lambda: selectors.review_overview(consultation=fresh(consultation))
    )
    cache_redis.start()
    assert queries and figures(down) == up


def test_the_kept_list_to_review_loses_an_answer_once_it_is_reviewed(closed, project_team_user):
    from consultations.selectors.redaction import TO_REVIEW, open_answer_list

    consultation, x = closed

    def to_review() -> list[int]:
        listed = open_answer_list(consultation=fresh(consultation), state=TO_REVIEW)
        return [row.answer.pk for row in listed.rows]

    before = to_review()
    assert to_review() == before and len(before) == 4
    visie = answer_of(x, "visie")
    services.answer_review(actor=project_team_user, answer=visie, include=False)
    assert to_review() == [pk for pk in before if pk != visie.pk]


def test_the_question_page_keeps_its_totals_and_counts_a_new_review(closed, project_team_user):
    from consultations.selectors.review_question import question_comparison_page

    consultation, x = closed

    def page():
        return question_comparison_page(consultation=fresh(consultation), key="visie")

    first, counted = answer_queries(page)
    again, kept_queries = answer_queries(page)
    assert len(kept_queries) < len(counted)
    assert (
        (again.answered, again.open_total, again.open_reviewed, again.response_total)
        == (
            first.answered,
            first.open_total,
            first.open_reviewed,
            first.response_total,
        )
        == (2, 2, 0, 2)
    )
    services.answer_review(actor=project_team_user, answer=answer_of(x, "visie"), include=False)
    assert (page().open_total, page().open_reviewed) == (2, 1)


def test_a_version_published_after_closing_is_counted_anew(closed, project_team_user):
    from consultations.services import consultation as consultations

    consultation, _x = closed
    before = consultation.review_revision
    selectors.review_overview(consultation=consultation)
    version = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.questionnaire_publish(actor=project_team_user, version=version)
    consultation = fresh(consultation)
    assert consultation.review_revision == before + 1
    overview, queries = answer_queries(lambda: selectors.review_overview(consultation=consultation))
    assert queries and overview.response_count == 2
