from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Category, ReferencePrice
from catalog.services import catalog_load_reference
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("catalog:reference-prices")


@pytest.fixture(autouse=True)
def catalogue(db):
    catalog_load_reference()


def test_project_team_adds_a_price_in_dutch_notation(personas):
    laptop = Category.objects.get(slug="laptop")
    response = (
        personas["project_team"]
        .client()
        .post(
            URL,
            {
                "category": laptop.pk,
                "unit_price": "949,50",
                "valid_from": "01-01-2026",
                "source": "Marktconsultatie 2026",
            },
        )
    )
    assert response.status_code == 302
    price = ReferencePrice.objects.get()
    assert price.unit_price == Decimal("949.50")
    assert price.valid_from == date(2026, 1, 1)
    assert AuditEvent.objects.filter(action="reference_price.added").count() == 1
    page = personas["project_team"].client().get(URL)
    assert "949,50" in page.content.decode()


def test_newer_price_applies_and_the_old_one_is_kept(personas):
    laptop = Category.objects.get(slug="laptop")
    client = personas["project_team"].client()
    for price, day in (
        ("900,00", "01-01-2025"),
        ("950,00", "01-01-2026"),
        ("999,00", "01-01-2099"),
    ):
        client.post(
            URL, {"category": laptop.pk, "unit_price": price, "valid_from": day, "source": "test"}
        )
    categories = client.get(URL).context["categories"]
    current = next(c for c in categories if c.slug == "laptop").current_price
    assert current.unit_price == Decimal("950.00")
    assert ReferencePrice.objects.count() == 3


def test_bad_input_changes_nothing(personas):
    response = (
        personas["project_team"]
        .client()
        .post(URL, {"category": "", "unit_price": "-5", "valid_from": "morgen", "source": ""})
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {
        "category",
        "unit_price",
        "valid_from",
        "source",
    }
    assert not ReferencePrice.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "joint_body", "supplier_x"])
def test_outside_the_project_team_it_does_not_exist(personas, persona):
    assert personas[persona].client().get(URL).status_code == 404
