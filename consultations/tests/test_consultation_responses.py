"""The project team's list of suppliers' responses: who answered, in which version, and a
constant number of queries however many suppliers respond."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.services import consultation as consultations
from consultations.services import responses
from portal.models import Organisation, Role
from suppliers.models import SupplierProfile
from tenders.models import Programme
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-list", name="GT", contract_start_year=2028)
    now = timezone.now()
    item = consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-list",
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


def add_suppliers(consultation, start: int, n: int) -> None:
    for i in range(start, start + n):
        member = MembershipFactory(
            organisation__kind=Organisation.Kind.SUPPLIER,
            organisation__name=f"Leverancier {i:03d} B.V.",
            role=Role.EDITOR,
        )
        SupplierProfile.objects.create(
            organisation=member.organisation,
            kvk_number=f"{70000000 + i}",
            street="Straat",
            house_number="1",
            postcode="1234 AB",
            city="Utrecht",
            verification_status="verified",
        )
        response = responses.response_get_or_create(actor=member.user, consultation=consultation)
        if i % 2:
            responses.response_save(actor=member.user, response=response, answers={"q1": "yes"})
            responses.response_submit(actor=member.user, response=response)


def test_project_team_lists_every_response_with_status(personas, consultation):
    add_suppliers(consultation, 1, 3)
    page = personas["project_team"].client().get(f"/marktconsultaties/{consultation.slug}/reacties")
    html = page.content.decode()
    assert page.status_code == 200
    for i in (1, 2, 3):
        assert f"Leverancier {i:03d} B.V." in html
        assert f"{70000000 + i}" in html
    assert "3 leveranciers zijn aan een reactie begonnen; 2 ingediend." in html
    assert html.count("Ingediend") == 2


def test_response_list_query_count_is_constant(personas, consultation):
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/reacties"
    add_suppliers(consultation, 1, 2)
    client.get(url)  # warm the session and the translation catalogue
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_suppliers(consultation, 10, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_supplier_dashboard_lists_consultations_with_own_status(personas, consultation):
    client = personas["supplier_x"].client()
    html = client.get("/").content.decode()
    assert "Beantwoord de marktconsultatie ‘Marktconsultatie’" in html
    # A task list: each consultation with its status (Nog niet gestart, Bezig, Voltooid).
    assert ">Nog niet gestart</span>" in html
    response = responses.response_get_or_create(
        actor=personas["supplier_x"].user, consultation=consultation
    )
    assert ">Bezig</span>" in client.get("/").content.decode()
    responses.response_save(
        actor=personas["supplier_x"].user, response=response, answers={"q1": "yes"}
    )
    responses.response_submit(actor=personas["supplier_x"].user, response=response)
    assert ">Voltooid</span>" in client.get("/").content.decode()
    # Supplier Y's dashboard is not affected by X's response.
    assert ">Nog niet gestart</span>" in personas["supplier_y"].client().get("/").content.decode()
    # Municipalities are not invited to answer.
    assert (
        "Beantwoord de marktconsultatie"
        not in personas["editor_a"].client().get("/").content.decode()
    )


def test_supplier_dashboard_query_count_is_constant(personas, consultation, project_team_user):
    client = personas["supplier_x"].client()
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(5):
        now = timezone.now()
        extra = consultations.consultation_create(
            actor=project_team_user,
            programme=consultation.programme,
            title=f"Extra {n}",
            slug=f"mc-extra-{n}",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=3),
        )
        version = extra.versions.get()
        section = consultations.section_add(actor=project_team_user, version=version, title="A")
        consultations.question_add(
            actor=project_team_user, version=version, section=section, type="yes_no", text="Ja?"
        )
        consultations.questionnaire_publish(actor=project_team_user, version=version)
        consultations.consultation_publish(actor=project_team_user, consultation=extra)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()
    assert html.count("Beantwoord de marktconsultatie") == 6
    assert len(many) == len(few)


def test_response_list_is_paged_with_counts_over_all_pages(personas, consultation, monkeypatch):
    from consultations.views import consultation as views_consultation

    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/reacties"
    add_suppliers(consultation, 1, 5)
    monkeypatch.setattr(views_consultation, "RESPONSES_PAGE_SIZE", 2)
    first = client.get(url).content.decode()
    last = client.get(url + "?pagina=3").content.decode()
    assert "Leverancier 001 B.V." in first and "Leverancier 003 B.V." not in first
    assert "Pagina 1 van 3" in first and 'rel="next" href="?pagina=2"' in first
    assert "Leverancier 005 B.V." in last and "Leverancier 001 B.V." not in last
    for html in (first, last):  # counted over every page
        assert "5 leveranciers zijn aan een reactie begonnen; 3 ingediend." in html
