"""The report never lets one supplier work out another's figure (art. 2.57 Aw 2012 and
competition law), each written as the scenario that broke before: a report with one and with
two respondents printed min = median = max of their answers and prices; now every statistic
built from fewer than 3 answers is held back with "te weinig antwoorden om te tonen", prices
stay out unless the team records why, and even then need 5 prices per category. The PDF of a
one-respondent consultation, rendered by the task, shows no price."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consultations.models import ConsultationReport
from consultations.selectors import report_document as document
from consultations.services import report as services
from consultations.tasks import report_render_task
from consultations.tests.report_helpers import (
    SUPPLIERS,
    R,
    answer,
    assert_anonymous,
    build_consultation,
    close,
    make_supplier,
    pdf_text,
    review_all,
)
from consultations.tests.report_helpers import _media_root as _media_root
from portal.pdf import render_html

pytestmark = pytest.mark.django_db

TOO_FEW = "te weinig antwoorden om te tonen"


def _extra(n: int) -> dict:
    """A further respondent, like the first one but with its own identity."""
    return {
        **SUPPLIERS[0],
        "key": f"extra-{n}",
        "name": f"Ooievaar {n} Computers B.V.",
        "kvk": f"{70_000_000 + n:08d}",
        "email": f"verkoop@ooievaar-{n}.nl",
        "person": f"Olga Ooievaar {n}",
        "answers": {**SUPPLIERS[0]["answers"], "visie": "Circulair.", "naam": "Laptop."},
        "prices": ("800", "1100"),
        "file": False,
    }


def world_of(actor, respondents: list[dict]) -> dict:
    consultation, categories = build_consultation(actor)
    suppliers = {s["key"]: make_supplier(s) for s in respondents}
    for data in respondents:
        answer(consultation, suppliers[data["key"]], categories)
    close(consultation, actor)
    review_all(
        consultation,
        actor,
        {
            (s["key"], key): "Een tekst."
            for s in respondents
            for key in ("visie", "naam")
            if key in s["answers"]
        },
    )
    return {"consultation": consultation, "suppliers": suppliers}


def _questions(context) -> dict:
    return {q["text"]: q for section in context["sections"] for q in section["questions"]}


@pytest.mark.parametrize("count", [1, 2])
def test_a_report_with_one_or_two_respondents_suppresses_the_statistics(project_team_user, count):
    world = world_of(project_team_user, SUPPLIERS[:count])
    report = services.report_request(actor=project_team_user, consultation=world["consultation"])
    context = document.report_context(report=report)
    questions = _questions(context)
    assert context["respondents"] == count
    for text in ("Wat is uw rol?", "Welke keurmerken?", "Levert u refurbished?"):
        assert questions[text]["suppressed"] is True and "rows" not in questions[text], text
    for text in ("Levertijd?", "Leverbaar vanaf?"):
        stats = questions[text]["stats"]
        assert stats == {"count": count, "suppressed": True}, text
    assert questions["Indicatieve prijs?"]["prices_left_out"] is True
    html = render_html(document.TEMPLATE, context)
    assert TOO_FEW in html.casefold()
    assert "Prijzen staan niet in de openbare versie van dit verslag." in html
    # No option counts, no lowest / median / highest, no price.
    assert "Fabrikant" not in html and "1 maart 2027" not in html and "€" not in html
    assert_anonymous(html, world)


def test_three_respondents_show_the_statistics(project_team_user):
    world = world_of(project_team_user, SUPPLIERS[:3])
    report = services.report_request(actor=project_team_user, consultation=world["consultation"])
    questions = _questions(document.report_context(report=report))
    assert questions["Levertijd?"]["stats"]["median"] == "15,5"
    assert [r["count"] for r in questions["Wat is uw rol?"]["rows"]] == [2, 1, 0]


def test_prices_need_a_recorded_reason(project_team_user):
    world = world_of(project_team_user, SUPPLIERS[:3])
    with pytest.raises(ValidationError) as exc:
        services.report_request(
            actor=project_team_user, consultation=world["consultation"], include_prices=True
        )
    assert exc.value.message_dict == {
        "include_prices_reason": ["Leg vast waarom de prijzen in het openbare verslag staan."]
    }
    with pytest.raises(ValidationError) as exc:
        services.report_request(
            actor=project_team_user,
            consultation=world["consultation"],
            include_prices=True,
            include_prices_reason="Zilvermeeuw Computers vroeg erom.",
        )
    assert "herkenbaar" in exc.value.message_dict["include_prices_reason"][0]
    assert not ConsultationReport.objects.exists()


def test_included_prices_still_need_five_per_category(project_team_user):
    respondents = [*SUPPLIERS[:3], _extra(1), _extra(2)]
    world = world_of(project_team_user, respondents)
    report = services.report_request(
        actor=project_team_user,
        consultation=world["consultation"],
        include_prices=True,
        include_prices_reason="Besloten in het projectteamoverleg van 3 maart.",
    )
    first, second = _questions(document.report_context(report=report))["Indicatieve prijs?"][
        "prices"
    ]
    # Five prices for the first category; four for the second (one supplier left it empty).
    assert (first["count"], first["median"]) == (5, "€ 800,00")
    assert second == {"category": second["category"], "count": 4, "suppressed": True}
    text = pdf_text(services.report_render(report_id=report.pk).file.path)
    assert "€ 700,00 € 800,00 € 900,00" in text
    assert "Te weinig antwoorden om te tonen (minder dan 5 prijzen)" in text
    assert "Opgenomen: Besloten in het projectteamoverleg van 3 maart." in text


def test_the_pdf_of_a_one_respondent_consultation_shows_no_price(project_team_user):
    world = world_of(project_team_user, SUPPLIERS[:1])
    report = services.report_request(actor=project_team_user, consultation=world["consultation"])
    result = report_render_task.apply(args=(report.pk,))  # the task, as the worker runs it
    assert result.successful(), result.traceback
    report.refresh_from_db()
    assert report.status == R.DONE
    text = pdf_text(report.file.path)
    assert "Leveranciers die de vragenlijst hebben ingediend 1" in text
    assert "€" not in text and "850" not in text and "1.200" not in text
    assert "Prijzen staan niet in de openbare versie van dit verslag." in text
    assert "Te weinig antwoorden om te tonen" in text
    assert "Fabrikant 1" not in text and "10 10 10" not in text
    assert_anonymous(text, world)


def test_the_management_page_records_the_choice_to_include_prices(personas, project_team_user):
    world = world_of(project_team_user, SUPPLIERS[:3])
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{world['consultation'].slug}/verslag/maken"
    page = client.get(f"/marktconsultaties/{world['consultation'].slug}/beheer").content.decode()
    assert 'name="include_prices"' in page and "Prijzen opnemen in het openbare verslag" in page
    refused = client.post(url, {"include_prices": "yes"}, follow=True).content.decode()
    assert "Leg vast waarom de prijzen in het openbare verslag staan." in refused
    assert not ConsultationReport.objects.exists()
    client.post(url, {"include_prices": "yes", "include_prices_reason": "Besluit van 3 maart."})
    report = ConsultationReport.objects.get()
    assert (report.include_prices, report.include_prices_reason) == (True, "Besluit van 3 maart.")
    client.post(url, {"change_note": "Zonder prijzen."})
    assert ConsultationReport.objects.get(number=2).include_prices is False
