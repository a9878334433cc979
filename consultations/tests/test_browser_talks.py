"""1-on-1 talks in a real Chromium, every page axe-checked: the project team offers talks, a
supplier books one with the keyboard, the project team attaches the minutes after the talk
and the supplier downloads them."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from consultations.models import TalkSlot
from consultations.tests.talks_helpers import PDF, SLUG, make_consultation
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_check(visitor, locator) -> None:
    # Wait for the navigation the click starts, not for the page that is already loaded.
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_talk_from_offer_to_minutes(
    visitor, project_team_user, supplier_x, supplier_x_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation(project_team_user)
    page = visitor.page

    # The project team offers three talks of 45 minutes; an empty form is refused first.
    log_in_browser(visitor, project_team_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/beheer")
    click_and_check(visitor, page.get_by_role("link", name="Gesprekken beheren"))
    click_and_check(visitor, page.get_by_role("button", name="Gesprekken toevoegen"))
    assert page.locator(".portal-error-summary").count() == 1
    assert page.locator("#id_date-error").count() == 1
    day = timezone.localdate() + timedelta(days=3)
    page.fill("#id_date", day.strftime("%d-%m-%Y"))
    page.fill("#id_time", "10:00")
    page.fill("#id_length_minutes", "45")
    page.fill("#id_count", "3")
    page.fill("#id_location", "VNG, Den Haag")
    click_and_check(visitor, page.get_by_role("button", name="Gesprekken toevoegen"))
    assert consultation.talk_slots.count() == 3
    assert "10:45 tot 11:30 uur" in page.locator("main").inner_text()

    # The supplier finds the talks from its answers and books the second one by keyboard.
    log_in_browser(visitor, supplier_x_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/antwoorden")
    click_and_check(
        visitor, page.get_by_role("link", name="Boek een 1-op-1-gesprek met het projectteam")
    )
    buttons = page.get_by_role("button", name="Boek dit gesprek")
    assert buttons.count() == 3
    buttons.nth(1).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Uw gesprek is geboekt" in main
    assert "Boek dit gesprek" not in main
    slot = TalkSlot.objects.get(organisation=supplier_x)
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") == "10:45"

    # The talk takes place; then the project team attaches the minutes.
    slot.starts_at = timezone.now() - timedelta(hours=2)
    slot.ends_at = slot.starts_at + timedelta(minutes=45)
    slot.save()
    log_in_browser(visitor, project_team_user)
    # The page shows one day at a time: the day of the talk.
    manage = f"/marktconsultaties/{SLUG}/gesprekken/beheer?dag={timezone.localdate(slot.starts_at)}"
    visitor.goto(manage)
    click_and_check(visitor, page.get_by_role("link", name=re.compile("^Verslag toevoegen")))
    page.set_input_files(
        "#id_file", {"name": "verslag.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click_and_check(visitor, page.get_by_role("button", name="Verslag toevoegen"))
    assert page.url.endswith(manage)
    slot.refresh_from_db()
    assert slot.minutes_sha256

    # The supplier downloads them.
    log_in_browser(visitor, supplier_x_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/gesprekken")
    with page.expect_download() as download:
        page.get_by_role("link", name="Verslag downloaden (pdf)").click()
    assert Path(download.value.path()).read_bytes() == PDF
