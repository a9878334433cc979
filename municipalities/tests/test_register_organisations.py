"""Every municipality of the register is an organisation from the start, in step with it."""

import pytest

from municipalities.models import Municipality
from municipalities.services import municipality_register_load
from portal.models import AuditEvent, Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db

HEADER = "cbs_code,name,province,population,note,valid_until,successor\n"


def test_every_municipality_of_the_register_is_an_organisation():
    existing = Organisation.objects.create(
        slug="gemeente-utrecht", name="Gemeente Utrecht", kind=Organisation.Kind.MUNICIPALITY
    )
    municipality_register_load()
    municipality_register_load()
    assert not Municipality.objects.filter(organisation__isnull=True).exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).count() == 342
    assert Municipality.objects.get(cbs_code="GM0344").organisation == existing
    zeist = Municipality.objects.get(cbs_code="GM0355").organisation
    assert (zeist.name, zeist.slug, zeist.is_active) == ("Gemeente Zeist", "gemeente-zeist", True)
    bergen = Organisation.objects.filter(municipality__name="Bergen")
    assert len({o.slug for o in bergen}) == 2


def _register(tmp_path, rows: str):
    path = tmp_path / "gemeenten.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_merger_closes_the_old_organisation_and_carries_its_people_over(tmp_path):
    before = _register(
        tmp_path,
        "GM9101,Oudorp,Utrecht,10,,,\nGM9102,Westdorp,Utrecht,10,,,\n",
    )
    municipality_register_load(path=before)
    old = Municipality.objects.get(cbs_code="GM9101").organisation
    buyer = User.objects.create_user("inkoper@oudorp.nl")
    Membership.objects.create(user=buyer, organisation=old, role=Role.ADMIN, is_signatory=True)
    after = _register(
        tmp_path,
        "GM9101,Oudorp,Utrecht,10,,2027-01-01,GM9103\n"
        "GM9102,Westdorp,Utrecht,10,,2027-01-01,GM9103\n"
        "GM9103,Nieuwstad,Utrecht,20,,,\n",
    )
    municipality_register_load(path=after)
    municipality_register_load(path=after)
    ended = Municipality.objects.get(cbs_code="GM9101")
    new = Municipality.objects.get(cbs_code="GM9103").organisation
    old.refresh_from_db()
    assert ended.successor.cbs_code == "GM9103"
    assert str(ended.valid_until) == "2027-01-01"
    assert (old.is_active, old.merged_into) == (False, new)
    carried = Membership.objects.get(user=buyer, organisation=new)
    assert (carried.role, carried.is_signatory) == (Role.ADMIN, False)
    assert AuditEvent.objects.filter(action="register.municipality_merged").count() == 2


def test_a_successor_missing_from_the_register_changes_nothing(tmp_path):
    bad = _register(tmp_path, "GM9101,Oudorp,Utrecht,10,,2027-01-01,GM9999\n")
    with pytest.raises(ValueError):
        municipality_register_load(path=bad)
    assert not Organisation.objects.exists()
