"""Moving a milestone keeps the timeline in order, and the freeze locks the joining and demand
deadlines. Each test is the scenario the project team could do before."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import AuditEvent
from tenders.models import Milestone, MilestoneChange, Programme
from tenders.selectors.timeline import moment_text
from tenders.services.programme import milestone_extend

pytestmark = pytest.mark.django_db
K = Milestone.Kind
PAGE = "/programmas/gt-hardware"


def url(kind):
    return f"/programmas/gt-hardware/tijdlijn/{kind}/wijzigen"


@pytest.fixture
def timeline(programme):
    """The whole timeline, in order: joining closes in 30 days (the fixture), then demand,
    consultation, freeze, publication and contract start."""
    now = timezone.now()
    for kind, days in (
        (K.JOINING_OPENS, -10),
        (K.CONSULTATION_START, 20),
        (K.DEMAND_DEADLINE, 60),
        (K.CONSULTATION_END, 70),
        (K.FREEZE, 90),
        (K.PLANNED_PUBLICATION, 100),
        (K.CONTRACT_START, 400),
    ):
        Milestone.objects.create(programme=programme, kind=kind, due_at=now + timedelta(days=days))
    return programme


def due(kind):
    return Milestone.objects.get(kind=kind).due_at


def form_for(moment):
    local = timezone.localtime(moment)
    return {"date": f"{local:%d-%m-%Y}", "time": f"{local:%H:%M}", "reason": "Uitstel."}


def assert_unchanged(before):
    assert {m.kind: m.due_at for m in Milestone.objects.all()} == before
    assert not MilestoneChange.objects.exists()
    assert not AuditEvent.objects.filter(action="milestone.changed").exists()


def snapshot():
    return {m.kind: m.due_at for m in Milestone.objects.all()}


def test_demand_deadline_moved_past_the_freeze_is_refused(personas, timeline, mailoutbox):
    before = snapshot()
    new = due(K.FREEZE) + timedelta(days=1)
    response = personas["project_team"].client().post(url(K.DEMAND_DEADLINE), form_for(new))
    assert response.status_code == 422
    new = new.replace(second=0, microsecond=0)
    assert response.context["form"].errors["date"] == [
        f"“Behoefte vastgezet” op {moment_text(due(K.FREEZE))} mag niet eerder zijn dan "
        f"“Behoefte doorgeven sluit” op {moment_text(new)}."
    ]
    assert_unchanged(before)
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("kind", "past", "absent", "named"),
    [
        # The nearest milestone passed is named: with the full timeline that is the freeze.
        (K.DEMAND_DEADLINE, K.PLANNED_PUBLICATION, [], "Behoefte vastgezet"),
        # Without a freeze date, publication; without publication either, the contract start.
        (K.DEMAND_DEADLINE, K.PLANNED_PUBLICATION, [K.FREEZE], "Geplande publicatie"),
        (
            K.JOINING_DEADLINE,
            K.CONTRACT_START,
            [K.DEMAND_DEADLINE, K.FREEZE, K.PLANNED_PUBLICATION],
            "Raamovereenkomsten gaan in",
        ),
        (K.CONSULTATION_END, K.PLANNED_PUBLICATION, [], "Geplande publicatie"),
    ],
)
def test_a_deadline_moved_past_publication_or_contract_start_is_refused(
    personas, timeline, kind, past, absent, named
):
    Milestone.objects.filter(kind__in=absent).delete()
    before = snapshot()
    new = due(past) + timedelta(days=1)
    response = personas["project_team"].client().post(url(kind), form_for(new))
    assert response.status_code == 422
    (message,) = response.context["form"].errors["date"]
    assert f"“{named}”" in message
    assert f"“{K(kind).label}”" in message
    assert_unchanged(before)


def test_a_move_that_keeps_the_order_is_accepted(personas, timeline):
    new = due(K.FREEZE) - timedelta(days=1)
    response = personas["project_team"].client().post(url(K.DEMAND_DEADLINE), form_for(new))
    assert response.status_code == 302
    assert MilestoneChange.objects.get().milestone.kind == K.DEMAND_DEADLINE


def test_an_old_problem_elsewhere_does_not_block_an_unrelated_move(personas, timeline):
    # Stored before the rules existed: publication before the freeze.
    Milestone.objects.filter(kind=K.PLANNED_PUBLICATION).update(
        due_at=due(K.FREEZE) - timedelta(days=1)
    )
    new = due(K.JOINING_DEADLINE) + timedelta(days=1)
    response = personas["project_team"].client().post(url(K.JOINING_DEADLINE), form_for(new))
    assert response.status_code == 302


# --- The freeze ------------------------------------------------------------------------------


@pytest.fixture
def frozen(timeline):
    Programme.objects.filter(pk=timeline.pk).update(frozen_at=timezone.now())
    timeline.refresh_from_db()
    return timeline


@pytest.mark.parametrize("kind", [K.JOINING_DEADLINE, K.DEMAND_DEADLINE])
def test_after_the_freeze_the_deadline_cannot_move(personas, frozen, kind, mailoutbox):
    before = snapshot()
    client = personas["project_team"].client()
    expected = (
        f"De inventarisatie is bevroren op {moment_text(frozen.frozen_at)}; "
        f"“{K(kind).label}” kan daarom niet meer verschuiven. Hef eerst de bevriezing op als "
        "de datum toch moet veranderen."
    )
    # The page says why instead of offering the form.
    page = client.get(url(kind))
    assert page.status_code == 200
    content = page.content.decode()
    assert expected in content
    assert 'name="reason"' not in content
    # A post anyway (an old tab) changes nothing.
    response = client.post(url(kind), form_for(due(kind) + timedelta(days=1)))
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert_unchanged(before)
    assert mailoutbox == []
    # The service refuses it too, with the same message.
    with pytest.raises(ValidationError) as caught:
        milestone_extend(
            actor=personas["project_team"].user,
            milestone=Milestone.objects.get(kind=kind),
            new_due_at=due(kind) + timedelta(days=1),
            reason="Uitstel.",
        )
    assert caught.value.message_dict["date"] == [expected]
    assert_unchanged(before)


def test_the_programme_page_hides_the_locked_change_links_and_says_why(personas, frozen):
    content = personas["project_team"].client().get(PAGE).content.decode()
    assert f'href="{url(K.JOINING_DEADLINE)}"' not in content
    assert f'href="{url(K.DEMAND_DEADLINE)}"' not in content
    assert f"De inventarisatie is bevroren op {moment_text(frozen.frozen_at)}" in content
    # Milestones the freeze does not lock can still move.
    assert f'href="{url(K.PLANNED_PUBLICATION)}"' in content


def test_before_the_freeze_the_page_offers_every_change_link(personas, timeline):
    content = personas["project_team"].client().get(PAGE).content.decode()
    for kind in (K.JOINING_DEADLINE, K.DEMAND_DEADLINE, K.FREEZE):
        assert f'href="{url(kind)}"' in content
    assert "bevroren" not in content


def test_after_the_freeze_publication_can_still_move_in_order(personas, frozen):
    new = due(K.PLANNED_PUBLICATION) + timedelta(days=7)
    response = personas["project_team"].client().post(url(K.PLANNED_PUBLICATION), form_for(new))
    assert response.status_code == 302
