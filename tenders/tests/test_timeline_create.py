"""A new programme's timeline holds: milestones in their order, and a term over four years
only with a recorded justification (2014/24/EU art. 33(1)). Each test is the scenario that
was accepted before."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.models import AuditEvent
from tenders.models import Milestone, Programme
from tenders.selectors.timeline import milestone_order_problems
from tenders.services.programme import programme_create

pytestmark = pytest.mark.django_db
URL = reverse("tenders:programme-create")
AMS = ZoneInfo("Europe/Amsterdam")


def data(**extra):
    """A programme whose every milestone is in order (all at 17:00 Dutch time)."""
    values = {
        "name": "GT Print 2030",
        "slug": "",
        "description": "",
        "status": "joining",
        "contract_start_year": "2031",
        "contract_years": "4",
        "extension_years": "",
        "term_justification": "",
        "joining_opens_date": "06-01-2030",
        "joining_deadline_date": "29-03-2030",
        "demand_deadline_date": "28-06-2030",
        "consultation_start_date": "02-09-2030",
        "consultation_end_date": "30-09-2030",
        "freeze_date": "01-10-2030",
        "planned_publication_date": "01-10-2030",
        "contract_start_date": "06-01-2031",
    }
    values.update(extra)
    return values


def post(personas, **extra):
    return personas["project_team"].client().post(URL, data(**extra))


def errors(response) -> dict:
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def test_a_timeline_in_order_is_accepted(personas):
    response = post(personas)
    assert response.status_code == 302
    programme = Programme.objects.get(slug="gt-print-2030")
    assert programme.milestones.count() == 8
    assert programme.extension_years == 0


def test_joining_deadline_before_joining_opens_is_refused(personas):
    response = post(personas, joining_opens_date="01-04-2030")
    assert response.status_code == 422
    assert errors(response)["joining_deadline_date"] == [
        "“Aanmelden sluit” op vrijdag 29 maart 2030, 17:00 uur (Nederlandse tijd) moet later "
        "zijn dan "
        "“Aanmelden gaat open” op maandag 1 april 2030, 17:00 uur (Nederlandse tijd)."
    ]
    assert not Programme.objects.exists()
    assert not AuditEvent.objects.filter(action="programme.created").exists()


def test_demand_deadline_before_joining_deadline_is_refused(personas):
    response = post(personas, demand_deadline_date="28-02-2030")
    assert response.status_code == 422
    messages = errors(response)["demand_deadline_date"]
    assert (
        "“Behoefte doorgeven sluit” op donderdag 28 februari 2030, 17:00 uur (Nederlandse tijd) "
        "mag niet eerder zijn dan "
        "“Aanmelden sluit” op vrijdag 29 maart 2030, 17:00 uur (Nederlandse tijd)."
    ) in messages
    assert 'href="#id_demand_deadline_date"' in response.content.decode()
    assert not Programme.objects.exists()


def test_freeze_after_publication_and_contract_start_at_publication_are_refused(personas):
    response = post(personas, freeze_date="15-10-2030", contract_start_date="01-10-2030")
    assert response.status_code == 422
    found = errors(response)
    assert found["planned_publication_date"] == [
        "“Geplande publicatie” op dinsdag 1 oktober 2030, 17:00 uur (Nederlandse tijd) mag niet "
        "eerder zijn dan "
        "“Behoefte vastgezet” op dinsdag 15 oktober 2030, 17:00 uur (Nederlandse tijd)."
    ]
    assert found["contract_start_date"] == [
        "“Raamovereenkomsten gaan in” op dinsdag 1 oktober 2030, 17:00 uur (Nederlandse tijd) "
        "moet later zijn dan "
        "“Geplande publicatie” op dinsdag 1 oktober 2030, 17:00 uur (Nederlandse tijd)."
    ]
    assert not Programme.objects.exists()


def test_consultation_out_of_its_window_is_refused(personas):
    response = post(
        personas,
        consultation_start_date="01-01-2030",  # before joining opens
        consultation_end_date="15-10-2030",  # after the planned publication
    )
    assert response.status_code == 422
    found = errors(response)
    assert (
        "“Marktconsultatie begint” op dinsdag 1 januari 2030, 17:00 uur (Nederlandse tijd) moet "
        "later zijn dan "
        "“Aanmelden gaat open” op zondag 6 januari 2030, 17:00 uur (Nederlandse tijd)."
    ) in found["consultation_start_date"]
    assert (
        "“Geplande publicatie” op dinsdag 1 oktober 2030, 17:00 uur (Nederlandse tijd) mag niet "
        "eerder zijn dan "
        "“Marktconsultatie eindigt” op dinsdag 15 oktober 2030, 17:00 uur (Nederlandse tijd)."
    ) in found["planned_publication_date"]


def test_a_missing_milestone_does_not_hide_the_order_of_the_others(personas):
    # No joining deadline: joining opens must still come before the demand deadline.
    response = post(personas, joining_deadline_date="", demand_deadline_date="01-01-2030")
    assert response.status_code == 422
    assert "joining_deadline_date" in errors(response)  # the form requires it
    moments = {
        "joining_opens": datetime(2030, 1, 6, 17, tzinfo=AMS),
        "demand_deadline": datetime(2030, 1, 6, 17, tzinfo=AMS),
    }
    assert milestone_order_problems(moments) == {
        "demand_deadline": [
            "“Behoefte doorgeven sluit” op zondag 6 januari 2030, 17:00 uur (Nederlandse tijd) "
            "moet later zijn dan "
            "“Aanmelden gaat open” op zondag 6 januari 2030, 17:00 uur (Nederlandse tijd)."
        ]
    }


def test_same_moment_is_allowed_where_the_rule_says_on_or_after():
    same = datetime(2030, 6, 28, 17, tzinfo=AMS)
    assert (
        milestone_order_problems(
            {"joining_deadline": same, "demand_deadline": same, "freeze": same}
        )
        == {}
    )


# --- The term ---------------------------------------------------------------------------------


def test_ten_year_term_without_justification_is_refused(personas):
    response = post(personas, contract_years="10")
    assert response.status_code == 422
    assert errors(response)["term_justification"] == [
        "Een raamovereenkomst duurt hoogstens 4 jaar, verlengingen meegeteld (richtlijn "
        "2014/24/EU, artikel 33 lid 1). Deze looptijd is 10 jaar: leg vast waarom dat nodig is."
    ]
    assert not Programme.objects.exists()


def test_extensions_count_toward_the_term(personas):
    response = post(personas, contract_years="4", extension_years="2")
    assert response.status_code == 422
    assert "Deze looptijd is 6 jaar" in errors(response)["term_justification"][0]
    assert not Programme.objects.exists()


def test_ten_year_term_with_justification_is_accepted(personas):
    reason = "Uitzonderlijk: de afschrijving van de apparatuur loopt over acht jaar."
    response = post(
        personas, contract_years="8", extension_years="2", term_justification=f"  {reason} "
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert (programme.contract_years, programme.extension_years) == (8, 2)
    assert programme.term_justification == reason
    event = AuditEvent.objects.get(action="programme.created")
    assert event.data["term_justification"] == reason
    assert event.data["extension_years"] == 2


def test_the_service_reports_every_problem_at_once(project_team_user):
    with pytest.raises(ValidationError) as caught:
        programme_create(
            actor=project_team_user,
            name="GT Mobiel 2031",
            contract_start_year=2031,
            contract_years=10,
            milestones={
                Milestone.Kind.JOINING_DEADLINE: datetime(2030, 3, 1, 17, tzinfo=AMS),
                Milestone.Kind.DEMAND_DEADLINE: datetime(2030, 2, 1, 17, tzinfo=AMS),
            },
        )
    assert set(caught.value.message_dict) == {"term_justification", "demand_deadline"}
    assert not Programme.objects.exists()


def test_the_form_shows_term_and_extension_fields(personas):
    content = personas["project_team"].client().get(URL).content.decode()
    assert 'name="extension_years"' in content
    assert 'name="term_justification"' in content
    assert "Verlengingsopties in jaren" in content
    assert "artikel 33 lid 1" in content
