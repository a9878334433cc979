import pytest

from catalog.models import Category, CpvCode
from catalog.services import catalog_load_reference
from municipalities.models import Municipality, Province
from municipalities.services import municipality_register_load

pytestmark = pytest.mark.django_db


def test_register_has_342_municipalities_in_12_provinces_and_is_idempotent():
    assert municipality_register_load() == 342
    assert municipality_register_load() == 342
    assert Municipality.objects.count() == 342
    assert set(Municipality.objects.values_list("province", flat=True)) == set(Province.values)
    amsterdam = Municipality.objects.get(cbs_code="GM0363")
    assert amsterdam.name == "Amsterdam"
    assert amsterdam.province == "Noord-Holland"
    assert Municipality.objects.get(cbs_code="GM0373").cbs_name == "Bergen (NH.)"
    assert Municipality.objects.get(cbs_code="GM1992").name == "Voorne aan Zee"
    total = sum(Municipality.objects.values_list("population", flat=True))
    assert total == 17_942_942


def test_bad_register_row_changes_nothing(tmp_path):
    bad = tmp_path / "gemeenten.csv"
    bad.write_text(
        "cbs_code,name,province,population,note\nGM0001,Goed,Utrecht,1,\nXX12,Fout,Utrecht,1,\n"
    )
    with pytest.raises(ValueError):
        municipality_register_load(path=bad)
    assert Municipality.objects.count() == 0


def test_catalog_categories_have_cpv_codes():
    result = catalog_load_reference()
    catalog_load_reference()
    assert result == {"cpv_codes": 32, "categories": 12}
    assert Category.objects.count() == 12
    assert CpvCode.objects.count() == 32
    laptop = Category.objects.get(slug="laptop")
    assert laptop.cpv_code.code == "30213100-6"
    slugs = set(Category.objects.values_list("slug", flat=True))
    assert {
        "laptop",
        "desktop",
        "tablet",
        "smartphone",
        "monitor",
        "docking-station",
        "headset",
        "keyboard-mouse",
        "delivery",
        "installation",
        "management",
        "take-back-data-erasure",
    } == slugs
    assert Category.objects.filter(kind=Category.Kind.SERVICE).count() == 4
