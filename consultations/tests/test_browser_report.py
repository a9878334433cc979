"""The anonymised report in a real Chromium, every page axe-checked: the project team has the
report generated (a real Celery worker renders it while the page polls its status), publishes
it, and an anonymous visitor downloads it from the public page."""

from __future__ import annotations

import subprocess

import pytest

from consultations.models import ConsultationReport
from consultations.tests.report_helpers import (
    DRAFT_SUPPLIER,
    MANAGE,
    PUBLIC,
    SUPPLIERS,
    answer,
    assert_anonymous,
    build_consultation,
    close,
    make_supplier,
    review_all,
)
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


@pytest.mark.celery
def test_project_team_generates_and_publishes_the_report(
    visitor, celery_worker, project_team_user, tmp_path
):
    consultation, categories = build_consultation(project_team_user)
    suppliers = {s["key"]: make_supplier(s) for s in [*SUPPLIERS, DRAFT_SUPPLIER]}
    for data in SUPPLIERS:
        answer(consultation, suppliers[data["key"]], categories)
    close(consultation, project_team_user)
    review_all(consultation, project_team_user)
    page = visitor.page

    # The project team generates the report; the row updates itself until the worker is done.
    log_in_browser(visitor, project_team_user)
    visitor.goto(MANAGE)
    click_and_wait(visitor, page.get_by_role("button", name="Verslag maken"))
    assert (
        "Versie 1 van het verslag wordt gemaakt." in page.locator(".portal-messages").inner_text()
    )
    page.get_by_role("link", name="Versie 1 downloaden (PDF)").wait_for(timeout=90_000)
    visitor.check()
    report = ConsultationReport.objects.get()
    assert report.status == ConsultationReport.Status.DONE

    # Publishing puts it on the public page.
    click_and_wait(visitor, page.get_by_role("button", name="Versie 1 publiceren"))
    assert (
        "Versie 1 van het verslag is gepubliceerd." in page.locator(".portal-messages").inner_text()
    )
    report.refresh_from_db()
    assert report.is_published

    # An anonymous visitor downloads it.
    page.context.clear_cookies()
    visitor.goto(PUBLIC)
    main = page.locator("main")
    assert main.get_by_role("heading", name="Verslag van de marktconsultatie").count() == 1
    with page.expect_download() as download:
        main.get_by_role("link", name="Verslag van de marktconsultatie (PDF").click()
    path = tmp_path / "verslag.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == f"verslag-{consultation.slug}-v1.pdf"
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    text = " ".join(out.stdout.decode("utf-8").split())
    assert "Leverancier A" in text and "Leverancier C" in text
    assert_anonymous(text, {"suppliers": suppliers})


@pytest.mark.celery
def test_a_failed_version_is_retried_and_a_new_version_says_what_changed(
    visitor, celery_worker, project_team_user
):
    from consultations.models import ConsultationResponse
    from consultations.selectors.report_document import pseudonym_letters
    from consultations.tests.report_helpers import pdf_text

    consultation, categories = build_consultation(project_team_user)
    suppliers = {s["key"]: make_supplier(s) for s in SUPPLIERS}
    for data in SUPPLIERS:
        answer(consultation, suppliers[data["key"]], categories)
    close(consultation, project_team_user)
    review_all(consultation, project_team_user)
    # Version 1 failed after its last attempt (as the task leaves it).
    submitted = ConsultationResponse.objects.filter(consultation=consultation).order_by("pk")
    failed = ConsultationReport.objects.create(
        consultation=consultation,
        number=1,
        status=ConsultationReport.Status.FAILED,
        error="OSError: WeasyPrint gave up",
        pseudonyms={str(r.pk): pseudonym_letters(i) for i, r in enumerate(submitted)},
        requested_by=project_team_user,
    )
    page = visitor.page

    log_in_browser(visitor, project_team_user)
    visitor.goto(MANAGE)
    row = page.locator(f"#report-{failed.public_id}")
    assert "Mislukt" in row.inner_text()
    click_and_wait(visitor, row.get_by_role("button", name="Opnieuw proberen (versie 1)"))
    assert (
        "Versie 1 van het verslag wordt opnieuw gemaakt."
        in page.locator(".portal-messages").inner_text()
    )
    page.get_by_role("link", name="Versie 1 downloaden (PDF)").wait_for(timeout=90_000)
    visitor.check()
    failed.refresh_from_db()
    assert (failed.status, failed.error) == (ConsultationReport.Status.DONE, "")
    assert ConsultationReport.objects.count() == 1

    # A new version without a change note is refused, with the error next to the field.
    new_version = page.get_by_role("button", name="Nieuwe versie van het verslag maken")
    click_and_wait(visitor, new_version)
    field = page.get_by_label("Wat is er anders in deze versie?")
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        page.locator("#id_report_change_note-error").inner_text()
        == "Geef aan wat er in deze versie anders is."
    )
    assert ConsultationReport.objects.count() == 1

    field.fill("Antwoord over levertijden aangevuld.")
    click_and_wait(visitor, new_version)
    assert (
        "Versie 2 van het verslag wordt gemaakt." in page.locator(".portal-messages").inner_text()
    )
    page.get_by_role("link", name="Versie 2 downloaden (PDF)").wait_for(timeout=90_000)
    visitor.check()
    second = ConsultationReport.objects.get(number=2)
    assert (
        "Antwoord over levertijden aangevuld."
        in page.locator(f"#report-{second.public_id}").inner_text()
    )
    text = pdf_text(second.file.path)
    assert "Wijziging in deze versie Antwoord over levertijden aangevuld." in text
