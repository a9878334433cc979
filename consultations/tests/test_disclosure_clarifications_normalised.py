"""The clarifications apply the canonical form of the disclosure check: a public wording or an
answer that names supplier X in disguise (zero-width space, look-alike letters, "(at)",
"[dot]", a spaced KvK number, a hyphen for a space) is refused; a realistic neutral text is
published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consultations.services import clarifications as services
from consultations.tests.test_disclosure_clarifications import (
    NEUTRAL as NEUTRAL_QUESTION,
)
from consultations.tests.test_disclosure_clarifications import (
    assert_unchanged,
)
from consultations.tests.test_disclosure_clarifications import consultation as consultation
from consultations.tests.test_disclosure_clarifications import profile_x as profile_x
from consultations.tests.test_disclosure_clarifications import question as question
from tests.disclosure_variants import DISGUISED, NEUTRAL

pytestmark = pytest.mark.django_db

VARIANTS = [pytest.param(text, id=name) for name, text in DISGUISED]


@pytest.mark.parametrize("text", VARIANTS)
def test_a_public_wording_that_names_a_supplier_in_disguise_is_refused(
    question, project_team_user, text
):
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(
            actor=project_team_user, question=question, public_question=text, answer="Ja."
        )
    [message] = exc.value.message_dict["public_question"]
    assert message.startswith("Deze tekst maakt een leverancier die meedoet herkenbaar: ")
    assert_unchanged(question)


@pytest.mark.parametrize("text", VARIANTS)
def test_an_answer_that_names_a_supplier_in_disguise_is_refused(question, project_team_user, text):
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(
            actor=project_team_user,
            question=question,
            public_question=NEUTRAL_QUESTION,
            answer=text,
        )
    assert list(exc.value.message_dict) == ["answer"]
    assert_unchanged(question)


def test_a_realistic_neutral_text_is_published(question, project_team_user):
    published = services.clarification_publish(
        actor=project_team_user, question=question, public_question=NEUTRAL, answer=NEUTRAL
    )
    assert published.public_question == NEUTRAL and published.answer == NEUTRAL
