"""The export reads answers as their JSON text and decodes them itself (``json_value``), and
makes each cell with a converter per question (``cell_value_of``, ``answer_displayer``): both
must give exactly what the general paths give."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import override
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from consultations.display import answer_display, answer_displayer
from consultations.exports import cell_value_of
from consultations.models import Answer, Question
from consultations.selectors.review_export import ExportAnswer, json_value
from consultations.tests.review_helpers import consultation as consultation
from consultations.tests.review_helpers import new_supplier, respond

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(json_values)
def test_json_value_reads_what_json_loads_reads(value):
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        assert json_value(text) == json.loads(text)


def test_json_value_reads_the_databases_own_text(personas, consultation):
    """PostgreSQL writes jsonb out in a form of its own (a space after ':' and ',')."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    _organisation, user = new_supplier("Leverancier Tekst")
    respond(
        user,
        consultation,
        {
            "naam": 'Laptop "14" – ü\tß',
            "visie": "Regel 1\nRegel 2 \\ € 😀",
            "rol": "Reseller",
            "keurmerk": ["TCO", "EPEAT"],
            "refurb": "ja",
            "levertijd": "12",
        },
    )
    rows = Answer.objects.annotate(json=Cast("value", TextField())).values_list("value", "json")
    assert len(rows) >= 6
    assert any(", " in text for _value, text in rows)  # the list, as the database wrote it
    for value, text in rows:
        assert json_value(text) == value


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Question.Type.YES_NO, [(True, "Yes"), (False, "No"), (None, ""), ("", "")]),
        (Question.Type.MULTIPLE_CHOICE, [(["a", "b"], "a, b"), ([], ""), (None, "")]),
        (Question.Type.NUMBER, [(12, "12 stuks"), ("3.5", "3,5 stuks"), ("", "")]),
        (Question.Type.DATE, [("2027-03-01", "01-03-2027"), (None, "")]),
        (Question.Type.FILE, [({"name": "offerte.pdf"}, "offerte.pdf"), ({}, ""), ("x", "")]),
        (Question.Type.LONG_TEXT, [("Tekst", "Tekst"), ("", ""), (None, ""), (7, "7")]),
    ],
    ids=lambda item: str(item)[:12],
)
def test_a_question_s_displayer_reads_each_answer_as_the_pages_show_it(kind, expected):
    question = Question(type=kind, unit="stuks")
    with override("en"):
        display = answer_displayer(question)
        for value, text in expected:
            assert display(value) == text
            assert answer_display(question, value) == text


@pytest.mark.parametrize(
    ("kind", "answer", "cell"),
    [
        (Question.Type.NUMBER, ExportAnswer("3.5", ""), Decimal("3.5")),
        (Question.Type.NUMBER, ExportAnswer("drie", ""), "drie"),
        (Question.Type.NUMBER, ExportAnswer("", ""), None),
        (Question.Type.DATE, ExportAnswer("2027-03-01", ""), date(2027, 3, 1)),
        (Question.Type.DATE, ExportAnswer("maart", ""), "maart"),
        (Question.Type.FILE, ExportAnswer({"name": "a.pdf"}, "answers/a.pdf"), "File attached"),
        (Question.Type.FILE, ExportAnswer({"name": "a.pdf"}, ""), None),
        (Question.Type.YES_NO, ExportAnswer(False, ""), "No"),
        (Question.Type.MULTIPLE_CHOICE, ExportAnswer([], ""), None),
    ],
)
def test_a_cell_holds_a_number_or_a_date_as_such_and_the_rest_as_text(kind, answer, cell):
    with override("en"):
        assert cell_value_of(Question(type=kind, unit=""))(answer) == cell
    assert cell_value_of(None)(answer) is None  # the key was not asked in that version
