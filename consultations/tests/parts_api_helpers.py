"""What the tests of the consultation API's follow-up parts share: a published, open
consultation (version 1 with a choice, an open text, a yes/no and a file question), media in a
temporary folder, problem responses and their ``invalidParams``, clients of a project-team
viewer and of other members, suppliers and their responses, closing, a reviewed world, a PDF
upload and query counts.

The test modules import the fixtures below as ``from ... import name as name``: pytest finds
a fixture by its name in the module, and the redundant alias marks the import as used."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Consultation, ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import Organisation, Role
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PROBLEM = "application/problem+json"
SLUG = "mc-parts"
API = f"/api/v1/consultations/{SLUG}"
ANSWERS = {"rol": "Reseller", "visie": "Wij werken circulair.", "refurb": "ja"}
EVERYONE_ELSE = ["admin_a", "editor_a", "viewer_a", "editor_b", "joint_body", "supplier_x"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def consultation(project_team_user):
    """Published and open; version 1 with a choice, an open text, a yes/no and a file
    question."""
    actor = project_team_user
    programme = Programme.objects.create(slug="gt-parts", name="GT", contract_start_year=2028)
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug=SLUG,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in [
        {"type": "single_choice", "text": "Wat is uw rol?", "key": "rol",
         "options": ["Fabrikant", "Reseller"]},
        {"type": "long_text", "text": "Uw visie?", "key": "visie", "max_length": 2000,
         "required": False},
        {"type": "yes_no", "text": "Refurbished?", "key": "refurb"},
        {"type": "file", "text": "Brochure?", "key": "brochure", "required": False},
    ]:  # fmt: skip
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


def problem(response, status) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def invalid(response) -> dict[str, str]:
    body = problem(response, 400)
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def member(organisation, role, email) -> Client:
    user = MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email)
    ).user
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team_viewer(project_team_viewer) -> Client:
    """A viewer of the project team: reads everything the team reads, changes nothing."""
    client = Client()
    client.force_login(project_team_viewer)
    return client


def new_supplier(name: str):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER)
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(email=f"{organisation.slug}@example.nl"),
    ).user
    return organisation, user


def respond(user, consultation, answers=None, submit=True) -> ConsultationResponse:
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers=answers or ANSWERS)
    if submit:
        responses.response_submit(actor=user, response=response)
    response.refresh_from_db()
    return response


def close(consultation, actor) -> Consultation:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    return consultations.consultation_close(
        actor=actor, consultation=Consultation.objects.get(pk=consultation.pk)
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.fixture
def reviewed_world(personas, consultation, project_team_user):
    """Closed, with supplier X's submitted response (an open answer) and Y's draft."""
    x = respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, {"rol": "Fabrikant"}, submit=False)
    item = close(consultation, project_team_user)
    return item, x


def pdf(name="brochure.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, "application/pdf")
