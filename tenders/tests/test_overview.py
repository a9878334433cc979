import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import JointBodyMunicipality, Municipality, Participation
from municipalities.services import municipality_register_load
from tenders.tests.conftest import participate
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware/deelnemers"
S = Participation.Status


@pytest.fixture
def covered(programme, towns, org_a, org_b, joint_body):
    """A: own draft that was withdrawn, then covered via the joint body (submitted);
    B: withdrawn only; C: via the joint body; D: nothing."""
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=towns["a"])
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=towns["c"])
    participate(programme, org_a, [towns["a"]], S.WITHDRAWN)
    participate(programme, joint_body, [towns["a"], towns["c"]], S.SUBMITTED)
    participate(programme, org_b, [towns["b"]], S.WITHDRAWN)
    return towns


def statuses(response) -> dict[str, str]:
    return {row.municipality.cbs_code: row.status for row in response.context["overview"].rows}


def test_statuses_per_municipality(personas, covered):
    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    assert statuses(response) == {
        "GM9001": "submitted",
        "GM9002": "withdrawn",
        "GM9003": "submitted",
        "GM9004": "not_started",
    }
    rows = {row.municipality.cbs_code: row for row in response.context["overview"].rows}
    assert rows["GM9001"].joint_body.name == "Werkorganisatie Duo"
    assert rows["GM9003"].participant.name == "Werkorganisatie Duo"
    assert rows["GM9002"].joint_body is None
    assert rows["GM9002"].participant.name == "Gemeente Bedum"
    assert rows["GM9004"].participant is None
    content = response.content.decode()
    assert "Werkorganisatie Duo" in content
    assert '<th scope="row" class="utrecht-table__header-cell">Dedorp</th>' in content


def test_own_participation_is_shown_without_joint_body(personas, programme, towns, org_a):
    participate(programme, org_a, [towns["a"]], S.APPROVED)
    response = personas["project_team"].client().get(URL)
    row = next(r for r in response.context["overview"].rows if r.municipality == towns["a"])
    assert (row.status, row.participant, row.joint_body) == ("approved", org_a, None)


def test_counts_per_status(personas, covered):
    response = personas["project_team"].client().get(URL)
    counts = {key: n for key, _label, n in response.context["overview"].counts}
    assert counts == {
        "not_started": 1,
        "draft": 0,
        "submitted": 2,
        "approved": 0,
        "returned": 0,
        "withdrawn": 1,
    }
    assert response.context["overview"].total == 4


def test_filter_by_status_and_province(personas, covered):
    client = personas["project_team"].client()
    response = client.get(URL, {"status": "submitted"})
    assert set(statuses(response)) == {"GM9001", "GM9003"}
    response = client.get(URL, {"provincie": "Groningen"})
    assert set(statuses(response)) == {"GM9002"}
    counts = {key: n for key, _label, n in response.context["overview"].counts}
    assert counts["withdrawn"] == 1 and counts["submitted"] == 0
    response = client.get(URL, {"provincie": "Utrecht", "status": "not_started"})
    assert set(statuses(response)) == {"GM9004"}


def test_unknown_filter_values_are_ignored(personas, covered):
    response = personas["project_team"].client().get(URL, {"provincie": "Atlantis", "status": "x"})
    assert response.status_code == 200
    assert len(statuses(response)) == 4


def test_only_current_municipalities_are_listed(personas, covered):
    Municipality.objects.filter(cbs_code="GM9004").update(valid_until="2023-01-01")
    response = personas["project_team"].client().get(URL)
    assert "GM9004" not in statuses(response)


def test_a_successor_counts_the_participation_of_its_merged_predecessors(
    personas, programme, towns, org_b
):
    """Cadorp and Dedorp merged into Bedum (the register names the successor): Bedum's row
    shows the participation it took over from Cadorp, and is counted as taking part."""
    participate(programme, org_b, [towns["c"]], S.APPROVED)
    Municipality.objects.filter(cbs_code__in=["GM9003", "GM9004"]).update(
        valid_until="2027-01-01", successor=towns["b"]
    )
    response = personas["project_team"].client().get(URL)
    assert statuses(response) == {"GM9001": "not_started", "GM9002": "approved"}
    row = next(r for r in response.context["overview"].rows if r.municipality == towns["b"])
    assert row.via_predecessor == towns["c"] and row.participant == org_b
    assert "overgenomen van Cadorp" in response.content.decode()
    assert {k: n for k, _label, n in response.context["overview"].counts}["approved"] == 1
    # Its own registration comes first.
    participate(programme, personas["admin_a"].organisation, [towns["b"]], S.DRAFT)
    response = personas["project_team"].client().get(URL)
    assert statuses(response)["GM9002"] == "draft"


def test_the_counts_agree_with_the_rows_through_withdrawals_and_two_mergers(
    personas, programme, towns, org_a, org_b, joint_body
):
    """The counts come from one set-based query (each coverage ranked among those of the
    municipality it counts for), the rows from a lookup per municipality: they agree. Dedorp
    merged into Cadorp, which merged into Bedum (two deep); Aadorp withdrew and came back
    through the joint body; Bedum has its own draft beside the approved one it took over."""
    participate(programme, org_a, [towns["a"]], S.WITHDRAWN)
    participate(programme, joint_body, [towns["a"]], S.SUBMITTED)
    participate(programme, OrganisationFactory(name="Gemeente Dedorp"), [towns["d"]], S.APPROVED)
    participate(programme, org_b, [towns["c"]], S.WITHDRAWN)
    Municipality.objects.filter(cbs_code="GM9004").update(
        valid_until="2025-01-01", successor=towns["c"]
    )
    Municipality.objects.filter(cbs_code="GM9003").update(
        valid_until="2027-01-01", successor=towns["b"]
    )
    overview = personas["project_team"].client().get(URL).context["overview"]
    rows = {row.municipality.cbs_code: row.status for row in overview.rows}
    assert rows == {"GM9001": "submitted", "GM9002": "approved"}
    counted = {key: n for key, _label, n in overview.counts if n}
    assert counted == {"submitted": 1, "approved": 1}
    assert [(p.label, p.total, p.participating) for p in overview.provinces] == [
        ("Groningen", 1, 1),
        ("Utrecht", 1, 1),
    ]
    # Its own draft decides Bedum's status from now on, in the rows and in the counts.
    participate(programme, OrganisationFactory(name="Gemeente Bedum 2"), [towns["b"]], S.DRAFT)
    overview = personas["project_team"].client().get(URL).context["overview"]
    assert {row.municipality.cbs_code: row.status for row in overview.rows}["GM9002"] == "draft"
    assert {key: n for key, _label, n in overview.counts if n} == {"submitted": 1, "draft": 1}


def test_the_chart_is_accessible_svg_with_the_counts(personas, covered):
    content = personas["project_team"].client().get(URL).content.decode()
    svg = re.search(r"<svg.*?</svg>", content, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "style=" not in svg and "<script" not in svg
    labels = re.findall(r'font-weight="bold" fill="#1a1a1a">(\d+)</text>', svg)
    assert labels == ["1", "0", "2", "0", "0", "1"]
    assert "Submitted: 2" in svg or "Ingediend: 2" in svg


def test_project_team_viewer_may_see_it(client, project_team_viewer, programme):
    client.force_login(project_team_viewer)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "viewer_a", "joint_body", "supplier_x"])
def test_everyone_outside_the_project_team_gets_404(personas, programme, persona):
    assert personas[persona].client().get(URL).status_code == 404
    assert personas[persona].client().get(URL + "/export").status_code == 404


def test_anonymous_is_sent_to_login(client, programme):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_programme_is_404(personas, programme):
    assert (
        personas["project_team"].client().get("/programmas/bestaat-niet/deelnemers").status_code
        == 404
    )


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_constant_for_10_and_342_municipalities(
    personas, programme, org_a, joint_body
):
    client = personas["project_team"].client()
    municipality_register_load()
    ten = list(Municipality.objects.order_by("cbs_code")[:10])
    keep = {m.pk for m in ten}
    # First only ten municipalities are current, with participations of every kind.
    Municipality.objects.exclude(pk__in=keep).update(valid_until="2023-01-01")
    participate(programme, org_a, ten[:2], S.SUBMITTED)
    participate(programme, joint_body, ten[2:5], S.APPROVED)
    participate(programme, org_a, ten[5:6], S.WITHDRAWN)
    client.get(URL)  # warm up session and content types
    few = _count(client)
    assert len(client.get(URL).context["overview"].rows) == 10
    Municipality.objects.update(valid_until=None)
    many = _count(client)
    assert len(client.get(URL).context["overview"].rows) == 342
    assert few == many
    assert many <= 12  # with the reminders: last per organisation, dates of one page
