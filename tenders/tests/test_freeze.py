# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The freeze binds: it waits for the demand deadline, shows what blocks it, names every
authority per lot and locks registrations and demand until the team lifts it with four eyes.
Each test is the scenario that went wrong before, with the Dutch message."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Category, ReferencePrice
from municipalities.models import Participation
from municipalities.services.demand import demand_return
from municipalities.services.participations import participation_update, participation_withdraw
from portal.models import Organisation, Role
from tenders.models import LotAuthority, Milestone
from tenders.selectors.freeze import freeze_check
from tenders.services.freeze import snapshot_freeze, unfreeze_decide, unfreeze_request
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def deadline_passed(programme, days=1):
    Milestone.objects.update_or_create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        defaults={"due_at": timezone.now() - timedelta(days=days)},
    )


def full_demand(setup):
    """Demand from every participant in both lots."""
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "phone", 2028, 20)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def second_team_member(personas):
    return MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user


def frozen(setup, personas):
    full_demand(setup)
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    return snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)


def test_freezing_before_the_demand_deadline_is_refused(setup, personas):
    full_demand(setup)
    Milestone.objects.update_or_create(
        programme=setup["programme"],
        kind=Milestone.Kind.DEMAND_DEADLINE,
        defaults={"due_at": timezone.now() + timedelta(days=3)},
    )
    snapshot = run_now(setup["programme"])
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    assert "De inventarisatie sluit op" in messages_of(excinfo)
    assert "kan pas daarna bevroren worden" in messages_of(excinfo)
    snapshot.refresh_from_db()
    setup["programme"].refresh_from_db()
    assert not snapshot.is_frozen and setup["programme"].frozen_at is None


def test_a_participant_extension_keeps_the_freeze_waiting(setup, personas):
    from municipalities.models import Demand

    full_demand(setup)
    deadline_passed(setup["programme"])
    Demand.objects.filter(participation=setup["p"]["b"]).update(
        deadline_extended_until=timezone.now() + timedelta(days=2)
    )
    snapshot = run_now(setup["programme"])
    check = freeze_check(snapshot=snapshot)
    assert not check.can_freeze
    assert any("De inventarisatie sluit op" in p for p in check.problems)


def test_a_lot_without_demand_blocks_the_freeze(setup, personas):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    assert "Perceel 2: Mobiel heeft geen vraag" in messages_of(excinfo)
    assert "maximum zou 0 zijn" in messages_of(excinfo)


def test_a_category_without_a_price_blocks_the_freeze_and_is_named(setup, personas):
    tablet = Category.objects.get(slug="tablet")
    setup["lots"][1].categories.add(tablet)
    ReferencePrice.objects.filter(category=tablet).delete()
    setup["cats"]["tablet"] = tablet
    full_demand(setup)
    deadline_passed(setup["programme"])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10), ("GM9102", "tablet", 2028, 5)], number=2)
    snapshot = run_now(setup["programme"])
    assert snapshot.unpriced_categories == [str(tablet)]
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    assert f"geen referentieprijs, dus hun waarde is onbekend: {tablet}" in messages_of(excinfo)


def test_an_approved_participant_without_demand_needs_a_decision(setup, personas, org_b):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "phone", 2028, 20)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    setup["p"]["b"].lots.set([setup["lots"][0]])
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    actor = personas["project_team"].user
    key = str(setup["p"]["b"].public_id)
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=actor, snapshot=snapshot)
    assert "Gemeente Bedum is een goedgekeurde deelnemer zonder ingediende vraag" in (
        messages_of(excinfo)
    )
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=actor, snapshot=snapshot, decisions={key: "exclude"})
    assert "Geef de reden om deelnemers buiten het raamwerk te laten." in messages_of(excinfo)
    # Named without demand: under the lot it registered interest in, with a warning.
    assert any(
        "zonder vraag genoemd" in w
        for w in freeze_check(snapshot=snapshot, decisions={key: "name"}).warnings
    )
    snapshot = snapshot_freeze(actor=actor, snapshot=snapshot, decisions={key: "name"})
    row = LotAuthority.objects.get(snapshot=snapshot, participation=setup["p"]["b"])
    assert (row.lot, row.has_demand, row.maximum_value) == (setup["lots"][0], False, 0)
    assert (row.kind, row.scheme, row.identifier) == ("municipality", "cbs", "GM9102")


def test_leaving_a_participant_out_is_recorded_with_the_reason(setup, personas):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "phone", 2028, 20)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    key = str(setup["p"]["b"].public_id)
    snapshot = snapshot_freeze(
        actor=personas["project_team"].user,
        snapshot=snapshot,
        decisions={key: "exclude"},
        exclusion_reason="Bedum koopt via het eigen contract tot 2030",
    )
    assert snapshot.excluded_participants == [
        {
            "participation": key,
            "name": "Gemeente Bedum",
            "reason": "Bedum koopt via het eigen contract tot 2030",
        }
    ]
    assert not LotAuthority.objects.filter(participation=setup["p"]["b"]).exists()


def test_a_calculation_older_than_the_demand_cannot_be_frozen(setup, personas):
    full_demand(setup)
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    submit(setup, "b", [("GM9102", "laptop", 2028, 12)], number=2)
    with pytest.raises(ValidationError) as excinfo:
        snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    assert "Voer de aggregatie opnieuw uit" in messages_of(excinfo)


def test_authorities_per_lot_name_the_joint_body_and_a_deelneming(setup, personas):
    from municipalities.models import Demand, DemandVersion, DemandVersionLine

    deelneming = OrganisationFactory(
        name="ICT Samenwerking Regio",
        slug="ict-regio",
        kind=Organisation.Kind.OTHER_AUTHORITY,
        oin="00000004123456789000",
    )
    own = Participation.objects.create(
        programme=setup["programme"],
        organisation=deelneming,
        own_staff=True,
        seat_municipality=setup["munis"]["GM9101"],
        status=Participation.Status.APPROVED,
    )
    full_demand(setup)
    demand = Demand.objects.create(participation=own, status=Demand.Status.SUBMITTED)
    version = DemandVersion.objects.create(demand=demand, number=1, snapshot={}, sha256="1" * 64)
    DemandVersionLine.objects.create(
        version=version,
        municipality=setup["munis"]["GM9101"],
        category=setup["cats"]["laptop"],
        year=2028,
        quantity=40,
    )
    deadline_passed(setup["programme"])
    snapshot = frozen_snapshot = snapshot_freeze(
        actor=personas["project_team"].user, snapshot=run_now(setup["programme"])
    )
    lot1, lot2 = setup["lots"]
    rows = {(r.lot_id, r.kind, r.name): r for r in LotAuthority.objects.filter(snapshot=snapshot)}
    assert set(rows) == {
        (lot1.pk, "municipality", "Aadorp"),
        (lot1.pk, "municipality", "Bedum"),
        (lot1.pk, "municipality", "Cadorp"),
        (lot1.pk, "joint_body", "Werkorganisatie Duo"),
        (lot1.pk, "other_authority", "ICT Samenwerking Regio"),
        (lot2.pk, "municipality", "Aadorp"),
    }
    body = rows[(lot1.pk, "joint_body", "Werkorganisatie Duo")]
    assert body.on_behalf_of == ["Cadorp"]
    assert body.estimated_value == Decimal("6000.00")  # 30 monitors × 200
    own_row = rows[(lot1.pk, "other_authority", "ICT Samenwerking Regio")]
    assert (own_row.scheme, own_row.identifier) == ("oin", "00000004123456789000")
    assert (own_row.estimated_value, own_row.maximum_value) == (
        Decimal("40000.00"),
        Decimal("50000.00"),
    )
    assert {a["name"] for a in frozen_snapshot.authorities} >= {
        "ICT Samenwerking Regio",
        "Werkorganisatie Duo",
        "Aadorp",
    }


def test_after_the_freeze_demand_registrations_and_withdrawals_are_refused(setup, personas):
    from municipalities.models import Demand
    from municipalities.selectors import demand_edit_check

    frozen(setup, personas)
    participation = setup["p"]["a"]
    participation.refresh_from_db()
    demand = Demand.objects.get(participation=participation)
    check = demand_edit_check(user=personas["editor_a"].user, demand=demand)
    assert not check.allowed
    assert "is bevroren op" in check.closed_reason
    # Submitting new demand, as the service is called by the page, the workbook and the API.
    from municipalities.services.demand import demand_submit

    with pytest.raises(ValidationError) as excinfo:
        demand_submit(actor=personas["editor_a"].user, demand=demand, revision=demand.revision)
    assert "is bevroren op" in messages_of(excinfo)
    assert demand.versions.count() == 1
    response = (
        personas["editor_a"]
        .client()
        .post(
            f"/api/v1/demands/{demand.public_id}/submit",
            {"revision": demand.revision},
            content_type="application/json",
        )
    )
    assert response.status_code == 409
    assert "is bevroren op" in response.json()["detail"]
    with pytest.raises(ValidationError) as excinfo:
        participation_withdraw(
            actor=personas["project_team"].user, participation=participation, reason="fusie"
        )
    assert "is bevroren op" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        demand_return(actor=personas["project_team"].user, demand=demand, comment="x")
    Participation.objects.filter(pk=participation.pk).update(status="returned")
    with pytest.raises(ValidationError) as excinfo:
        participation_update(
            actor=personas["editor_a"].user,
            participation=participation,
            municipalities=[],
            contacts={},
        )
    assert "is bevroren op" in messages_of(excinfo)


def test_unfreezing_needs_a_reason_and_a_second_team_member(setup, personas):
    snapshot = frozen(setup, personas)
    first = personas["project_team"].user
    with pytest.raises(ValidationError) as excinfo:
        unfreeze_request(actor=first, snapshot=snapshot, reason=" ")
    assert "Geef de reden om de bevriezing op te heffen." in messages_of(excinfo)
    asked = unfreeze_request(actor=first, snapshot=snapshot, reason="Vraag Bedum was fout")
    with pytest.raises(ValidationError) as excinfo:
        unfreeze_decide(actor=first, request=asked, confirm=True)
    assert "Een tweede lid van het projectteam bevestigt" in messages_of(excinfo)
    setup["programme"].refresh_from_db()
    assert setup["programme"].frozen_at is not None
    unfreeze_decide(actor=second_team_member(personas), request=asked, confirm=True)
    setup["programme"].refresh_from_db()
    snapshot.refresh_from_db()
    assert setup["programme"].frozen_at is None and not snapshot.is_frozen
    # Open again: the participant can withdraw.
    participation_withdraw(actor=personas["editor_a"].user, participation=setup["p"]["a"])


def test_no_unfreeze_after_publication(setup, personas):
    snapshot = frozen(setup, personas)
    setup["programme"].status = "published"
    setup["programme"].save()
    with pytest.raises(ValidationError) as excinfo:
        unfreeze_request(actor=personas["project_team"].user, snapshot=snapshot, reason="x")
    assert "kunnen niet meer worden ontdooid" in messages_of(excinfo)
