"""The programme's status moves: joining → inventory → consultation → frozen → published →
awarded, derived from the milestones and the freeze, and shown on every programme page, in
the API and on the dashboard. Before, the stored status stood still whatever the dates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import Milestone, Programme
from tenders.selectors.programme import programme_list, programme_phase

pytestmark = pytest.mark.django_db
K = Milestone.Kind
S = Programme.Status
NOW = timezone.now()


@pytest.fixture
def timeline(programme):
    """Joining opens in 10 days and closes in 30 (the fixture), the consultation runs from 40
    to 50 days, the demand deadline is at 60, the freeze at 90, publication at 100."""
    Milestone.objects.filter(programme=programme).update(due_at=NOW + timedelta(days=30))
    for kind, days in (
        (K.JOINING_OPENS, 10),
        (K.CONSULTATION_START, 40),
        (K.CONSULTATION_END, 50),
        (K.DEMAND_DEADLINE, 60),
        (K.FREEZE, 90),
        (K.PLANNED_PUBLICATION, 100),
        (K.CONTRACT_START, 400),
    ):
        Milestone.objects.create(programme=programme, kind=kind, due_at=NOW + timedelta(days=days))
    return programme_list(user=None).get(pk=programme.pk)


@pytest.mark.parametrize(
    ("days", "key", "label", "next_kind"),
    [
        (0, S.PREPARATION, "Voorbereiding", K.JOINING_OPENS),
        (15, S.JOINING, "Aanmelden open", K.JOINING_DEADLINE),
        (35, S.INVENTORY, "Inventarisatie", K.CONSULTATION_START),
        (45, S.CONSULTATION, "Marktconsultatie", K.CONSULTATION_END),
        (55, S.INVENTORY, "Inventarisatie", K.DEMAND_DEADLINE),
        (80, S.INVENTORY, "Inventarisatie", K.FREEZE),  # deadline passed, not yet frozen
    ],
)
def test_the_phase_follows_the_milestones(timeline, days, key, label, next_kind):
    phase = programme_phase(timeline, NOW + timedelta(days=days))
    assert (phase.key, phase.label) == (key, label)
    assert phase.next_milestone.kind == next_kind


def test_the_stored_status_does_not_hold_the_phase_back(timeline):
    # Stored "joining" since creation; the dates moved on.
    assert timeline.status == S.JOINING
    assert programme_phase(timeline, NOW + timedelta(days=35)).key == S.INVENTORY


def test_frozen_when_a_snapshot_is_frozen(timeline):
    timeline.frozen_at = NOW + timedelta(days=85)
    phase = programme_phase(timeline, NOW + timedelta(days=86))
    assert (phase.key, phase.label) == (S.FROZEN, "Behoefte vastgezet")
    assert phase.next_milestone.kind == K.FREEZE
    # Frozen also during the consultation: the freeze is an act, not a date.
    assert programme_phase(timeline, NOW + timedelta(days=45)).key == S.FROZEN


@pytest.mark.parametrize(
    ("status", "label"),
    [(S.PUBLISHED, "Gepubliceerd"), (S.AWARDED, "Gegund"), (S.DRAFT, "Concept")],
)
def test_published_awarded_and_draft_are_kept_as_stored(timeline, status, label):
    timeline.status = status
    timeline.frozen_at = NOW
    phase = programme_phase(timeline, NOW + timedelta(days=15))
    assert (phase.key, phase.label) == (status, label)


def test_without_a_timeline_the_programme_is_in_preparation(programme):
    Milestone.objects.filter(programme=programme).delete()
    phase = programme_phase(programme_list(user=None).get(pk=programme.pk), NOW)
    assert (phase.key, phase.next_milestone) == (S.PREPARATION, None)


def test_the_phase_reads_prefetched_milestones_without_a_query(timeline, django_assert_num_queries):
    with django_assert_num_queries(0):
        programme_phase(timeline, NOW)


# --- Shown everywhere ------------------------------------------------------------------------


@pytest.fixture
def inventory(programme):
    """A programme whose joining deadline has passed: in the demand inventory now."""
    Milestone.objects.filter(programme=programme).update(due_at=timezone.now() - timedelta(days=1))
    Milestone.objects.create(
        programme=programme, kind=K.DEMAND_DEADLINE, due_at=timezone.now() + timedelta(days=20)
    )
    return programme


def badge(content: str) -> bool:
    return 'data-phase="inventory"' in content and "Inventarisatie</span>" in content


@pytest.mark.parametrize(
    "path",
    [
        "/programmas/gt-hardware",
        "/programmas/gt-hardware/deelnemers",
        "/programmas/gt-hardware/inventarisatie",
        "/programmas/gt-hardware/percelen",
        "/programmas/gt-hardware/aggregatie",
        "/programmas/gt-hardware/tijdlijn/demand_deadline/wijzigen",
        "/",
    ],
)
def test_every_programme_page_and_the_dashboard_show_the_phase(personas, inventory, path):
    response = personas["project_team"].client().get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert badge(content), path
    assert "Volgende stap" in content and "Behoefte doorgeven sluit" in content


def test_the_public_page_and_the_landing_page_show_the_phase(client, inventory):
    assert badge(client.get("/programmas/gt-hardware").content.decode())
    assert badge(client.get("/").content.decode())


def test_the_api_gives_the_phase_read_only(client, inventory, personas):
    data = client.get("/api/v1/programmes/gt-hardware").json()
    assert data["phase"]["key"] == "inventory"
    assert data["phase"]["label"] == "Inventarisatie"
    assert data["phase"]["nextMilestone"]["kind"] == "demand_deadline"
    assert data["status"] == "joining"  # the stored status is still there
    assert data["extensionYears"] == 0
    listed = client.get("/api/v1/programmes").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["phase"]["key"] == "inventory"
