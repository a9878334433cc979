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


def _programme(slug="gt-hardware"):
    from tenders.models import Programme

    return Programme.objects.create(
        slug=slug, name=slug, status=Programme.Status.JOINING, contract_start_year=2028
    )


def _participate(programme, municipality, status="approved"):
    from municipalities.models import CoveredMunicipality, Demand, Participation

    participation = Participation.objects.create(
        programme=programme, organisation=municipality.organisation, status=status
    )
    CoveredMunicipality.objects.create(
        participation=participation, municipality=municipality, programme=programme
    )
    Demand.objects.create(participation=participation)
    return participation


MERGED = (
    "GM9101,Oudorp,Utrecht,10,,2027-01-01,GM9103\n"
    "GM9102,Westdorp,Utrecht,10,,2027-01-01,GM9103\n"
    "GM9103,Nieuwstad,Utrecht,20,,,\n"
)


def test_the_successor_succeeds_to_the_participation_of_a_merged_municipality(tmp_path):
    """Wet arhi: the new municipality takes over the old one's rights and duties, so its
    registration, mandate and demand move to the successor, in the merger's transaction."""
    before = _register(
        tmp_path,
        "GM9101,Oudorp,Utrecht,10,,,\nGM9102,Westdorp,Utrecht,10,,,\nGM9103,Nieuwstad,Utrecht,,,,\n",
    )
    municipality_register_load(path=before)
    programme, other = _programme(), _programme("gt-print")
    oudorp = _participate(programme, Municipality.objects.get(cbs_code="GM9101"))
    westdorp = _participate(programme, Municipality.objects.get(cbs_code="GM9102"))
    in_other = _participate(other, Municipality.objects.get(cbs_code="GM9102"), "draft")
    old_westdorp = westdorp.organisation
    municipality_register_load(path=_register(tmp_path, MERGED))
    municipality_register_load(path=_register(tmp_path, MERGED))  # again: nothing more
    new = Municipality.objects.get(cbs_code="GM9103").organisation
    for participation in (oudorp, westdorp, in_other):
        participation.refresh_from_db()
    # The first of the two (by registration) moves; the successor cannot hold two in one
    # programme, so Westdorp's stays with the old authority and the audit trail says so.
    assert oudorp.organisation == new and in_other.organisation == new
    assert westdorp.organisation == old_westdorp
    assert oudorp.covered.get().municipality.cbs_code == "GM9101"  # what it covers stays
    assert oudorp.demand.participation.organisation == new
    moved = AuditEvent.objects.filter(action="register.participation_succeeded")
    assert moved.count() == 2
    assert AuditEvent.objects.filter(action="register.participation_kept").count() == 1
    assert _visible_to_a_member_of(new, programme)


def _visible_to_a_member_of(organisation, programme) -> bool:
    from municipalities.models import Participation

    member = User.objects.create_user("griffier@nieuwstad.nl")
    Membership.objects.create(user=member, organisation=organisation, role=Role.EDITOR)
    return Participation.objects.visible_to(member).filter(programme=programme).exists()


def test_an_install_merged_earlier_moves_the_participation_on_the_next_load(tmp_path):
    """A merger loaded before the successor took over participations: the next load moves it."""
    from municipalities.services.register import municipality_merge

    municipality_register_load(path=_register(tmp_path, MERGED.replace("2027-01-01,GM9103", ",")))
    programme = _programme()
    oudorp = _participate(programme, Municipality.objects.get(cbs_code="GM9101"))
    ended = Municipality.objects.get(cbs_code="GM9101")
    new = Municipality.objects.get(cbs_code="GM9103")
    # As the merger did before: closed and merged, the participation left behind.
    Municipality.objects.filter(pk=ended.pk).update(successor=new)
    Organisation.objects.filter(pk=oudorp.organisation_id).update(
        is_active=False, merged_into=new.organisation
    )
    ended.refresh_from_db()
    municipality_merge(ended=ended, successor=new)
    oudorp.refresh_from_db()
    assert oudorp.organisation == new.organisation
