"""The anonymised report in a real Chromium, every page axe-checked: the project team has the
report generated (a real Celery worker renders it while the page polls its status), publishes
it, and an anonymous visitor downloads it from the public page."""

from __future__ import annotations

import subprocess

import pytest

from tenders.models import ConsultationReport
from tenders.tests.test_report import (
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
