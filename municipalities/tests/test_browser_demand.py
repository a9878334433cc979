"""Demand journeys in a real Chromium, every page axe-checked."""

from __future__ import annotations

import pytest

from catalog.models import Category
from catalog.services import catalog_load_reference
from municipalities.models import DemandLine, DemandVersion, Participation
from municipalities.services.demand import demand_for_participation
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demand(participation_a):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status="approved")
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


def submit(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_fill_by_keyboard_save_submit_revise_and_diff(visitor, demand, municipalities, editor_a):
    page = visitor.page
    m = municipalities["a"]
    laptop = Category.objects.get(slug="laptop")
    log_in_browser(visitor, editor_a)
    visitor.goto(f"/inventarisatie/{demand.public_id}/")

    # Keyboard only: focus the first cell, type, Tab to the next year, type.
    first = page.locator(f"#f-q-{m.pk}-{laptop.pk}-2028")
    first.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1.200")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"f-q-{m.pk}-{laptop.pk}-2029"
    page.keyboard.press("Control+A")
    page.keyboard.type("300")
    # The accessible name of a cell is its row and column header.
    label = first.evaluate(
        "el => el.getAttribute('aria-labelledby').split(' ')"
        ".map(id => document.getElementById(id).textContent.trim()).join(' ')"
    )
    assert "Laptops" in label and "2028" in label

    submit(visitor, page.get_by_role("button", name="Concept opslaan"))
    assert DemandLine.objects.get(category=laptop, year=2028).quantity == 1200
    assert page.locator(f"#f-q-{m.pk}-{laptop.pk}-2029").input_value() == "300"

    # A mistake: the error is shown next to the cell and in the summary; nothing is stored.
    page.locator(f"#f-q-{m.pk}-{laptop.pk}-2030").fill("-4")
    submit(visitor, page.get_by_role("button", name="Concept opslaan"))
    assert page.title().startswith("Fout: ")
    assert page.evaluate("document.activeElement.classList.contains('portal-error-summary')")
    assert page.locator(f"#f-q-{m.pk}-{laptop.pk}-2030").get_attribute("aria-invalid") == "true"
    assert not DemandLine.objects.filter(category=laptop, year=2030, quantity=4).exists()
    page.locator(f"#f-q-{m.pk}-{laptop.pk}-2030").fill("50")

    submit(visitor, page.get_by_role("button", name="Controleren en versturen"))
    submit(visitor, page.get_by_role("button", name="Behoefte versturen"))
    assert DemandVersion.objects.get(demand=demand).number == 1

    # Revise and submit again, then see the difference.
    visitor.goto(f"/inventarisatie/{demand.public_id}/")
    page.locator(f"#f-q-{m.pk}-{laptop.pk}-2028").fill("1500")
    submit(visitor, page.get_by_role("button", name="Controleren en versturen"))
    submit(visitor, page.get_by_role("button", name="Behoefte versturen"))
    assert DemandVersion.objects.filter(demand=demand).count() == 2
    visitor.goto(f"/inventarisatie/{demand.public_id}/versies")
    submit(visitor, page.get_by_role("link", name="Wijzigingen in versie 2"))
    table = page.locator("main table").inner_text()
    assert "1200" in table.replace(".", "") and "1500" in table.replace(".", "")
    assert "+300" in table


def _download_workbook(visitor, demand) -> bytes:
    page = visitor.page
    visitor.goto(f"/inventarisatie/{demand.public_id}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excelbestand downloaden (.xlsx)").click()
    return open(info.value.path(), "rb").read()


def _upload(visitor, demand, content: bytes, tmp_path) -> None:
    page = visitor.page
    visitor.goto(f"/inventarisatie/{demand.public_id}/excel-uploaden")
    path = tmp_path / "inventarisatie.xlsx"
    path.write_bytes(content)
    page.locator("input[type=file]").set_input_files(str(path))
    submit(visitor, page.get_by_role("button", name="Bestand uploaden"))


def _check_at(visitor, width: int) -> None:
    """The page axe-checked at ``width`` CSS px."""
    visitor.page.set_viewport_size({"width": width, "height": 900})
    visitor.check()


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_upload_a_changed_spreadsheet_review_old_to_new_and_submit(
    visitor, demand, municipalities, editor_a, tmp_path
):
    from municipalities.services.demand import demand_submit
    from municipalities.tests.test_demand_excel import SHEET, coordinate, edit

    page = visitor.page
    laptop = Category.objects.get(slug="laptop")
    DemandLine.objects.create(
        demand=demand, municipality=municipalities["a"], category=laptop, year=2029, quantity=7
    )
    demand_submit(actor=editor_a, demand=demand, revision=demand.revision)
    log_in_browser(visitor, editor_a)
    content = _download_workbook(visitor, demand)

    def fill(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, "laptop", "q:2029")] = 1640
        sheet[coordinate(sheet, "monitor", "q:2030")] = 75

    _upload(visitor, demand, edit(content, fill), tmp_path)
    # What taking over would change is listed, old -> new; nothing is stored yet.
    assert page.get_by_role("heading", level=1).inner_text() == "Controleer de ingelezen gegevens"
    assert "2 waarden veranderen" in page.locator("#changes-count").inner_text()
    table = page.get_by_role("table", name="Gewijzigde waarden")
    rows = [" ".join(r.split()) for r in table.locator("tbody tr").all_inner_texts()]
    assert any("Laptops 2029" in r and "7" in r and "1.640" in r for r in rows), rows
    assert any("Monitor" in r and "2030" in r and "0" in r and "75" in r for r in rows), rows
    assert page.locator("#resubmit-notice").is_visible()
    assert not DemandLine.objects.filter(quantity=1640).exists()
    for width in (375, 320):
        _check_at(visitor, width)
        assert not _scrolls_sideways(page), width
    _check_at(visitor, 1280)

    submit(visitor, page.get_by_role("button", name="Overnemen en indienen"))
    assert DemandLine.objects.get(category=laptop, year=2029).quantity == 1640
    assert DemandLine.objects.get(category__slug="monitor", year=2030).quantity == 75
    version = DemandVersion.objects.get(demand=demand, number=2)
    assert version.source == "excel"
    assert f"/ontvangen/{version.number}" in page.url


def test_upload_a_broken_spreadsheet_shows_cells_and_stores_nothing(
    visitor, demand, municipalities, editor_a, tmp_path
):
    from municipalities.tests.test_demand_excel import SHEET, coordinate, edit

    page = visitor.page
    log_in_browser(visitor, editor_a)
    content = _download_workbook(visitor, demand)
    cells = {}

    def break_it(workbook):
        sheet = workbook[SHEET]
        cells["negative"] = coordinate(sheet, "laptop", "q:2028")
        cells["formula"] = coordinate(sheet, "desktop", "q:2029")
        sheet[cells["negative"]] = -5
        sheet[cells["formula"]] = "=2*3"

    before = DemandLine.objects.count()
    _upload(visitor, demand, edit(content, break_it), tmp_path)
    assert page.title().startswith("Fout: ")
    table = page.locator("main table").inner_text()
    assert f"{cells['negative']}" in table and f"{cells['formula']}" in table
    assert "Vul 0 of meer in" in table
    assert "formule" in table.lower()
    assert DemandLine.objects.count() == before
