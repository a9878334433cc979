"""A participant's extra time ends where the tender needs its figures: no extension while the
demand is frozen, and none past the freeze, the planned publication or the contract start.
Each test is the scenario the project team could do before."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.services import catalog_load_reference
from municipalities.models import Demand, Participation
from municipalities.selectors.deadline import moment_text
from municipalities.services.demand import demand_extend_deadline, demand_for_participation
from portal.models import AuditEvent
from tenders.models import Milestone, Programme

pytestmark = pytest.mark.django_db
K = Milestone.Kind


@pytest.fixture
def demand(participation_a, programme):
    """A's demand; the programme: joining closes in 30 days, demand in 10, freeze in 90
    (the conftest), publication in 120, contract start in 200 days."""
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    now = timezone.now()
    for kind, days in (
        (K.DEMAND_DEADLINE, 10),
        (K.PLANNED_PUBLICATION, 120),
        (K.CONTRACT_START, 200),
    ):
        Milestone.objects.create(programme=programme, kind=kind, due_at=now + timedelta(days=days))
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


def extend_url(demand):
    return f"/inventarisatie/{demand.public_id}/verlengen"


def form_for(moment, reason="Herindeling gemeente."):
    local = timezone.localtime(moment)
    return {"date": f"{local:%d-%m-%Y}", "time": f"{local:%H:%M}", "reason": reason}


def due(kind):
    return Milestone.objects.get(kind=kind).due_at


def assert_not_extended(demand, mailoutbox):
    demand.refresh_from_db()
    assert demand.deadline_extended_until is None
    assert not AuditEvent.objects.filter(action="demand.deadline_extended").exists()
    assert mailoutbox == []


def test_extension_past_the_freeze_is_refused(personas, demand, mailoutbox):
    until = (due(K.FREEZE) + timedelta(days=1)).replace(second=0, microsecond=0)
    response = personas["project_team"].client().post(extend_url(demand), form_for(until))
    assert response.status_code == 422
    assert response.context["form"].errors["date"] == [
        f"De nieuwe uiterste datum, {moment_text(until)}, ligt na “Behoefte vastgezet” "
        f"op {moment_text(due(K.FREEZE))}. Kies een datum en tijd tot dan."
    ]
    assert_not_extended(demand, mailoutbox)


def test_extension_past_the_planned_publication_is_refused(personas, demand, mailoutbox):
    Milestone.objects.filter(kind=K.FREEZE).delete()  # no freeze date set yet
    until = (due(K.PLANNED_PUBLICATION) + timedelta(hours=1)).replace(second=0, microsecond=0)
    response = personas["project_team"].client().post(extend_url(demand), form_for(until))
    assert response.status_code == 422
    assert response.context["form"].errors["date"] == [
        f"De nieuwe uiterste datum, {moment_text(until)}, ligt na “Geplande publicatie” "
        f"op {moment_text(due(K.PLANNED_PUBLICATION))}. Kies een datum en tijd tot dan."
    ]
    assert_not_extended(demand, mailoutbox)


def test_extension_up_to_the_contract_start_is_refused(project_team_user, demand, mailoutbox):
    Milestone.objects.filter(kind__in=(K.FREEZE, K.PLANNED_PUBLICATION)).delete()
    start = due(K.CONTRACT_START)
    with pytest.raises(ValidationError) as caught:
        demand_extend_deadline(
            actor=project_team_user, demand=demand, until=start, reason="Herindeling."
        )
    assert caught.value.message_dict["date"] == [
        f"De nieuwe uiterste datum, {moment_text(start)}, moet eerder zijn dan "
        f"“Raamovereenkomsten gaan in” op {moment_text(start)}."
    ]
    assert_not_extended(demand, mailoutbox)


def test_extension_up_to_the_freeze_is_accepted(personas, demand):
    until = due(K.FREEZE).replace(second=0, microsecond=0)
    Milestone.objects.filter(kind=K.FREEZE).update(due_at=until)
    response = personas["project_team"].client().post(extend_url(demand), form_for(until))
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.deadline_extended_until == until


# --- The freeze ------------------------------------------------------------------------------


@pytest.fixture
def frozen(demand, programme):
    Programme.objects.filter(pk=programme.pk).update(frozen_at=timezone.now())
    programme.refresh_from_db()
    return programme


def frozen_message(programme):
    return (
        f"De inventarisatie is bevroren op {moment_text(programme.frozen_at)}; een deelnemer kan "
        "geen extra tijd meer krijgen. Hef eerst de bevriezing op als de cijfers toch moeten "
        "veranderen."
    )


def test_after_the_freeze_the_extension_page_says_why_instead_of_the_form(personas, demand, frozen):
    response = personas["project_team"].client().get(extend_url(demand))
    assert response.status_code == 200
    content = response.content.decode()
    assert frozen_message(frozen) in content
    assert 'name="reason"' not in content
    assert "Meer tijd geven</button>" not in content


def test_after_the_freeze_an_extension_is_refused(personas, demand, frozen, mailoutbox):
    until = timezone.now() + timedelta(days=5)
    response = personas["project_team"].client().post(extend_url(demand), form_for(until))
    assert response.status_code == 422
    assert frozen_message(frozen) in response.content.decode()
    assert_not_extended(demand, mailoutbox)
    with pytest.raises(ValidationError) as caught:
        demand_extend_deadline(
            actor=personas["project_team"].user, demand=demand, until=until, reason="Ziekte."
        )
    assert caught.value.messages == [frozen_message(frozen)]
    assert_not_extended(demand, mailoutbox)


def test_the_demand_overview_offers_more_time_until_the_freeze(personas, demand, programme):
    client = personas["project_team"].client()
    overview = "/programmas/gt-hardware/inventarisatie"
    content = client.get(overview).content.decode()
    assert f'href="{extend_url(demand)}"' in content
    Programme.objects.filter(pk=programme.pk).update(frozen_at=timezone.now())
    programme.refresh_from_db()
    content = client.get(overview).content.decode()
    assert f'href="{extend_url(demand)}"' not in content
    assert frozen_message(programme) in content
    assert Demand.objects.get(pk=demand.pk).deadline_extended_until is None
