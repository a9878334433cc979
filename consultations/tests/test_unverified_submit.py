"""An unverified supplier prepares its answers but cannot submit them: the service refuses,
the page says why and what to do, the API answers 409 with the same reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses
from suppliers.models import SupplierProfile, Verification
from tenders.models import Programme

pytestmark = pytest.mark.django_db

MINE = "/api/v1/consultations/mc-id/my-response"


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-id", name="GT", contract_start_year=2028)
    now = timezone.now()
    item = consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-id",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=project_team_user, version=version, title="A")
    consultations.question_add(
        actor=project_team_user, version=version, section=section, type="yes_no", text="Ja?"
    )
    consultations.questionnaire_publish(actor=project_team_user, version=version)
    return consultations.consultation_publish(actor=project_team_user, consultation=item)


@pytest.fixture
def unverified_x(supplier_x):
    return SupplierProfile.objects.create(
        organisation=supplier_x,
        kvk_number="69599084",
        street="Straat",
        house_number="1",
        postcode="1234 AB",
        city="Utrecht",
    )


def test_an_unverified_supplier_saves_a_draft_but_cannot_submit(
    personas, consultation, unverified_x
):
    user = personas["supplier_x"].user
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers={"q1": "yes"})
    with pytest.raises(ValidationError) as exc:
        responses.response_submit(actor=user, response=response)
    assert exc.value.code == "supplier_unverified"
    response.refresh_from_db()
    assert response.status == ConsultationResponse.Status.DRAFT
    assert not response.submissions.exists()


def test_the_page_says_why_and_links_to_verification(personas, consultation, unverified_x):
    client = personas["supplier_x"].client()
    url = f"/marktconsultaties/{consultation.slug}/antwoorden"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200, html
    assert "/leveranciers/leverancier-x/verificatie" in html
    assert 'name="submit"' not in html
    # A submit sent anyway: refused with the reason, the draft is kept.
    page = client.post(url, {"q1": "yes", "submit": "1"})
    assert page.status_code == 422
    assert "niet geverifieerd" in page.content.decode()
    response = ConsultationResponse.objects.get()
    assert response.status == ConsultationResponse.Status.DRAFT
    assert response.answers.exists()


def test_the_api_refuses_with_a_clear_conflict(personas, consultation, unverified_x):
    client = personas["supplier_x"].client()
    put = client.put(MINE, {"answers": {"q1": True}}, content_type="application/json")
    assert put.status_code == 200, put.content
    answer = client.post(f"{MINE}/submit")
    assert answer.status_code == 409, answer.content
    assert "niet geverifieerd" in answer.json()["detail"]
    assert ConsultationResponse.objects.get().status == ConsultationResponse.Status.DRAFT


def test_a_verified_supplier_submits(personas, consultation, unverified_x):
    unverified_x.verification_status = Verification.VERIFIED
    unverified_x.save()
    user = personas["supplier_x"].user
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers={"q1": "yes"})
    assert responses.response_submit(actor=user, response=response).status == "submitted"
