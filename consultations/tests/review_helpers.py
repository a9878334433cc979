"""What the review tests share: a published, open consultation with open-text,
choice, yes/no and number questions, supplier X's registration details, suppliers and their
responses, closing, and the query count of a page.

The test modules import the fixtures below as ``from ... import name as name``: pytest finds
a fixture by its name in the module, and the redundant alias marks the import as used."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Consultation, ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses
from portal.models import Organisation, Role
from suppliers.models import SupplierProfile
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

BASE = "/marktconsultaties/mc-review/beoordeling"
QUESTIONS = [
    {"type": "short_text", "text": "Naam van uw product?", "key": "naam"},
    {"type": "long_text", "text": "Wat is uw visie?", "key": "visie", "max_length": 2000},
    {
        "type": "single_choice",
        "text": "Wat is uw rol?",
        "key": "rol",
        "options": ["Fabrikant", "Reseller", "Refurbisher"],
    },
    {
        "type": "multiple_choice",
        "text": "Welke keurmerken?",
        "key": "keurmerk",
        "options": ["TCO", "EPEAT"],
        "required": False,
    },
    {"type": "yes_no", "text": "Levert u refurbished?", "key": "refurb"},
    {
        "type": "number",
        "text": "Levertijd?",
        "key": "levertijd",
        "unit": "dagen",
        "required": False,
    },
]
ANSWERS = {"naam": "Laptop 14", "visie": "Circulair werken.", "rol": "Reseller", "refurb": "ja"}


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-review", name="GT", contract_start_year=2028)
    actor = project_team_user
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-review",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in QUESTIONS:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


@pytest.fixture
def profile_x(supplier_x):
    return SupplierProfile.objects.create(
        organisation=supplier_x,
        kvk_number="12345678",
        street="Stationsplein",
        house_number="1",
        city="Utrecht",
        verification_status="verified",
    )


def respond(user, consultation, answers=None, submit=True) -> ConsultationResponse:
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers=answers or ANSWERS)
    if submit:
        responses.response_submit(actor=user, response=response)
    response.refresh_from_db()
    return response


def new_supplier(name: str):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER)
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(email=f"{organisation.slug}@example.nl"),
    ).user
    return organisation, user


def close(consultation, actor) -> Consultation:
    """Let the deadline pass, then close the consultation."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    return consultations.consultation_close(
        actor=actor, consultation=Consultation.objects.get(pk=consultation.pk)
    )


def answer_of(response, key):
    return response.answers.get(question_key=key)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)
