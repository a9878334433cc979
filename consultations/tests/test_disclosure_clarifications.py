"""Disclosure rules for the clarification questions, each written as the scenario that broke
before: a question published in the asker's own words (company name, KvK number, e-mail
domain) is refused with a Dutch message naming what was found; the publication form starts
neutral; "not answered" is a fixed reason, published with the neutral question where it
matters to all, never a private free-text answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from consultations.models import ClarificationQuestion
from consultations.services import clarifications as services
from consultations.services.responses import response_get_or_create
from consultations.tests.review_helpers import profile_x as profile_x
from portal.models import Organisation, Role
from tenders.tests.conftest import open_consultation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "mc-openbaar"
PUBLIC_URL = f"/marktconsultaties/{SLUG}"
ASKED = "Kan Leverancier X B.V. (KvK 12345678, www.leverancier-x.nl) refurbished laptops leveren?"
NEUTRAL = "Mogen refurbished laptops worden aangeboden?"
OUTSIDE = "Niet beantwoord: deze vraag valt buiten het onderwerp van de marktconsultatie."


@pytest.fixture
def consultation(project_team_user):
    return open_consultation(
        project_team_user, slug=SLUG, programme_slug="gt-openbaar", question_key="r"
    )


@pytest.fixture
def question(personas, consultation, profile_x):
    return services.clarification_ask(
        actor=personas["supplier_x"].user, consultation=consultation, text=ASKED
    )


def answer_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/beantwoorden"


def reject_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/afwijzen"


def assert_unchanged(question) -> None:
    question.refresh_from_db()
    assert (question.status, question.number, question.public_question, question.answer) == (
        "open",
        None,
        "",
        "",
    )


@pytest.mark.parametrize(
    ("wording", "found"),
    [
        (ASKED, "de naam ‘Leverancier X B.V.’"),  # the asker's own words, as before
        ("Kan LEVERANCIER   X\nrefurbished leveren?", "de naam ‘LEVERANCIER X’"),
        ("Geldt dit ook voor KvK 1234 5678?", "het KvK- of registratienummer 12345678"),
        ("Mag www.leverancier-x.nl meedoen?", "het web- of maildomein leverancier-x.nl"),
        ("Mail verkoop@leverancier-x.nl het antwoord?", "het e-mailadres verkoop@leverancier-x.nl"),
        ("Levert Leverancier Y ook refurbished?", "de naam ‘Leverancier Y’"),  # another one
    ],
)
def test_a_public_wording_that_names_a_supplier_is_refused(
    personas, question, project_team_user, wording, found
):
    response_get_or_create(actor=personas["supplier_y"].user, consultation=question.consultation)
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(
            actor=project_team_user, question=question, public_question=wording, answer="Ja."
        )
    [message] = exc.value.message_dict["public_question"]
    assert message.startswith("Deze tekst maakt een leverancier die meedoet herkenbaar: ")
    assert found in message, message
    assert "Schrijf hem in neutrale woorden" in message
    assert_unchanged(question)


def test_an_answer_that_names_the_asker_is_refused(question, project_team_user):
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(
            actor=project_team_user,
            question=question,
            public_question=NEUTRAL,
            answer="Ja, Leverancier X mag dat.",
        )
    assert "de naam ‘Leverancier X’" in exc.value.message_dict["answer"][0]
    assert_unchanged(question)


def test_publishing_needs_a_wording_of_the_team(question, project_team_user):
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(
            actor=project_team_user, question=question, public_question="", answer="Ja."
        )
    assert exc.value.message_dict["public_question"] == [
        "Schrijf de vraag zoals die wordt gepubliceerd, in neutrale woorden."
    ]
    assert_unchanged(question)


def test_the_page_refuses_the_asker_s_words_next_to_the_field(personas, question):
    client = personas["project_team"].client()
    form = client.get(answer_url(question)).content.decode()
    start = form.split('id="id_publish-public_question"')[1].split("</textarea>")[0]
    # The form starts neutral: the identifying parts are placeholders, not the asker's words.
    assert "Leverancier X" not in start and "12345678" not in start
    assert "leverancier-x.nl" not in start and start.count("[verwijderd]") == 3
    refused = client.post(
        answer_url(question), {"publish-public_question": ASKED, "publish-answer": "Ja."}
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_publish-public_question-error"' in html
    assert "Deze tekst maakt een leverancier die meedoet herkenbaar" in html
    assert_unchanged(question)
    done = client.post(
        answer_url(question), {"publish-public_question": NEUTRAL, "publish-answer": "Ja."}
    )
    assert done.status_code == 302
    public = Client().get(PUBLIC_URL).content.decode()
    assert NEUTRAL in public and "Leverancier X" not in public and "12345678" not in public


# --- Not answered: a fixed reason -------------------------------------------------------------


def test_a_rejection_that_matters_to_all_is_published_with_the_question(
    personas,
    consultation,
    question,
    project_team_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    y = personas["supplier_y"].user
    response_get_or_create(actor=y, consultation=consultation)
    first = services.clarification_ask(actor=y, consultation=consultation, text="Tablets ook?")
    services.clarification_publish(
        actor=project_team_user, question=first, public_question="Tablets ook?", answer="Ja."
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rejected = services.clarification_reject(
            actor=project_team_user,
            question=question,
            reason="already_answered",
            answered_in=1,
            public_question=NEUTRAL,
        )
    assert (rejected.status, rejected.number, rejected.answer) == ("rejected", 2, "")
    assert rejected.answered_in == first
    html = Client().get(PUBLIC_URL).content.decode()
    assert "Vraag 2" in html and NEUTRAL in html
    assert "Niet beantwoord: deze vraag is al beantwoord in vraag 1." in html
    assert 'href="#vraag-1"' in html
    assert "Leverancier X" not in html and ASKED not in html
    # Every supplier taking part reads it; the asker hears the reason for its question.
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"verkoop@leverancier-x.nl", "verkoop@leverancier-y.nl"}
    assert "deze vraag is al beantwoord in vraag 1" in by_address["verkoop@leverancier-y.nl"].body
    assert "Leverancier X" not in by_address["verkoop@leverancier-y.nl"].body
    assert "als vraag 2" in by_address["verkoop@leverancier-x.nl"].body


def test_outside_the_subject_is_published_but_names_nobody(question, project_team_user):
    with pytest.raises(ValidationError) as exc:
        services.clarification_reject(
            actor=project_team_user, question=question, reason="out_of_scope", public_question=ASKED
        )
    assert "de naam ‘Leverancier X B.V.’" in exc.value.message_dict["public_question"][0]
    assert_unchanged(question)
    services.clarification_reject(
        actor=project_team_user, question=question, reason="out_of_scope", public_question=NEUTRAL
    )
    html = Client().get(PUBLIC_URL).content.decode()
    assert "Vraag 1" in html and NEUTRAL in html and OUTSIDE in html


@pytest.mark.parametrize("reason", ["asker_only", "duplicate"])
def test_a_reason_about_the_asker_only_is_not_published(question, project_team_user, reason):
    rejected = services.clarification_reject(
        actor=project_team_user, question=question, reason=reason, public_question=NEUTRAL
    )
    assert rejected.number is None and rejected.public_question == ""
    assert "Vraag 1" not in Client().get(PUBLIC_URL).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "Valt buiten de scope."}, "reason",
         "Kies waarom de vraag niet wordt beantwoord."),
        ({"reason": "already_answered", "public_question": NEUTRAL}, "answered_in",
         "Kies de gepubliceerde vraag waarin het antwoord al staat."),
        ({"reason": "already_answered", "answered_in": 7, "public_question": NEUTRAL},
         "answered_in", "Kies de gepubliceerde vraag waarin het antwoord al staat."),
    ],
)  # fmt: skip
def test_a_rejection_needs_a_fixed_reason_and_its_reference(
    question, project_team_user, data, field, message
):
    with pytest.raises(ValidationError) as exc:
        services.clarification_reject(actor=project_team_user, question=question, **data)
    assert exc.value.message_dict[field] == [message]
    assert_unchanged(question)


def test_the_reject_page_offers_the_fixed_reasons(personas, question):
    client = personas["project_team"].client()
    html = client.get(answer_url(question)).content.decode()
    for label in (
        "Buiten het onderwerp van de marktconsultatie",
        "Al beantwoord in een andere vraag",
        "Gaat alleen over commerciële gegevens van de vragende leverancier",
        "Dezelfde vraag is al eerder gesteld",
    ):
        assert label in html
    refused = client.post(
        reject_url(question), {"reject-reason": "out_of_scope", "reject-public_question": ASKED}
    )
    assert refused.status_code == 422
    assert 'id="id_reject-public_question-error"' in refused.content.decode()
    done = client.post(
        reject_url(question), {"reject-reason": "out_of_scope", "reject-public_question": NEUTRAL}
    )
    assert done.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.number, question.rejection_reason) == (
        ClarificationQuestion.Status.REJECTED,
        1,
        "out_of_scope",
    )


def test_a_person_of_two_suppliers_gets_one_mail(
    personas,
    consultation,
    question,
    project_team_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    other = OrganisationFactory(name="Zwaluw ICT B.V.", kind=Organisation.Kind.SUPPLIER)
    asker = MembershipFactory(
        organisation=other, role=Role.EDITOR, user=UserFactory(email="vragen@zwaluw.nl")
    ).user
    both = UserFactory(email="beide@zwaluw.nl")
    MembershipFactory(organisation=other, role=Role.VIEWER, user=both)
    MembershipFactory(organisation=personas["supplier_y"].organisation, role=Role.VIEWER, user=both)
    response_get_or_create(actor=personas["supplier_y"].user, consultation=consultation)
    services.clarification_ask(actor=asker, consultation=consultation, text="Vraag van Zwaluw?")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_publish(
            actor=project_team_user, question=question, public_question=NEUTRAL, answer="Ja."
        )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "beide@zwaluw.nl", "verkoop@leverancier-x.nl", "verkoop@leverancier-y.nl",
        "vragen@zwaluw.nl",
    ]  # fmt: skip
