from decimal import Decimal

import pytest

from catalog.models import Category, CpvCode
from catalog.services import catalog_load_reference
from portal.models import AuditEvent
from tenders.models import Lot, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    catalog_load_reference()
    return Programme.objects.create(
        slug="gt-lots", name="GT Lots", status="joining", contract_start_year=2028
    )


def url(programme, number=None):
    base = f"/programmas/{programme.slug}/percelen"
    return base if number is None else f"{base}/{number}/wijzigen"


def data(**extra):
    laptop = Category.objects.get(slug="laptop")
    values = {
        "number": "1",
        "name": "Werkplek",
        "description": "",
        "categories": [laptop.pk],
        "cpv_codes": [CpvCode.objects.get(code="30213100-6").pk],
        "headroom_percent": "12,5",
    }
    values.update(extra)
    return values


def test_project_team_adds_and_changes_a_lot(personas, programme):
    client = personas["project_team"].client()
    assert client.post(url(programme), data()).status_code == 302
    lot = Lot.objects.get(programme=programme)
    assert lot.headroom_percent == Decimal("12.50")
    assert [c.slug for c in lot.categories.all()] == ["laptop"]
    assert [c.code for c in lot.cpv_codes.all()] == ["30213100-6"]
    desktop = Category.objects.get(slug="desktop")
    response = client.post(url(programme, 1), data(categories=[desktop.pk], name="PC's"))
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.name == "PC's" and [c.slug for c in lot.categories.all()] == ["desktop"]
    assert AuditEvent.objects.filter(action="lot.saved").count() == 2


def test_a_category_in_two_lots_is_refused(personas, programme):
    client = personas["project_team"].client()
    client.post(url(programme), data())
    response = client.post(url(programme), data(number="2", name="Nog eens laptops"))
    assert response.status_code == 422
    assert "categories" in response.context["form"].errors
    assert Lot.objects.count() == 1


def test_bad_input_changes_nothing(personas, programme):
    response = (
        personas["project_team"]
        .client()
        .post(url(programme), data(number="nul", headroom_percent="-3", categories=[]))
    )
    assert response.status_code == 422
    assert {"number", "headroom_percent", "categories"} <= set(response.context["form"].errors)
    assert not Lot.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "joint_body", "supplier_x"])
def test_outside_the_project_team_lots_do_not_exist(personas, programme, persona):
    client = personas[persona].client()
    assert client.get(url(programme)).status_code == 404
    assert client.post(url(programme), data()).status_code == 404
