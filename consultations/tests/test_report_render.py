"""The anonymised report rendered into a PDF: a context that summarises without identifying
anyone (closed questions as counts, numbers, dates and prices as statistics, open answers
only as their reviewed texts), idempotent and stable rendering, the last failed attempt
marking the version failed, the colophon with version, date and change note, and a real
worker rendering a PDF that names no supplier, KvK number, e-mail address or person."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationReport, ConsultationResponse
from consultations.selectors import report_document as document
from consultations.services import report as services
from consultations.tasks import report_render_task
from consultations.tests.report_helpers import (
    DRAFT_SUPPLIER,
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
from consultations.tests.report_helpers import reviewed as reviewed
from consultations.tests.report_helpers import world as world
from portal.pdf import render_html


def pdf_info(path) -> str:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout.decode("utf-8")


def letter_of(report, world, key) -> str:
    response = ConsultationResponse.objects.get(
        consultation=world["consultation"], organisation__slug=key
    )
    return report.pseudonyms[str(response.pk)]


@pytest.mark.django_db
def test_the_context_summarises_without_identifying_anyone(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    context = document.report_context(report=report)
    questions = {q["text"]: q for section in context["sections"] for q in section["questions"]}
    assert context["respondents"] == 3
    assert context["pseudonyms"] == ["Leverancier A", "Leverancier B", "Leverancier C"]
    # The draft (Reseller, 99 werkdagen) is not counted.
    assert questions["Wat is uw rol?"]["rows"] == [
        {"label": "Fabrikant", "count": 2},
        {"label": "Reseller", "count": 1},
        {"label": "Refurbisher", "count": 0},
    ]
    assert [r["count"] for r in questions["Welke keurmerken?"]["rows"]] == [3, 1, 1]
    assert questions["Levert u refurbished?"]["rows"] == [
        {"label": "Ja", "count": 2},
        {"label": "Nee", "count": 1},
    ]
    assert questions["Levertijd?"]["stats"] == {
        "count": 3, "min": "10", "median": "15,5", "max": "20",
    }  # fmt: skip
    assert questions["Levertijd?"]["unit"] == "werkdagen"
    dates = questions["Leverbaar vanaf?"]["stats"]
    assert (str(dates["min"]), str(dates["median"]), str(dates["max"])) == (
        "2027-03-01", "2027-04-01", "2027-06-01",
    )  # fmt: skip
    # Prices stay out of the public report by default.
    assert questions["Indicatieve prijs?"]["prices_left_out"] is True
    assert "prices" not in questions["Indicatieve prijs?"]
    assert questions["Uw brochure"]["files"] == 2
    zilvermeeuw = letter_of(report, reviewed, "zilvermeeuw")
    kraanvogel = letter_of(report, reviewed, "kraanvogel")
    assert questions["Wat is uw visie?"]["texts"] == sorted(
        [
            {
                "supplier": f"Leverancier {zilvermeeuw}",
                "order": (1, zilvermeeuw),
                "text": "Wij zien circulaire laptops als de toekomst.",
            },
            {
                "supplier": f"Leverancier {kraanvogel}",
                "order": (1, kraanvogel),
                "text": "Wij leveren binnen tien dagen.",
            },
        ],
        key=lambda t: t["order"],
    )
    assert [t["text"] for t in questions["Naam van uw product?"]["texts"]] == [
        "Een laptop van 14 inch."
    ]
    assert_anonymous(render_html(document.TEMPLATE, context), reviewed)


@pytest.mark.django_db
def test_rendering_is_idempotent_and_stable(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    first = services.report_render(report_id=report.pk)
    assert first.status == R.DONE and first.generated_at is not None
    content = first.file.read()
    first.file.close()
    assert content.startswith(b"%PDF-")
    assert first.sha256 == hashlib.sha256(content).hexdigest()

    again = services.report_render(report_id=report.pk)
    assert (again.file.name, again.sha256, again.generated_at) == (
        first.file.name,
        first.sha256,
        first.generated_at,
    )
    # Forced to render again (a redelivered task), the stored pseudonyms give the same bytes.
    ConsultationReport.objects.filter(pk=report.pk).update(status=R.RENDERING)
    assert services.report_render(report_id=report.pk).sha256 == first.sha256


@pytest.mark.django_db
def test_the_last_failed_attempt_marks_the_report_failed(reviewed, project_team_user, monkeypatch):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])

    def broken(template_name, context):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("portal.pdf.render_pdf", broken)
    result = report_render_task.apply(args=(report.pk,), retries=report_render_task.max_retries)
    assert result.failed()
    report.refresh_from_db()
    assert report.status == R.FAILED
    assert "could not lay out the page" in report.error
    assert (report.file.name, report.sha256) == ("", "")


@pytest.mark.django_db
def test_the_colophon_shows_version_date_and_change_note(reviewed, project_team_user):
    from django.utils import dateformat, translation

    consultation = reviewed["consultation"]
    first = services.report_request(actor=project_team_user, consultation=consultation)
    second = services.report_request(
        actor=project_team_user,
        consultation=consultation,
        change_note="Antwoord over levertijden aangevuld.",
    )
    with translation.override("nl"):
        day = dateformat.format(timezone.localtime(second.requested_at), "j F Y")
    text = pdf_text(services.report_render(report_id=second.pk).file.path)
    assert (
        f"Colofon Versie 2 Datum {day} Wijziging in deze versie "
        "Antwoord over levertijden aangevuld." in text
    )
    assert_anonymous(text, reviewed)
    text = pdf_text(services.report_render(report_id=first.pk).file.path)
    assert "Colofon Versie 1" in text and "Wijziging in deze versie Eerste versie" in text


# --- The real worker --------------------------------------------------------------------------


@pytest.mark.celery
def test_worker_renders_an_anonymous_report(celery_worker, project_team_user, personas):
    consultation, categories = build_consultation(project_team_user)
    suppliers = {s["key"]: make_supplier(s) for s in [*SUPPLIERS, DRAFT_SUPPLIER]}
    for data in SUPPLIERS:
        answer(consultation, suppliers[data["key"]], categories)
    answer(consultation, suppliers["grutto"], categories, submit=False)
    close(consultation, project_team_user)
    review_all(consultation, project_team_user)
    world = {"consultation": consultation, "suppliers": suppliers}

    with transaction.atomic():
        report = services.report_request(actor=project_team_user, consultation=consultation)

    def finished():
        report.refresh_from_db()
        if report.status == R.FAILED:
            pytest.fail(f"Rendering failed: {report.error}\n{celery_worker.log()}")
        return report.status == R.DONE

    celery_worker.wait_for(finished, timeout=90, what="the consultation report")
    assert "consultations.report_render_task[" in celery_worker.log(since_start_of_test=True)
    content = report.file.read()
    report.file.close()
    assert report.sha256 == hashlib.sha256(content).hexdigest()

    text = pdf_text(report.file.path)
    assert "Verslag van de marktconsultatie" in text
    assert "Marktconsultatie werkplek 2028" in text
    for letter in ("A", "B", "C"):
        assert f"Leverancier {letter}" in text
    assert "Leverancier D" not in text  # the draft has no pseudonym
    assert "Leveranciers die de vragenlijst hebben ingediend 3" in text
    # Closed questions as counts (table rows), statistics with the unit, prices, files.
    assert "Fabrikant 2 Reseller 1 Refurbisher 0" in text
    assert "TCO Certified 3 EPEAT 1 Energielabel A 1" in text
    assert "Ja 2 Nee 1" in text
    assert "10 15,5 20 werkdagen" in text
    assert "1 maart 2027 1 april 2027 1 juni 2027" in text
    assert "Prijzen staan niet in de openbare versie van dit verslag." in text
    assert "€" not in text  # prices stay out of the public report by default
    assert "2 bestanden ontvangen" in text
    # Open answers: only the reviewed texts that were included, under the right pseudonym.
    zilvermeeuw = letter_of(report, world, "zilvermeeuw")
    kraanvogel = letter_of(report, world, "kraanvogel")
    assert f"Leverancier {zilvermeeuw} Wij zien circulaire laptops als de toekomst." in text
    assert f"Leverancier {kraanvogel} Wij leveren binnen tien dagen." in text
    assert f"Leverancier {zilvermeeuw} Een laptop van 14 inch." in text
    assert "tweede leven" not in text  # left out by the review
    assert_anonymous(text, world)

    info = pdf_info(report.file.path)
    assert "Title: Verslag marktconsultatie – Marktconsultatie werkplek 2028" in " ".join(
        info.split()
    )
    assert "Author: Vereniging van Nederlandse Gemeenten" in " ".join(info.split())
    assert_anonymous(info, world)
    for person in (project_team_user.name, project_team_user.email):
        assert person not in info and person not in text
