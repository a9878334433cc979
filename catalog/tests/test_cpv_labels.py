# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""CPV codes carry the official Dutch text of CPV 2008 next to the English one: Dutch readers
see Dutch, English readers English."""

import pytest
from django.utils import translation

from catalog.models import CpvCode
from catalog.services import catalog_load_reference
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_code_gets_its_dutch_text():
    catalog_load_reference()
    labels = dict(CpvCode.objects.values_list("code", "label_nl"))
    assert all(labels.values()), [code for code, label in labels.items() if not label]
    assert labels["30213100-6"] == "Draagbare computers"
    assert labels["30213000-5"] == "Personal computers"
    assert labels["30213200-7"] == "Tablet-pc's"
    assert labels["32551300-3"] == "Telefoonhoofdsets"
    assert labels["72600000-6"] == "Diensten voor computerondersteuning en -advies"
    assert labels["32250000-0"] == "Mobiele telefoons"


def test_the_label_follows_the_language():
    catalog_load_reference()
    laptops = CpvCode.objects.get(code="30213100-6")
    with translation.override("nl"):
        assert laptops.label == "Draagbare computers"
    with translation.override("en"):
        assert laptops.label == "Portable computers"


def test_the_public_tender_page_names_the_cpv_codes_in_the_readers_language(setup, personas):
    tender = published_tender(setup, personas)
    tender.lots.get(number=1).lot.cpv_codes.add(CpvCode.objects.get(code="30213100-6"))
    client = personas["anonymous"].client()
    dutch = client.get("/aanbestedingen/VNG-GT-AGG").content.decode()
    assert "30213100-6 Draagbare computers" in dutch
    client.cookies["portal_language"] = "en"
    english = client.get("/aanbestedingen/VNG-GT-AGG").content.decode()
    assert "30213100-6 Portable computers" in english


def test_an_existing_install_gets_the_checked_dutch_labels():
    """The migration corrects the labels written from memory on an install loaded before."""
    from importlib import import_module

    from django.apps import apps

    catalog_load_reference()
    migration = import_module("catalog.migrations.0003_cpv_dutch_labels_checked")
    for code, (old, _new) in migration.LABELS.items():
        CpvCode.objects.filter(code=code).update(label_nl=old)
    migration.forwards(apps, None)
    labels = dict(CpvCode.objects.values_list("code", "label_nl"))
    assert labels["30231320-6"] == "Touchscreenmonitors"
    assert labels["72253200-5"] == "Systeemondersteuningsdiensten"
    assert labels["30213300-8"] == "Desktop computers"
