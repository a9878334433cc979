"""The timeline in a real Chromium, every page axe-checked: a new programme with its dates out
of order is refused next to the field; once the demand is frozen the pages show the phase and
say why a deadline can no longer move, instead of offering the form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.services import catalog_load_reference
from municipalities.services.demand import demand_for_participation
from tenders.models import Milestone, Programme
from tenders.tests.conftest import participate
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
K = Milestone.Kind


def submit(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_dates_out_of_order_are_refused_next_to_the_field(visitor, project_team_user):
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto("/programma-aanmaken")
    page.get_by_label("Naam", exact=True).fill("GT Print 2030")
    page.locator("#id_contract_start_year").fill("2031")
    page.locator("#id_contract_years").fill("10")
    page.locator("#id_joining_deadline_date").fill("29-03-2030")
    page.locator("#id_demand_deadline_date").fill("28-02-2030")
    submit(visitor, page.get_by_role("button", name="Programma aanmaken"))
    assert page.title().startswith("Fout: ")
    error = page.locator("#id_demand_deadline_date-error").inner_text()
    assert (
        "“Behoefte doorgeven sluit” op donderdag 28 februari 2030, 17:00 uur (Nederlandse tijd) "
        "mag niet eerder zijn dan" in error
    )
    assert "artikel 33 lid 1" in page.locator("#id_term_justification-error").inner_text()
    assert not Programme.objects.exists()


def test_a_frozen_programme_says_why_its_deadlines_stay(
    visitor, programme, towns, org_a, project_team_user
):
    catalog_load_reference()
    now = timezone.now()
    Milestone.objects.filter(programme=programme).update(due_at=now - timedelta(days=30))
    for kind, days in ((K.DEMAND_DEADLINE, -2), (K.FREEZE, 5), (K.PLANNED_PUBLICATION, 20)):
        Milestone.objects.create(programme=programme, kind=kind, due_at=now + timedelta(days=days))
    participation = participate(programme, org_a, [towns["a"]], "approved")
    demand = demand_for_participation(participation=participation)
    Programme.objects.filter(pk=programme.pk).update(frozen_at=now - timedelta(hours=1))

    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto("/programmas/gt-hardware")
    main = page.locator("main")
    assert "Behoefte vastgezet" in main.locator(".portal-phase").first.inner_text()
    assert "De inventarisatie is bevroren op" in main.inner_text()
    assert main.locator('a[href$="/tijdlijn/demand_deadline/wijzigen"]').count() == 0

    visitor.goto("/programmas/gt-hardware/tijdlijn/demand_deadline/wijzigen")
    assert page.locator("form.portal-form").count() == 0
    assert "kan daarom niet meer verschuiven" in page.locator("main").inner_text()

    visitor.goto("/programmas/gt-hardware/inventarisatie")
    assert page.get_by_role("link", name="Meer tijd geven").count() == 0

    visitor.goto(f"/inventarisatie/{demand.public_id}/verlengen")
    assert page.get_by_role("button", name="Meer tijd geven").count() == 0
    assert "een deelnemer kan geen extra tijd meer krijgen" in page.locator("main").inner_text()
