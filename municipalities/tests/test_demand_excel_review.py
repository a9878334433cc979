"""The review of an uploaded workbook shows what taking it over changes (old → new, and how
many values stay), and taking over a submitted inventory never hides that it becomes a draft:
it says so, or takes over and submits in one step."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from municipalities.models import Demand, DemandVersion
from municipalities.selectors import demand_scope, service_slugs
from municipalities.services.demand import demand_submit
from municipalities.tests.excel_helpers import (
    SHEET,
    coordinate,
    download,
    edit,
    row_of,
    upload,
    urls,
)
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import (
    demand as demand,
)
from municipalities.tests.excel_helpers import (
    editor as editor,
)
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _changed_workbook(editor, demand) -> bytes:
    def fill(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, "laptop", "q:2028")] = 1500  # was 7
        sheet[coordinate(sheet, "desktop", "q:2029")] = 3  # was nothing
        sheet[coordinate(sheet, "laptop", "remark")] = "Inclusief tassen"
        sheet.cell(row=row_of(sheet, "medewerkers"), column=3, value=1000)

    return edit(download(editor, demand), fill)


def _value_count(demand) -> int:
    municipalities, categories, years = demand_scope(demand)
    assert service_slugs()
    # Per municipality: workplaces and employees; per category: quantity, minimum and
    # maximum per year, the services and the remark.
    return len(municipalities) * (2 + len(categories) * (3 * len(years) + 2))


def test_review_lists_each_changed_value_old_to_new_and_counts_the_unchanged(editor, demand):
    response = upload(editor, demand, _changed_workbook(editor, demand))

    assert response.status_code == 200
    page = response.content.decode()
    rows = [
        _text(row)
        for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)
        if "<del>" in row
    ]
    assert len(rows) == 4
    joined = " | ".join(rows)
    assert re.search(r"Laptop\w* 2028 .*nu: 7 .*nieuw: 1\.500", joined), joined
    assert re.search(r"Desktop\w* 2029 .*nu: 0 .*nieuw: 3", joined), joined
    assert re.search(r"opmerking .*nu: – .*nieuw: Inclusief tassen", joined), joined
    assert re.search(r"Aantal medewerkers .*nu: – .*nieuw: 1\.000", joined), joined
    unchanged = _value_count(demand) - 4
    assert f"4 waarden veranderen; {unchanged} waarden blijven gelijk." in _text(page)
    assert DemandVersion.objects.filter(demand=demand).count() == 0


def test_unchanged_file_says_nothing_changes(editor, demand):
    response = upload(editor, demand, download(editor, demand))

    page = _text(response.content.decode())
    assert "0 waarden veranderen" in page
    assert "Uw bestand bevat dezelfde gegevens" in page
    assert "Overnemen verandert niets" in page
    assert "<del>" not in page


def _submitted(demand, editor_a) -> DemandVersion:
    version = demand_submit(actor=editor_a, demand=demand, revision=demand.revision)
    demand.refresh_from_db()
    return version


def test_taking_over_a_submitted_inventory_says_it_must_be_submitted_again(
    editor, demand, editor_a
):
    _submitted(demand, editor_a)
    review = upload(editor, demand, _changed_workbook(editor, demand))
    assert 'id="resubmit-notice"' in review.content.decode()
    assert "Overnemen en indienen" in review.content.decode()

    response = editor.post(urls(demand)["demand-excel-apply"], {"action": "draft"})

    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == Demand.Status.DRAFT
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1
    level, text = shown[0]
    assert level == "warning"  # not a green "saved" over a status change
    assert "opnieuw indienen" in text


def test_take_over_and_submit_makes_a_new_version_in_one_step(editor, demand, editor_a):
    first = _submitted(demand, editor_a)
    upload(editor, demand, _changed_workbook(editor, demand))

    response = editor.post(urls(demand)["demand-excel-apply"], {"action": "submit"})

    demand.refresh_from_db()
    assert demand.status == Demand.Status.SUBMITTED
    version = DemandVersion.objects.get(demand=demand, number=first.number + 1)
    assert version.source == "excel"
    laptop = [line for line in version.lines.all() if line.category.slug == "laptop"]
    assert [(line.year, line.quantity) for line in laptop] == [(2028, 1500)]
    assert response["Location"] == reverse(
        "municipalities:demand-submitted", args=[demand.public_id, version.number]
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="demand.").values_list("action", flat=True)
    )
    assert actions.count("demand.submitted") == 2 and "demand.saved" in actions


def test_take_over_and_submit_after_someone_else_saved_stores_nothing(editor, demand, admin_a):
    from municipalities.demand_data import DemandData
    from municipalities.services.demand import demand_save_draft

    upload(editor, demand, _changed_workbook(editor, demand))
    demand_save_draft(actor=admin_a, demand=demand, revision=demand.revision, data=DemandData())

    response = editor.post(urls(demand)["demand-excel-apply"], {"action": "submit"})

    assert response.status_code == 409
    assert not DemandVersion.objects.filter(demand=demand).exists()
