# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The team's change-notice page and the notices on the public tender page: the first member
asks (errors next to the fields, nothing changed), a second confirms; outsiders get 404, the
team's viewer 403; a draft tender's page offers no notice; the public page lists each notice
with its number, date, reason and what changed (old → new)."""

from __future__ import annotations

import re

import pytest

from tenders.models import ChangeNotice, Tender
from tenders.tests.change_helpers import published, second_member
from tenders.tests.documents_helpers import TIMELINE, make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-agg/aanbesteding/wijzigingsbericht"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def form_data(tender, **values: str) -> dict[str, str]:
    """The form as the page fills it, with ``values`` changed."""
    from tenders.forms_change import ChangeNoticeForm

    data = {key: str(value or "") for key, value in ChangeNoticeForm.initial_for(tender).items()}
    data["reason"] = "Meer tijd voor de inschrijvers"
    data.update(values)
    return data


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_team_asks_and_a_second_member_confirms(setup, personas, client):
    tender = published(setup, personas)
    team = personas["project_team"].client()
    page = team.get(URL).content.decode()
    assert "Wijzigingsbericht aanvragen" in page
    assert 'value="12-04-2027"' in page  # filled in with the tender as it stands

    response = team.post(
        URL,
        form_data(
            tender,
            bid_deadline_at_date="26-04-2027",
            opening_at_date="26-04-2027",
            opening_at_time="13:00",
        ),
    )
    assert response.status_code == 302
    page = text(team.get(URL).content.decode())
    assert "Het wijzigingsbericht is gevraagd." in page
    assert "Wijzigingsbericht wacht op bevestiging" in page
    assert (
        "maandag 12 april 2027, 12:00 uur (Nederlandse tijd) "
        "maandag 26 april 2027, 12:00 uur (Nederlandse tijd)" in page
    )
    assert "Bevestigen: wijzigingsbericht publiceren" not in page  # not for the one who asked
    tender.refresh_from_db()
    assert tender.bid_deadline_at == TIMELINE["bid_deadline_at"]

    client.force_login(second_member(personas))
    assert "Bevestigen: wijzigingsbericht publiceren" in client.get(URL).content.decode()
    response = client.post(URL, {"decision": "confirm"}, follow=True)
    assert "Wijzigingsbericht 1 is gepubliceerd." in response.content.decode()
    tender.refresh_from_db()
    assert tender.bid_deadline_at.day == 26

    # The public page lists it: number, date, reason, old → new.
    public = personas["anonymous"].client().get(f"/aanbestedingen/{tender.reference}")
    section = re.search(
        r'<section aria-labelledby="change-notices-title".*?</section>',
        public.content.decode(),
        re.S,
    )
    assert section
    shown = text(section.group(0))
    assert "Wijzigingsbericht 1" in shown
    assert "Reden: Meer tijd voor de inschrijvers" in shown
    assert (
        "Uiterste datum voor inschrijvingen maandag 12 april 2027, 12:00 uur (Nederlandse tijd) "
        "maandag 26 april 2027, 12:00 uur (Nederlandse tijd)" in shown
    )
    notice = ChangeNotice.objects.get()
    assert f'datetime="{notice.decided_at:%Y}' in section.group(0)


def test_bad_input_is_refused_next_to_the_field_and_nothing_changes(setup, personas):
    tender = published(setup, personas, electronic=False)
    team = personas["project_team"].client()
    response = team.post(URL, form_data(tender, reason="", bid_deadline_at_date="31-04-2027"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Geef de reden van de wijziging" in page
    assert re.search(r'id="id_bid_deadline_at_date-error"[^>]*>\s*Vul de datum in als', page)

    response = team.post(URL, form_data(tender, bid_deadline_at_date="02-04-2027"))
    assert response.status_code == 422
    error = re.search(
        r'id="id_bid_deadline_at_date-error"[^>]*>(.*?)</p>', response.content.decode(), re.S
    )
    assert error and "is te vroeg: er geldt een termijn van minstens 35 dagen" in error.group(1)
    assert not ChangeNotice.objects.exists()
    tender.refresh_from_db()
    assert tender.bid_deadline_at == TIMELINE["bid_deadline_at"]


def test_outsiders_get_404_and_the_teams_viewer_403(setup, personas, project_team_viewer, client):
    tender = published(setup, personas)
    for name in ("editor_a", "supplier_x", "joint_body"):
        persona = personas[name].client()
        assert persona.get(URL).status_code == 404
        assert persona.post(URL, form_data(tender)).status_code == 404
    assert personas["anonymous"].client().get(URL).status_code == 302
    client.force_login(project_team_viewer)
    page = client.get(URL)
    assert page.status_code == 200 and "Wijzigingsbericht aanvragen" not in page.content.decode()
    assert client.post(URL, form_data(tender, bid_deadline_at_date="26-04-2027")).status_code == 403
    assert not ChangeNotice.objects.exists()


def test_a_draft_tender_offers_no_change_notice(setup, personas):
    make_tender(setup, personas)
    team = personas["project_team"].client()
    page = team.get(URL).content.decode()
    assert "De aanbesteding is een concept: wijzig die rechtstreeks." in page
    assert "Wijzigingsbericht aanvragen" not in page
    assert (
        "Wijzigingsberichten: de gepubliceerde"
        not in team.get("/programmas/gt-agg/aanbesteding").content.decode()
    )
    assert Tender.objects.get().is_draft
