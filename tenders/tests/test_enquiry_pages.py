# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The pages of the nota van inlichtingen: a supplier asks on the published tender and follows
its own questions (never another's); the project team answers, merges and publishes a round
with four eyes. Bad input changes nothing and is told next to the field."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from portal.models import Role
from tenders.models import Enquiry, EnquiryRound, Tender, TenderDocument
from tenders.selectors.enquiry_pages import enquiry_reference
from tenders.services.enquiries import enquiry_answer, enquiry_ask
from tenders.tests.change_helpers import second_member
from tenders.tests.documents_helpers import AMSTERDAM
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTION = "Leverancier X B.V. vraagt: mogen de laptops ook met 8 GB geheugen worden geleverd?"
PUBLIC = "Mogen de laptops ook met 8 GB geheugen worden geleverd?"
ANSWER = "Nee, het minimum is 16 GB (eis 3.2)."
TEAM = "/programmas/gt-agg/aanbesteding/vragen"


@pytest.fixture
def tender(setup, personas) -> Tender:
    return published_tender(setup, personas)


def ask_url(tender) -> str:
    return reverse("tenders:enquiry-ask", args=[tender.reference])


def ask(personas, tender, persona="supplier_x", question=QUESTION, **extra) -> Enquiry:
    return enquiry_ask(
        actor=personas[persona].user,
        organisation=personas[persona].organisation,
        tender=tender,
        question=question,
        **extra,
    )


def text(response) -> str:
    return response.content.decode()


# --- The supplier -----------------------------------------------------------------------------


def test_a_supplier_asks_and_gets_a_receipt(tender, personas):
    client = personas["supplier_x"].client()
    page = client.get(ask_url(tender))
    assert page.status_code == 200
    html = text(page)
    assert "22 maart 2027, 17:00" in html  # the deadline for questions, in Dutch
    assert 'name="lot_number"' in html and "Perceel 2" in html and "Algemeen" in html
    assert 'data-character-count="2000"' in html

    response = client.post(
        ask_url(tender),
        {"lot_number": "2", "section": "Aanbestedingsleidraad 3.2", "question": QUESTION},
        follow=True,
    )
    enquiry = Enquiry.objects.get()
    assert (enquiry.lot_number, enquiry.section, enquiry.question) == (
        2,
        "Aanbestedingsleidraad 3.2",
        QUESTION,
    )
    assert enquiry.organisation == personas["supplier_x"].organisation
    html = text(response)
    reference = enquiry_reference(enquiry)
    assert "Uw vraag is ontvangen op" in html and f"kenmerk {reference}" in html
    assert f'data-reference="{reference}"' in html and "Ingediend" in html


def test_bad_input_changes_nothing_and_keeps_what_was_typed(tender, personas):
    client = personas["supplier_x"].client()
    response = client.post(
        ask_url(tender), {"lot_number": "9", "section": "Bijlage 4", "question": "  "}
    )
    assert response.status_code == 422
    html = text(response)
    assert "<title>Fout: " in html
    assert 'href="#id_question"' in html and "Vul uw vraag in." in html
    assert 'href="#id_lot_number"' in html
    assert 'value="Bijlage 4"' in html

    long = "x" * 2001
    response = client.post(ask_url(tender), {"lot_number": "", "question": long})
    assert response.status_code == 422
    assert "maximaal 2000 tekens" in text(response) and long in text(response)
    assert not Enquiry.objects.exists()


def test_after_the_deadline_the_form_gives_way_to_a_notice(tender, personas):
    Tender.objects.filter(pk=tender.pk).update(
        question_deadline_at=datetime(2026, 1, 5, 17, tzinfo=AMSTERDAM)
    )
    client = personas["supplier_x"].client()
    html = text(client.get(ask_url(tender)))
    assert 'data-testid="asking-closed"' in html and 'name="question"' not in html
    assert "5 januari 2026, 17:00" in html

    response = client.post(ask_url(tender), {"lot_number": "", "question": "Te laat?"})
    assert response.status_code == 422
    assert "De uiterste datum voor vragen is verstreken" in text(response)
    assert "Te laat?" in text(response)  # nothing typed is lost
    assert not Enquiry.objects.exists()

    public = text(personas["supplier_x"].client().get(f"/aanbestedingen/{tender.reference}"))
    assert 'data-testid="ask-question"' not in public


def test_another_supplier_never_sees_the_question(tender, personas):
    ask(personas, tender)
    html = text(personas["supplier_y"].client().get(ask_url(tender)))
    assert "8 GB" not in html and "nog geen vragen over deze aanbesteding gesteld" in html
    assert "8 GB" in text(personas["supplier_x"].client().get(ask_url(tender)))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("editor_a", 403), ("joint_body", 403), ("project_team", 403)],
)
def test_only_members_of_a_supplier_ask(tender, personas, persona, status):
    client = personas[persona].client()
    assert client.get(ask_url(tender)).status_code == status
    assert client.post(ask_url(tender), {"question": "Mag dit?"}).status_code == status
    assert not Enquiry.objects.exists()


def test_a_draft_tender_takes_no_questions(setup, personas):
    tender = published_tender(setup, personas, status=Tender.Status.DRAFT)
    assert personas["supplier_x"].client().get(ask_url(tender)).status_code == 404


def test_a_member_of_two_suppliers_asks_for_the_one_they_work_for(tender, personas):
    user = personas["supplier_x"].user
    MembershipFactory(user=user, organisation=personas["supplier_y"].organisation, role=Role.EDITOR)
    client = personas["supplier_x"].client()
    client.post(
        reverse("portal:organisation-switch"),
        {"organisation": str(personas["supplier_y"].organisation.public_id)},
    )
    html = text(client.get(ask_url(tender)))
    assert "Leverancier Y" in html and "Kies die bij" in html
    client.post(ask_url(tender), {"lot_number": "", "question": "Voor Y?"})
    assert Enquiry.objects.get().organisation == personas["supplier_y"].organisation


def test_the_public_page_offers_to_ask_while_questions_are_taken(tender, personas):
    url = f"/aanbestedingen/{tender.reference}"
    anonymous = text(personas["anonymous"].client().get(url))
    assert "Log in als geregistreerde leverancier om een vraag te stellen" in anonymous
    assert f"?next=/aanbestedingen/{tender.reference}/vragen" in anonymous
    supplier = text(personas["supplier_x"].client().get(url))
    assert f'href="/aanbestedingen/{tender.reference}/vragen">Vraag stellen</a>' in supplier
    for persona in ("editor_a", "project_team"):
        html = text(personas[persona].client().get(url))
        assert 'data-testid="ask-question"' in html and "/vragen" not in html


# --- The project team -------------------------------------------------------------------------


def test_the_team_lists_open_questions_first_with_the_asker(tender, personas):
    team = personas["project_team"].user
    first = ask(personas, tender, question="Eerste vraag?")
    ask(personas, tender, persona="supplier_y", question="Tweede vraag?", lot_number=1)
    enquiry_answer(actor=team, enquiry=first, public_question="Eerste?", answer="Ja.")
    client = personas["project_team"].client()
    html = text(client.get(TEAM))
    assert html.index("Tweede vraag?") < html.index("Eerste vraag?")
    assert "Leverancier Y" in html and "Perceel 1" in html
    assert "1 vraag wacht op een antwoord." in html
    # The tender page links here with the count of open questions.
    detail = text(client.get("/programmas/gt-agg/aanbesteding"))
    assert f'href="{TEAM}"' in detail and "(1 open vraag)" in detail


@pytest.mark.parametrize("persona", ["anonymous", "editor_a", "supplier_x", "supplier_y"])
def test_the_team_pages_are_the_teams_only(tender, personas, persona):
    enquiry = ask(personas, tender)
    client = personas[persona].client()
    expected = 302 if persona == "anonymous" else 404
    assert client.get(TEAM).status_code == expected
    assert client.get(f"{TEAM}/{enquiry.public_id}/beantwoorden").status_code == expected
    assert client.post(f"{TEAM}/nota-van-inlichtingen").status_code == expected


def test_a_viewer_of_the_team_reads_but_does_not_answer(tender, personas):
    enquiry = ask(personas, tender)
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from conftest import TOTP_SECRET

    viewer = MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.VIEWER,
        user=UserFactory(email="kijker@vng.nl"),
    ).user
    TOTP.activate(viewer, TOTP_SECRET)

    client = Client()
    client.force_login(viewer)
    assert client.get(f"{TEAM}/{enquiry.public_id}/beantwoorden").status_code == 200
    response = client.post(
        f"{TEAM}/{enquiry.public_id}/beantwoorden",
        {"answer-public_question": PUBLIC, "answer-answer": ANSWER},
    )
    assert response.status_code == 403
    assert client.post(f"{TEAM}/nota-van-inlichtingen").status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_the_answer_form_starts_with_the_question_and_refuses_the_askers_name(tender, personas):
    enquiry = ask(personas, tender)
    client = personas["project_team"].client()
    url = f"{TEAM}/{enquiry.public_id}/beantwoorden"
    html = text(client.get(url))
    assert (
        "Leverancier X B.V. vraagt: mogen de laptops"
        in html.split('id="id_answer-public_question"')[1][:400]
    )

    response = client.post(url, {"answer-public_question": QUESTION, "answer-answer": ANSWER})
    assert response.status_code == 422
    assert "formuleer de vraag neutraal" in text(response)
    assert 'href="#id_answer-public_question"' in text(response)
    assert ANSWER in text(response)
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and enquiry.answer == ""

    response = client.post(url, {"answer-public_question": PUBLIC, "answer-answer": ""})
    assert response.status_code == 422 and "Vul het antwoord in." in text(response)

    response = client.post(url, {"answer-public_question": PUBLIC, "answer-answer": ANSWER})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.public_question, enquiry.answer) == ("answered", PUBLIC, ANSWER)


def test_the_answer_records_the_document_it_changes_and_keeps_it_on_the_next_save(tender, personas):
    leidraad, _ = TenderDocument.objects.get_or_create(tender=tender, kind="leidraad")
    notices, _ = TenderDocument.objects.get_or_create(tender=tender, kind="nvi")
    enquiry = ask(personas, tender)
    client = personas["project_team"].client()
    url = f"{TEAM}/{enquiry.public_id}/beantwoorden"
    html = text(client.get(url))
    assert f'value="{leidraad.public_id}"' in html
    assert f'value="{notices.public_id}"' not in html  # a notice is not changed by an answer

    data = {"answer-public_question": PUBLIC, "answer-answer": ANSWER}
    response = client.post(url, {**data, "answer-changes_document": str(notices.public_id)})
    assert response.status_code == 422 and "Kies een van de documenten" in text(response)
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and enquiry.changes_document is None

    response = client.post(url, {**data, "answer-changes_document": str(leidraad.public_id)})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.changes_document == leidraad
    # The form shows the recorded document, so saving the answer again keeps it.
    html = text(client.get(url))
    assert f'value="{leidraad.public_id}" selected' in html


def test_a_duplicate_is_merged(tender, personas):
    enquiry = ask(personas, tender)
    duplicate = ask(personas, tender, persona="supplier_y", question="Is 8 GB genoeg?")
    client = personas["project_team"].client()
    url = f"{TEAM}/{duplicate.public_id}/samenvoegen"
    response = client.post(url, {"merge-merged_into": ""})
    assert response.status_code == 422 and "Kies de vraag" in text(response)
    response = client.post(url, {"merge-merged_into": str(duplicate.public_id)})
    assert response.status_code == 422  # not itself
    duplicate.refresh_from_db()
    assert duplicate.status == "open"

    response = client.post(url, {"merge-merged_into": str(enquiry.public_id)})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == enquiry
    html = text(personas["supplier_y"].client().get(ask_url(tender)))
    assert "Samengevoegd" in html


def test_a_round_is_published_with_four_eyes(tender, personas, mailoutbox):
    team = personas["project_team"].user
    enquiry = ask(personas, tender, lot_number=2)
    client = personas["project_team"].client()
    response = client.post(f"{TEAM}/nota-van-inlichtingen", follow=True)
    assert "Beantwoord minstens één vraag" in text(response)
    assert not EnquiryRound.objects.filter(status="pending").exists()

    enquiry_answer(actor=team, enquiry=enquiry, public_question=PUBLIC, answer=ANSWER)
    html = text(client.get(TEAM))
    assert "1 beantwoorde vraag gaat mee in de volgende nota van inlichtingen." in html
    assert PUBLIC in html.split('id="ready-caption"')[1]

    response = client.post(f"{TEAM}/nota-van-inlichtingen", follow=True)
    html = text(response)
    assert "Een tweede lid van het projectteam bevestigt" in html
    assert 'data-testid="pending-round"' in html
    assert "Bevestigen: nota van inlichtingen publiceren" not in html
    assert "een ander lid van het projectteam moet haar bevestigen" in html

    # The same member cannot confirm their own request.
    response = client.post(f"{TEAM}/nota-van-inlichtingen", {"decision": "confirm"}, follow=True)
    assert "Een tweede lid van het projectteam bevestigt de nota van inlichtingen" in text(response)
    round_ = EnquiryRound.objects.get()
    assert round_.status == "pending" and round_.number is None
    # The answer is not shown to the asker before publication.
    assert ANSWER not in text(personas["supplier_x"].client().get(ask_url(tender)))

    from django.test import Client

    second = Client()
    second.force_login(second_member(personas))
    html = text(second.get(TEAM))
    assert "Bevestigen: nota van inlichtingen publiceren" in html
    response = second.post(f"{TEAM}/nota-van-inlichtingen", {"decision": "confirm"}, follow=True)
    assert "Nota van inlichtingen 1 is gepubliceerd." in text(response)
    round_.refresh_from_db()
    assert round_.status == "published" and round_.number == 1

    html = text(personas["supplier_x"].client().get(ask_url(tender)))
    assert "gepubliceerd in nota van inlichtingen 1, vraag 1" in html
    assert f'href="/aanbestedingen/{tender.reference}#vraag-1"' in html
    public = text(personas["anonymous"].client().get(f"/aanbestedingen/{tender.reference}"))
    assert 'id="vraag-1"' in public and PUBLIC in public and "Leverancier X" not in public

    # A published answer is read-only.
    response = client.post(
        f"{TEAM}/{enquiry.public_id}/beantwoorden",
        {"answer-public_question": "Anders", "answer-answer": "Anders"},
    )
    assert response.status_code == 422
    enquiry.refresh_from_db()
    assert enquiry.public_question == PUBLIC


def test_the_pending_round_can_be_cancelled(tender, personas):
    team = personas["project_team"].user
    enquiry = ask(personas, tender)
    enquiry_answer(actor=team, enquiry=enquiry, public_question=PUBLIC, answer=ANSWER)
    client = personas["project_team"].client()
    client.post(f"{TEAM}/nota-van-inlichtingen")
    response = client.post(f"{TEAM}/nota-van-inlichtingen", {"decision": "cancel"}, follow=True)
    assert "is geannuleerd" in text(response)
    assert EnquiryRound.objects.get().status == "draft"
    # Nothing pending: deciding answers 404.
    assert client.post(f"{TEAM}/nota-van-inlichtingen", {"decision": "confirm"}).status_code == 404
