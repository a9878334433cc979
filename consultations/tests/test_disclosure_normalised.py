"""The disclosure checks compare what a reader sees, not the literal characters: a zero-width
space, a Cyrillic or Greek look-alike, fullwidth letters, "(at)"/"[dot]" addresses, a spaced
KvK number or a hyphen for a space no longer get supplier X past the review of an answer or
the report check; a realistic neutral text still passes both; and the text for the report
starts empty, the original answer shown read-only beside it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from consultations.models import AnswerReview
from consultations.selectors.identifying import identifying_hints
from consultations.selectors.report_disclosure import disclosing_answers, submitted_responses
from consultations.services import review as services
from consultations.tests.review_helpers import BASE, answer_of, close, respond
from consultations.tests.review_helpers import consultation as consultation
from consultations.tests.review_helpers import profile_x as profile_x
from portal.disclosure import Identifiers, canonical, disclosure_message
from tests.disclosure_variants import DISGUISED, NEUTRAL

pytestmark = pytest.mark.django_db

VARIANTS = [pytest.param(text, id=name) for name, text in DISGUISED]


@pytest.fixture
def closed(personas, consultation, project_team_user, profile_x):
    response = respond(personas["supplier_x"].user, consultation)
    close(consultation, project_team_user)
    return response


@pytest.mark.parametrize("text", VARIANTS)
def test_the_review_refuses_a_disguised_supplier_detail(closed, project_team_user, text):
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(closed, "visie"),
            include=True,
            redacted_text=text,
        )
    assert exc.value.message_dict["redacted_text"]
    assert not AnswerReview.objects.exists()


@pytest.mark.parametrize("text", VARIANTS)
def test_the_report_check_finds_a_disguised_supplier_detail(closed, project_team_user, text):
    # A review recorded before this check (the text as it was typed).
    AnswerReview.objects.create(
        answer=answer_of(closed, "visie"),
        include=True,
        redacted_text=text,
        reviewed_by=project_team_user,
    )
    responses = submitted_responses(closed.consultation)
    assert [answer.question_key for _, answer in disclosing_answers(responses)] == ["visie"]


def test_a_realistic_neutral_text_passes_the_review_and_the_report_check(closed, project_team_user):
    review = services.answer_review(
        actor=project_team_user,
        answer=answer_of(closed, "visie"),
        include=True,
        redacted_text=NEUTRAL,
    )
    assert review.redacted_text == NEUTRAL
    assert disclosing_answers(submitted_responses(closed.consultation)) == []


def test_the_review_names_another_supplier_taking_part(
    personas, project_team_user, consultation, profile_x
):
    # The review applies the report's check: another respondent's domain is refused too.
    x = respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, submit=False)
    close(consultation, project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(x, "visie"),
            include=True,
            redacted_text="Net als leverancier-y[dot]nl leveren wij snel.",
        )
    [message] = exc.value.message_dict["redacted_text"]
    assert "het web- of maildomein leverancier-y.nl" in message


def test_the_message_names_the_detail_without_echoing_a_long_text(supplier_x, profile_x):
    identifiers = Identifiers([supplier_x])
    long_address = "a" * 200 + "@voorbeeld.nl"
    message = disclosure_message(identifiers.findings(f"Mail {long_address} of Leverancier X."))
    assert "de naam ‘Leverancier X’" in message
    assert long_address not in message and "…" in message
    assert len(message) < 400


def test_the_canonical_form():
    assert canonical("Lever\u200bancier\u00a0 \uff38") == "Leverancier X"
    assert canonical("jan (at) acme [dot] nl") == "jan@acme.nl"
    assert canonical("jan at acme (dot) nl, piet at acme.nl") == "jan@acme.nl, piet@acme.nl"
    assert canonical("look at the dot on the screen") == "look at the dot on the screen"
    assert canonical("Wij leveren 5 – 10 stuks.") == "Wij leveren 5 - 10 stuks."


def test_hints_see_through_the_disguise(supplier_x, profile_x):
    hints = identifying_hints("L\u0435ver\u200bancier-X, KvK 1234 - 5678.", supplier_x)
    assert hints[:2] == [
        "De naam van de leverancier: “Leverancier-X”.",
        "Het KvK-nummer van de leverancier: 1234 - 5678.",
    ]


def test_the_text_for_the_report_starts_empty(personas, closed):
    client = personas["project_team"].client()
    html = client.get(f"{BASE}/anonimiseren/{closed.public_id}/visie").content.decode()
    assert re.search(r'<textarea[^>]*id="id_redacted_text"[^>]*>\s*</textarea>', html)
    original = str(answer_of(closed, "visie").value)
    assert re.search(r'id="original-answer">\s*' + re.escape(original), html)


def test_the_review_message_does_not_echo_a_long_address(closed, project_team_user):
    long_address = "verkoop." + "x" * 200 + "@voorbeeld.nl"
    with pytest.raises(ValidationError) as exc:
        services.answer_review(
            actor=project_team_user,
            answer=answer_of(closed, "visie"),
            include=True,
            redacted_text=f"Mail {long_address} voor een offerte.",
        )
    [message] = exc.value.message_dict["redacted_text"]
    assert message.startswith("Verwijder het e-mailadres uit de tekst (gevonden: verkoop.xxx")
    assert long_address not in message and len(message) < 150


def test_the_combined_pattern_is_compiled_once_for_the_same_suppliers():
    from portal.disclosure import literals_regex

    literals = {"words": {"Leverancier X", "12345678"}, "anywhere": {"verkoop@leverancier-x.nl"}}
    assert literals_regex(**literals) is literals_regex(**literals)
