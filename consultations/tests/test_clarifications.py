"""Clarification questions of a market consultation: suppliers ask while it is open, the project
team answers and publishes to everyone under the next number (or declines), and nothing that is
published, shown to another supplier or mailed names the questioner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from consultations.models import ClarificationQuestion, Consultation
from consultations.services import clarifications as services
from consultations.services.responses import response_get_or_create
from portal.models import AuditEvent, Organisation, Role
from tenders.tests.conftest import open_consultation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "mc-vragen"
SUPPLIER_URL = f"/marktconsultaties/{SLUG}/vragen"
MANAGE_URL = f"/marktconsultaties/{SLUG}/vragen/beheer"
PUBLIC_URL = f"/marktconsultaties/{SLUG}"
CONSULTATION_MANAGE_URL = f"/marktconsultaties/{SLUG}/beheer"
RESPONSE_URL = f"/marktconsultaties/{SLUG}/antwoorden"

ASKER_NAME = "Xaveria Vraagsteller"
SECRET = "Kan Leverancier X B.V. haar Vraagmerk-laptops aanbieden?"
REPHRASED = "Mogen refurbished laptops van één merk worden aangeboden?"
ANSWER = "Ja, mits ze aan de eisen voldoen."
ASKER_ONLY_NL = (
    "Niet beantwoord: deze vraag gaat alleen over commerciële gegevens van de vragende leverancier."
)


def answer_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/beantwoorden"


def reject_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/afwijzen"


@pytest.fixture
def consultation(project_team_user):
    return open_consultation(
        project_team_user, slug=SLUG, programme_slug="gt-vragen", question_key="r"
    )


@pytest.fixture
def asker(personas):
    user = personas["supplier_x"].user
    user.name = ASKER_NAME
    user.save(update_fields=["name"])
    return user


def ask(user, consultation, text=SECRET) -> ClarificationQuestion:
    return services.clarification_ask(actor=user, consultation=consultation, text=text)


def supplier_viewer(organisation):
    return MembershipFactory(
        organisation=organisation, role=Role.VIEWER, user=UserFactory(email="kijker@x.nl")
    ).user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Asking -----------------------------------------------------------------------------------


def test_ask_creates_an_open_question_and_tells_the_team(
    personas, consultation, asker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(asker, consultation, text=f"  {SECRET}  ")
    assert question.status == "open"
    assert question.question == SECRET
    assert question.organisation == personas["supplier_x"].organisation
    assert question.asked_by == asker
    assert question.number is None and question.published_at is None
    event = AuditEvent.objects.get(action="clarification.asked")
    assert event.target_id == str(question.public_id)
    assert event.organisation == personas["supplier_x"].organisation
    assert [m.to for m in mailoutbox] == [["projectteam@vng.nl"]]
    assert "Leverancier X" not in mailoutbox[0].body


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_ask_needs_a_question_of_at_most_2000_characters(consultation, asker, text):
    with pytest.raises(ValidationError) as exc:
        ask(asker, consultation, text=text)
    assert "question" in exc.value.message_dict
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"closes_at": timezone.now() - timedelta(minutes=1)}, "closed"),
        ({"status": "closed"}, "closed"),
        ({"opens_at": timezone.now() + timedelta(days=2)}, "not_open"),
    ],
)
def test_ask_is_refused_outside_the_period(consultation, asker, change, code):
    values = {"opens_at": consultation.opens_at - timedelta(days=5), **change}
    Consultation.objects.filter(pk=consultation.pk).update(**values)
    with pytest.raises(ValidationError) as exc:
        ask(asker, consultation)
    assert exc.value.code == code
    page = client_for(asker).post(SUPPLIER_URL, {"question": "Nog een vraag?"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "portal-error-summary" in html and 'id="id_question-error"' in html
    assert "Nog een vraag?" in html  # kept, so the supplier does not lose it
    assert 'name="question"' not in client_for(asker).get(SUPPLIER_URL).content.decode()
    assert not ClarificationQuestion.objects.exists()


def test_a_viewer_of_the_supplier_reads_but_cannot_ask(personas, consultation):
    viewer = supplier_viewer(personas["supplier_x"].organisation)
    with pytest.raises(PermissionDenied):
        ask(viewer, consultation)
    client = client_for(viewer)
    page = client.get(SUPPLIER_URL)
    assert page.status_code == 200
    assert b'name="question"' not in page.content
    assert client.post(SUPPLIER_URL, {"question": "Mag ik?"}).status_code == 403
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "joint_body", "project_team"])
def test_only_suppliers_ask(personas, consultation, persona):
    with pytest.raises(PermissionDenied):
        ask(personas[persona].user, consultation)
    client = personas[persona].client()
    assert client.get(SUPPLIER_URL).status_code == 404
    assert client.post(SUPPLIER_URL, {"question": "Vraag?"}).status_code == 404
    assert not ClarificationQuestion.objects.exists()


def test_supplier_page_asks_and_lists_own_questions(personas, consultation, asker):
    client = client_for(asker)
    page = client.get(SUPPLIER_URL)
    assert page.status_code == 200
    assert b'id="id_question"' in page.content
    empty = client.post(SUPPLIER_URL, {"question": "  "})
    assert empty.status_code == 422
    assert b'id="id_question-error"' in empty.content
    assert client.post(SUPPLIER_URL, {"question": SECRET}).status_code == 302
    page = client.get(SUPPLIER_URL)
    assert SECRET in page.content.decode()
    assert "Wacht op antwoord" in page.content.decode()
    assert ClarificationQuestion.objects.get().organisation == personas["supplier_x"].organisation


def test_the_answers_page_links_to_the_questions(consultation, asker):
    page = client_for(asker).get(RESPONSE_URL)
    assert page.status_code == 200
    assert f'href="{SUPPLIER_URL}"' in page.content.decode()


# --- Publishing and declining -----------------------------------------------------------------


def test_publish_numbers_in_order_of_publication(personas, consultation, asker, project_team_user):
    y = personas["supplier_y"].user
    first, second, third = (
        ask(asker, consultation),
        ask(y, consultation, "B?"),
        ask(y, consultation, "C?"),
    )
    services.clarification_publish(
        actor=project_team_user, question=second, public_question="B?", answer="Antwoord B"
    )
    services.clarification_publish(
        actor=project_team_user, question=first, public_question=REPHRASED, answer=ANSWER
    )
    services.clarification_reject(actor=project_team_user, question=third, reason="duplicate")
    for item in (first, second, third):
        item.refresh_from_db()
    assert (second.number, first.number, third.number) == (1, 2, None)
    assert second.public_question == "B?"
    assert first.public_question == REPHRASED and first.question == SECRET
    assert first.status == second.status == "published"
    assert first.answered_by == project_team_user and first.published_at is not None
    assert third.status == "rejected" and third.rejection_reason == "duplicate"
    assert third.answer == ""  # no private free-text answer
    assert AuditEvent.objects.filter(action="clarification.published").count() == 2
    assert AuditEvent.objects.get(action="clarification.rejected").data["reason"] == "duplicate"
    html = Client().get(PUBLIC_URL).content.decode()
    assert html.index("Vraag 1") < html.index("Vraag 2")
    assert "Antwoord B" in html and ANSWER in html and "C?" not in html


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"answer": " ", "public_question": REPHRASED}, "answer"),
        ({"answer": "x" * 10001, "public_question": REPHRASED}, "answer"),
        ({"answer": "Ja", "public_question": "x" * 2001}, "public_question"),
        ({"answer": "Ja", "public_question": " "}, "public_question"),
    ],
)
def test_publish_validates_and_changes_nothing(
    consultation, asker, project_team_user, kwargs, field
):
    question = ask(asker, consultation)
    with pytest.raises(ValidationError) as exc:
        services.clarification_publish(actor=project_team_user, question=question, **kwargs)
    assert field in exc.value.message_dict
    question.refresh_from_db()
    assert question.status == "open" and question.number is None and question.answer == ""


def test_a_dealt_with_question_is_final(consultation, asker, project_team_user):
    published, rejected = ask(asker, consultation), ask(asker, consultation, "Nog een?")
    services.clarification_publish(
        actor=project_team_user, question=published, public_question=REPHRASED, answer=ANSWER
    )
    services.clarification_reject(actor=project_team_user, question=rejected, reason="duplicate")
    for question in (published, rejected):
        with pytest.raises(ValidationError) as exc:
            services.clarification_publish(
                actor=project_team_user, question=question, public_question="A?", answer="Anders"
            )
        assert exc.value.code == "final"
        with pytest.raises(ValidationError):
            services.clarification_reject(
                actor=project_team_user, question=question, reason="asker_only"
            )
    published.refresh_from_db()
    rejected.refresh_from_db()
    assert (published.answer, published.number) == (ANSWER, 1)
    assert (rejected.rejection_reason, rejected.status) == ("duplicate", "rejected")


def test_reject_needs_a_reason(consultation, asker, project_team_user):
    question = ask(asker, consultation)
    with pytest.raises(ValidationError) as exc:
        services.clarification_reject(actor=project_team_user, question=question, reason=" ")
    assert "reason" in exc.value.message_dict
    question.refresh_from_db()
    assert question.status == "open"


def test_only_project_team_editors_answer(personas, consultation, asker, project_team_viewer):
    question = ask(asker, consultation)
    for actor in (project_team_viewer, asker, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.clarification_publish(
                actor=actor, question=question, public_question=REPHRASED, answer=ANSWER
            )
        with pytest.raises(PermissionDenied):
            services.clarification_reject(actor=actor, question=question, reason="duplicate")
    client = client_for(project_team_viewer)
    assert client.get(MANAGE_URL).status_code == 200  # reads the list
    assert client.get(answer_url(question)).status_code == 403
    assert client.post(answer_url(question), {"publish-answer": "Ja"}).status_code == 403
    assert client.post(reject_url(question), {"reject-reason": "duplicate"}).status_code == 403
    question.refresh_from_db()
    assert question.status == "open"


def test_project_team_answers_on_its_pages(personas, consultation, asker):
    question = ask(asker, consultation)
    client = personas["project_team"].client()
    listing = client.get(MANAGE_URL).content.decode()
    assert "Leverancier X B.V." in listing and ASKER_NAME in listing and SECRET in listing
    assert answer_url(question) in listing
    form = client.get(answer_url(question))
    assert form.status_code == 200
    assert 'id="id_publish-public_question"' in form.content.decode()
    assert 'id="id_reject-reason_0"' in form.content.decode()
    # The public wording starts neutral: never the asker's name in it.
    textarea = (
        form.content.decode().split('id="id_publish-public_question"')[1].split("</textarea>")[0]
    )
    assert "Leverancier X" not in textarea and "[verwijderd]" in textarea
    assert "Vraagmerk-laptops" in textarea  # what the check cannot know stays for the team
    invalid = client.post(answer_url(question), {"publish-public_question": REPHRASED})
    assert invalid.status_code == 422
    assert b'id="id_publish-answer-error"' in invalid.content
    assert b"Fout: " in invalid.content
    question.refresh_from_db()
    assert question.status == "open"
    done = client.post(
        answer_url(question), {"publish-public_question": REPHRASED, "publish-answer": ANSWER}
    )
    assert done.status_code == 302 and done["Location"] == MANAGE_URL
    question.refresh_from_db()
    assert (question.status, question.number, question.public_question) == (
        "published",
        1,
        REPHRASED,
    )
    # Publishing again is refused and changes nothing; the page is read-only now.
    again = client.post(
        answer_url(question), {"publish-public_question": "Anders", "publish-answer": "Anders"}
    )
    assert again.status_code == 302
    question.refresh_from_db()
    assert question.answer == ANSWER
    page = client.get(answer_url(question)).content.decode()
    assert 'id="id_publish-answer"' not in page and ANSWER in page


def test_project_team_declines_on_the_answer_page(personas, consultation, asker):
    question = ask(asker, consultation)
    client = personas["project_team"].client()
    invalid = client.post(reject_url(question), {"reject-reason": ""})
    assert invalid.status_code == 422
    assert b'id="id_reject-reason-error"' in invalid.content
    assert "Kies waarom de vraag niet wordt beantwoord." in invalid.content.decode()
    free_text = client.post(reject_url(question), {"reject-reason": "Valt erbuiten."})
    assert free_text.status_code == 422  # a fixed reason, never free text
    assert client.get(reject_url(question)).status_code == 405
    done = client.post(reject_url(question), {"reject-reason": "asker_only"})
    assert done.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.number) == ("rejected", None)
    # A reason about the asker only: the questioner reads it; nobody else does.
    own = client_for(asker).get(SUPPLIER_URL).content.decode()
    assert ASKER_ONLY_NL in own and "Niet beantwoord" in own
    for html in (
        personas["supplier_y"].client().get(SUPPLIER_URL).content.decode(),
        Client().get(PUBLIC_URL).content.decode(),
    ):
        assert ASKER_ONLY_NL not in html and SECRET not in html


def test_the_consultation_page_counts_the_questions(
    personas, consultation, asker, project_team_user
):
    first, _second = ask(asker, consultation), ask(asker, consultation, "Twee?")
    services.clarification_publish(
        actor=project_team_user, question=first, public_question=REPHRASED, answer=ANSWER
    )
    html = personas["project_team"].client().get(CONSULTATION_MANAGE_URL).content.decode()
    assert "1 vraag wacht op antwoord." in html
    assert "1 antwoord is gepubliceerd." in html
    assert f'href="{MANAGE_URL}"' in html


# --- Nobody else learns who asked -------------------------------------------------------------


def _identifying(personas, asker) -> list[str]:
    return ["Leverancier X", "leverancier-x", asker.email, ASKER_NAME, "Vraagmerk"]


def test_supplier_y_never_sees_x_questions_nor_who_asked(
    personas, consultation, asker, project_team_user
):
    published = ask(asker, consultation)
    unpublished = ask(asker, consultation, "Geheime tweede vraag van X?")
    services.clarification_publish(
        actor=project_team_user, question=published, public_question=REPHRASED, answer=ANSWER
    )
    y = personas["supplier_y"].client()
    pages = {
        "supplier page of Y": y.get(SUPPLIER_URL),
        "public page as Y": y.get(PUBLIC_URL),
        "public page anonymously": Client().get(PUBLIC_URL),
        "public page as municipality": personas["editor_a"].client().get(PUBLIC_URL),
    }
    for name, page in pages.items():
        html = page.content.decode()
        assert page.status_code == 200, name
        assert REPHRASED in html and ANSWER in html, name
        assert "Vraag 1" in html, name
        assert "Geheime tweede vraag" not in html, name
        for text in _identifying(personas, asker):
            assert text not in html, (name, text)
    # Y cannot reach X's questions on the project team's pages either.
    for question in (published, unpublished):
        assert y.get(answer_url(question)).status_code == 404
        assert y.post(reject_url(question), {"reject-reason": "x"}).status_code == 404
    assert y.get(MANAGE_URL).status_code == 404
    # X reaches neither: it follows its questions on its own page.
    x = client_for(asker)
    assert x.get(answer_url(unpublished)).status_code == 404
    own = x.get(SUPPLIER_URL).content.decode()
    assert SECRET in own and "Geheime tweede vraag van X?" in own
    assert "Gepubliceerd als vraag 1" in own


def test_publication_mails_everyone_taking_part_without_the_questioner(
    personas, consultation, asker, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    supplier_z = OrganisationFactory(
        name="Leverancier Z", slug="leverancier-z", kind=Organisation.Kind.SUPPLIER
    )
    z_user = MembershipFactory(
        organisation=supplier_z, role=Role.EDITOR, user=UserFactory(email="z@z.nl")
    ).user
    outsider = OrganisationFactory(
        name="Leverancier W", slug="leverancier-w", kind=Organisation.Kind.SUPPLIER
    )
    MembershipFactory(organisation=outsider, role=Role.ADMIN, user=UserFactory(email="w@w.nl"))
    x_viewer = supplier_viewer(personas["supplier_x"].organisation)
    response_get_or_create(actor=personas["supplier_y"].user, consultation=consultation)
    question = ask(asker, consultation)
    ask(z_user, consultation, "Vraag van Z?")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_publish(
            actor=project_team_user,
            question=question,
            public_question=REPHRASED,
            answer=ANSWER,
            base_url="https://portaal.example/",
        )
    by_address = {m.to[0]: m for m in mailoutbox}
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert set(by_address) == {"verkoop@leverancier-y.nl", "z@z.nl", asker.email, x_viewer.email}
    for address in ("verkoop@leverancier-y.nl", "z@z.nl"):
        mail = by_address[address]
        assert "Nieuw antwoord" in mail.subject
        assert REPHRASED in mail.body and ANSWER in mail.body and "vraag 1" in mail.body
        assert f"https://portaal.example{PUBLIC_URL}#vragen-en-antwoorden" in mail.body
        for text in _identifying(personas, asker):
            assert text not in mail.body and text not in mail.subject, (address, text)
    for address in (asker.email, x_viewer.email):
        mail = by_address[address]
        assert "is beantwoord" in mail.subject
        assert "vraag 1" in mail.body and ANSWER in mail.body
        assert f"https://portaal.example{SUPPLIER_URL}" in mail.body


def test_declining_mails_the_questioner_only(
    personas, consultation, asker, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    response_get_or_create(actor=personas["supplier_y"].user, consultation=consultation)
    question = ask(asker, consultation)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_reject(
            actor=project_team_user, question=question, reason="duplicate"
        )
    assert [m.to for m in mailoutbox] == [[asker.email]]
    assert "Niet beantwoord: dezelfde vraag is al eerder gesteld." in mailoutbox[0].body
    assert SECRET in mailoutbox[0].body
