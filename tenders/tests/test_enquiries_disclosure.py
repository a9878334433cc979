# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The nota van inlichtingen applies the disclosure check of ``portal.disclosure``: a public
wording of a question that names the asker in disguise (zero-width space, look-alike letters,
"(at)", "[dot]", a spaced KvK number, a hyphen for a space) is refused with a message naming
what was found; so is an answer that names the asker; a realistic neutral text passes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from suppliers.models import SupplierProfile
from tenders.services.enquiries import enquiry_answer
from tenders.tests.change_helpers import published
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.tests.test_enquiries import ANSWER, PUBLIC, ask
from tenders.tests.test_enquiries import _media_root as _media_root
from tests.disclosure_variants import DISGUISED, NEUTRAL

pytestmark = pytest.mark.django_db

VARIANTS = [pytest.param(text, id=name) for name, text in DISGUISED]


@pytest.fixture
def enquiry(setup, personas):
    tender = published(setup, personas)
    SupplierProfile.objects.create(
        organisation=personas["supplier_x"].organisation,
        kvk_number="12345678",
        street="Straat",
        house_number="1",
        city="Utrecht",
    )
    return ask(personas, tender)


@pytest.mark.parametrize("text", VARIANTS)
def test_a_public_wording_that_names_the_asker_in_disguise_is_refused(enquiry, personas, text):
    with pytest.raises(ValidationError) as exc:
        enquiry_answer(
            actor=personas["project_team"].user,
            enquiry=enquiry,
            public_question=text,
            answer=ANSWER,
        )
    [message] = exc.value.message_dict["public_question"]
    assert message.startswith("De publieke formulering noemt de leverancier die de vraag stelde (")
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and enquiry.public_question == ""


@pytest.mark.parametrize(
    "text",
    [p for p in VARIANTS if "gmail" not in p.values[0]],  # another's address may be in an answer
)
def test_an_answer_that_names_the_asker_in_disguise_is_refused(enquiry, personas, text):
    with pytest.raises(ValidationError) as exc:
        enquiry_answer(
            actor=personas["project_team"].user,
            enquiry=enquiry,
            public_question=PUBLIC,
            answer=text,
        )
    [message] = exc.value.message_dict["answer"]
    assert message.startswith("Het antwoord noemt de leverancier die de vraag stelde (")
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_the_message_names_what_was_found(enquiry, personas):
    with pytest.raises(ValidationError) as exc:
        enquiry_answer(
            actor=personas["project_team"].user,
            enquiry=enquiry,
            public_question="Vraag van verkoop (at) leverancier-x (dot) nl over 8 GB",
            answer=ANSWER,
        )
    assert exc.value.message_dict["public_question"] == [
        "De publieke formulering noemt de leverancier die de vraag stelde (het e-mailadres "
        "verkoop@leverancier-x.nl): formuleer de vraag neutraal."
    ]


def test_a_realistic_neutral_text_passes(enquiry, personas):
    answered = enquiry_answer(
        actor=personas["project_team"].user,
        enquiry=enquiry,
        public_question=NEUTRAL,
        answer=NEUTRAL + " Mail vragen naar inkoop@gemeente.nl.",
    )
    assert answered.status == "answered" and answered.public_question == NEUTRAL
