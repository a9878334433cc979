# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The aggregation workbook in a real Chromium, every page axe-checked: the team asks for it
with the button, lands on its page while it waits, sees the page update itself when the worker
is done, and downloads it."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tenders.models import ProgrammeExport
from tenders.services.exports import export_make
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_wait_and_download_the_aggregation_workbook(visitor, setup, project_team_user):
    submit(setup, "a", [("GM9101", "laptop", 2028, 200)])
    snapshot = run_now(setup["programme"])
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto(f"/programmas/gt-agg/aggregatie/{snapshot.public_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="Downloaden als Excel").click()
    visitor.check()
    export = ProgrammeExport.objects.get()
    assert page.url.endswith(f"/programmas/gt-agg/exports/{export.public_id}")
    status = page.get_by_role("status")
    assert "De export wacht op zijn beurt." in status.inner_text()
    part = page.locator("#export-status")
    assert part.get_by_role("link").count() == 0

    # The worker makes it (here: this process, as the task would); the page notices by itself.
    export_make(export_id=export.pk)
    link = part.get_by_role("link", name="downloaden", exact=False)
    link.wait_for(timeout=10_000)
    # The live region, which stayed in the page, now says so (and a screen reader with it).
    assert "De export is klaar." in status.inner_text()
    visitor.check()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("aggregatie-gt-agg-")
    # Playwright stores the download without an extension, which openpyxl goes by.
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    contributions = list(workbook.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert [row[7] for row in contributions] == [200]
