# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The supplier's path (issue 16, point 6): the public home page shows the open consultations
and published tenders; registration is offered only to whom it would not refuse; the answer
page shows the questionnaire's sections and an error summary naming each question; a submit
ends on a receipt with a reference and a confirmation mail; a new questionnaire version sends
suppliers with a response to the page that shows what changes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses
from portal.models import Membership, Role, User
from tenders.models import Programme, Tender
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

SLUG = "mc-pad"
ANSWERS = f"/marktconsultaties/{SLUG}/antwoorden"


def make_consultation(actor, *, slug=SLUG, title="Marktconsultatie werkplek", **times):
    programme, _ = Programme.objects.get_or_create(
        slug=f"gt-{slug}", defaults={"name": "GT Pad", "contract_start_year": 2028}
    )
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title=title,
        slug=slug,
        opens_at=times.get("opens_at", now - timedelta(days=1)),
        closes_at=times.get("closes_at", now + timedelta(days=30)),
    )
    version = item.versions.get()
    general = consultations.section_add(actor=actor, version=version, title="Algemeen")
    devices = consultations.section_add(actor=actor, version=version, title="Apparaten")
    for section, kwargs in [
        (general, {"type": "short_text", "text": "Naam van uw product", "key": "naam"}),
        (general, {"type": "yes_no", "text": "Levert u refurbished?", "key": "refurb"}),
        (devices, {"type": "number", "text": "Aantal laptops", "key": "laptops"}),
        (
            devices,
            {
                "type": "long_text",
                "text": "Toelichting",
                "key": "uitleg",
                "required": False,
                "max_length": 500,
            },
        ),
    ]:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


@pytest.fixture
def consultation(project_team_user):
    return make_consultation(project_team_user)


# --- The public home page ------------------------------------------------------------------


def test_the_home_page_lists_the_open_consultations(personas, consultation, project_team_user):
    now = timezone.now()
    make_consultation(
        project_team_user,
        slug="mc-dicht",
        title="Gesloten consultatie",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=1),
    )
    draft = consultations.consultation_create(
        actor=project_team_user,
        programme=consultation.programme,
        title="Conceptconsultatie",
        slug="mc-concept",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3),
    )
    html = personas["anonymous"].client().get("/").content.decode()
    section = html[html.index('id="open-consultations-title"') :]
    assert f'href="/marktconsultaties/{SLUG}"' in section
    assert "Marktconsultatie werkplek" in section
    assert "Gesloten consultatie" not in html and draft.title not in html


def test_the_home_page_says_when_no_consultation_is_open(personas):
    html = personas["anonymous"].client().get("/").content.decode()
    assert "Er is op dit moment geen marktconsultatie open." in html


def test_the_home_page_lists_the_published_tenders(setup, personas):
    tender = published_tender(setup, personas)
    client = personas["anonymous"].client()
    html = client.get("/").content.decode()
    section = html[html.index('id="published-tenders-title"') :]
    assert f'href="/aanbestedingen/{tender.reference}"' in section
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.DRAFT)
    html = client.get("/").content.decode()
    section = html[html.index('id="published-tenders-title"') :]
    assert f"/aanbestedingen/{tender.reference}" not in section


# --- Registration offered only where it is not refused ---------------------------------------


REGISTER = 'href="/leveranciers/registreren"'


@pytest.mark.parametrize("persona", ["admin_a", "project_team"])
def test_the_buying_side_is_not_offered_supplier_registration(personas, consultation, persona):
    html = personas[persona].client().get(f"/marktconsultaties/{SLUG}").content.decode()
    assert REGISTER not in html
    assert "Alleen leveranciers beantwoorden de vragenlijst" in html


def test_a_visitor_and_a_person_without_organisation_are_offered_registration(
    personas, consultation, client
):
    html = personas["anonymous"].client().get(f"/marktconsultaties/{SLUG}").content.decode()
    assert REGISTER in html
    assert f"/accounts/login/?next=/marktconsultaties/{SLUG}/antwoorden" in html
    loose = User.objects.create_user(email="los@example.nl", password="x")
    client.force_login(loose)
    assert REGISTER in client.get(f"/marktconsultaties/{SLUG}").content.decode()


def test_a_supplier_is_offered_the_questionnaire(personas, consultation):
    html = personas["supplier_x"].client().get(f"/marktconsultaties/{SLUG}").content.decode()
    assert REGISTER not in html and f'href="{ANSWERS}"' in html


# --- Sections and the named error summary ----------------------------------------------------


def test_the_answer_page_shows_the_sections_and_numbers_the_questions(personas, consultation):
    html = personas["supplier_x"].client().get(ANSWERS).content.decode()
    heading = r'<h2 class="utrecht-heading-2" id="questionnaire-section-[^"]+">([^<]+)<'
    headings = re.findall(heading, html)
    assert headings == ["Algemeen", "Apparaten"]
    assert html.index("Algemeen") < html.index("2. Levert u refurbished?")
    assert html.index("Apparaten") < html.index("3. Aantal laptops")


def test_the_public_questionnaire_numbers_its_questions_across_sections(personas, consultation):
    html = personas["anonymous"].client().get(f"/marktconsultaties/{SLUG}").content.decode()
    assert (
        html.index(">Algemeen</span>") < html.index('start="1"') < html.index("Naam van uw product")
    )
    assert html.index(">Apparaten</span>") < html.index('start="3"') < html.index("Aantal laptops")


def summary(html: str) -> list[tuple[str, str]]:
    start = html.index('data-testid="error-summary"')
    block = html[start : html.index("</ul>", start)]
    link = r'<a class="utrecht-link utrecht-link--html-a" href="#([^"]+)">([^<]+)</a>'
    return re.findall(link, block)


def test_the_error_summary_names_each_question_and_links_to_it(personas, consultation):
    client = personas["supplier_x"].client()
    page = client.post(ANSWERS, {"naam": "EcoBook", "laptops": "veel", "submit": "1"})
    assert page.status_code == 422
    assert summary(page.content.decode()) == [
        ("id_laptops", "Vraag 3 – Aantal laptops: vul een getal in, bijvoorbeeld 1250 of 12,5."),
    ]
    page = client.post(ANSWERS, {"naam": "EcoBook", "laptops": "", "submit": "1"})
    assert summary(page.content.decode()) == [
        ("id_refurb_0", "Vraag 2 – Levert u refurbished?: beantwoord deze vraag."),
        ("id_laptops", "Vraag 3 – Aantal laptops: beantwoord deze vraag."),
    ]
    # What was typed stays, and the inline message sits at its question.
    html = page.content.decode()
    assert 'value="EcoBook"' in html and 'id="id_laptops-error"' in html


# --- Receipt and confirmation mail -----------------------------------------------------------


def test_a_submit_ends_on_a_receipt_with_a_reference_and_a_mail(
    personas, consultation, mailoutbox, django_capture_on_commit_callbacks
):
    client = personas["supplier_x"].client()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            ANSWERS, {"naam": "EcoBook", "refurb": "yes", "laptops": "1.250", "submit": "1"}
        )
    response = ConsultationResponse.objects.get()
    reference = f"I-{response.public_id.hex[:8].upper()}-1"
    assert page.status_code == 302
    assert page["Location"] == f"{ANSWERS}/ontvangstbewijs/1"
    html = client.get(page["Location"]).content.decode()
    assert f'<strong data-testid="receipt-reference">{reference}</strong>' in html
    assert "verkoop@leverancier-x.nl" in html
    assert [m.to for m in mailoutbox] == [["verkoop@leverancier-x.nl"]]
    mail = mailoutbox[0]
    assert reference in mail.subject and reference in mail.body
    assert "GT-portaal" in mail.body
    # The answer page links the receipt of the last submission.
    assert (
        f'href="{ANSWERS}/ontvangstbewijs/1">{reference}</a>'
        in client.get(ANSWERS).content.decode()
    )
    assert "Marktconsultatie werkplek" in mail.body and "Leverancier X" in mail.body
    assert f"{ANSWERS}/ontvangstbewijs/1" in mail.body


def test_a_draft_save_sends_no_receipt_mail(
    personas, consultation, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = personas["supplier_x"].client().post(ANSWERS, {"naam": "EcoBook", "save": "1"})
    assert page.status_code == 302 and page["Location"] == ANSWERS
    assert mailoutbox == []


def test_a_receipt_is_only_for_the_suppliers_own_members(personas, consultation, client):
    user = personas["supplier_x"].user
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(
        actor=user, response=response, answers={"naam": "A", "refurb": "no", "laptops": "3"}
    )
    responses.response_submit(actor=user, response=response)
    url = f"{ANSWERS}/ontvangstbewijs/1"
    viewer = User.objects.create_user(email="kijker@leverancier-x.nl", password="x")
    Membership.objects.create(
        user=viewer, organisation=personas["supplier_x"].organisation, role=Role.VIEWER
    )
    assert personas["supplier_x"].client().get(url).status_code == 200
    client.force_login(viewer)  # every member of the company reads its receipt
    assert client.get(url).status_code == 200
    assert personas["supplier_y"].client().get(url).status_code == 404
    assert personas["project_team"].client().get(url).status_code == 404
    assert personas["supplier_x"].client().get(f"{ANSWERS}/ontvangstbewijs/2").status_code == 404


# --- A new questionnaire version -------------------------------------------------------------


def test_a_new_version_sends_suppliers_with_a_response_to_what_changes(
    personas, consultation, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    user = personas["supplier_x"].user
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers={"naam": "A"})
    version = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_add(
        actor=project_team_user,
        version=version,
        section=version.sections.first(),
        type="yes_no",
        text="Levert u ook tablets?",
        key="tablets",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        consultations.questionnaire_publish(actor=project_team_user, version=version)
    assert [m.to for m in mailoutbox] == [["verkoop@leverancier-x.nl"]]
    body = mailoutbox[0].body
    assert f"{ANSWERS}/nieuwe-versie" in body
    assert "nog bij de vorige versie" in body
    html = personas["supplier_x"].client().get(ANSWERS).content.decode()
    assert f'href="{ANSWERS}/nieuwe-versie"' in html
