# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The draft tender: built on the frozen figures, award criteria that add up to 100,
requirements as data, and nothing changed in place once published."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tenders.models import AwardCriterion, Requirement, Tender
from tenders.services.tender import (
    CriterionData,
    RequirementData,
    award_criteria_set,
    requirements_set,
    tender_create,
)
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db


def test_the_tender_needs_the_frozen_figures(setup, personas):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)])
    run_now(setup["programme"])
    with pytest.raises(ValidationError) as excinfo:
        tender_create(actor=personas["project_team"].user, programme=setup["programme"])
    assert "Bevries eerst de vraag" in excinfo.value.messages[0]
    assert not Tender.objects.exists()


def test_the_lots_as_published_are_the_frozen_figures(setup, personas):
    snapshot = frozen(setup, personas)
    tender = tender_create(actor=personas["project_team"].user, programme=setup["programme"])
    assert tender.snapshot == snapshot and tender.is_draft
    published = {lot.number: lot for lot in tender.lots.all()}
    for term in snapshot.lot_totals.filter(year=0).select_related("lot"):
        lot = published[term.lot.number]
        assert (lot.quantity, lot.maximum_quantity) == (term.quantity, term.maximum_quantity)
        assert (lot.estimated_value, lot.maximum_value) == (
            term.estimated_value,
            term.maximum_value,
        )
    with pytest.raises(ValidationError):
        tender_create(actor=personas["project_team"].user, programme=setup["programme"])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ((60, 30), "De wegingen tellen op tot 90; ze moeten samen 100 zijn."),
        ((60, 50), "De wegingen tellen op tot 110; ze moeten samen 100 zijn."),
    ],
)
def test_award_criteria_must_add_up_to_100(setup, personas, weights, message):
    frozen(setup, personas)
    actor = personas["project_team"].user
    tender = tender_create(actor=actor, programme=setup["programme"])
    criteria = [
        CriterionData(kind="price", name="Prijs", weight=weights[0]),
        CriterionData(kind="quality", name="Kwaliteit", weight=weights[1]),
    ]
    with pytest.raises(ValidationError) as excinfo:
        award_criteria_set(actor=actor, tender=tender, criteria=criteria)
    assert message in excinfo.value.messages
    assert not AwardCriterion.objects.exists()
    criteria[1] = CriterionData(kind="quality", name="Kwaliteit", weight=100 - weights[0])
    award_criteria_set(actor=actor, tender=tender, criteria=criteria)
    assert sum(c.weight for c in tender.criteria.all()) == 100


def test_without_a_price_criterion_it_is_not_best_price_quality(setup, personas):
    frozen(setup, personas)
    actor = personas["project_team"].user
    tender = tender_create(actor=actor, programme=setup["programme"])
    with pytest.raises(ValidationError) as excinfo:
        award_criteria_set(
            actor=actor,
            tender=tender,
            criteria=[CriterionData(kind="quality", name="Kwaliteit", weight=100)],
        )
    assert "Voeg een prijscriterium toe" in excinfo.value.messages[0]


def test_requirements_are_data_and_nothing_changes_once_published(setup, personas):
    frozen(setup, personas)
    actor = personas["project_team"].user
    tender = tender_create(actor=actor, programme=setup["programme"])
    requirements_set(
        actor=actor,
        tender=tender,
        requirements=[
            RequirementData(kind="tco_certified", level="generatie 10", text="TCO Certified."),
            RequirementData(kind="sroi", amount=Decimal("5"), text="5 % SROI.", lots=(1,)),
        ],
    )
    sroi = Requirement.objects.get(kind="sroi")
    assert sroi.amount == Decimal("5") and [lot.number for lot in sroi.lots.all()] == [1]
    Tender.objects.filter(pk=tender.pk).update(status="published")
    tender.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        requirements_set(actor=actor, tender=tender, requirements=[])
    assert "wijzigingsbericht" in excinfo.value.messages[0]
    assert Requirement.objects.count() == 2
