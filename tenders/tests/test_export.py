from io import BytesIO

import pytest
from openpyxl import load_workbook

from municipalities.models import JointBodyMunicipality, Participation
from municipalities.services import municipality_register_load
from tenders.tests.conftest import participate

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware/deelnemers/export"


def test_export_is_a_workbook_with_one_row_per_municipality(personas, programme, joint_body):
    municipality_register_load()
    from municipalities.models import Municipality

    amsterdam = Municipality.objects.get(cbs_code="GM0363")
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=amsterdam)
    participate(programme, joint_body, [amsterdam], Participation.Status.SUBMITTED)

    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment; filename=")
    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 342
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert len(rows[0]) == 11
    assert rows[0][8:] == (
        "Einde huidig contract",
        "Laatste herinnering",
        "Na een fusie overgenomen van",
    )
    row = next(r for r in rows if r[0] == "GM0363")
    assert row[1] == "Amsterdam"
    assert row[2] == "Noord-Holland"
    assert isinstance(row[3], int)
    assert row[5] == row[6] == "Werkorganisatie Duo"
    assert row[7] is not None
    not_started = next(r for r in rows if r[0] == "GM0014")
    assert not_started[5:] == ("", "", None, None, None, "") or not_started[5:] == (None,) * 6


def test_export_names_the_merged_predecessor_a_participation_was_taken_over_from(
    personas, programme, towns, org_b
):
    from municipalities.models import Municipality

    participate(programme, org_b, [towns["c"]], Participation.Status.APPROVED)
    Municipality.objects.filter(cbs_code__in=["GM9003", "GM9004"]).update(
        valid_until="2027-01-01", successor=towns["b"]
    )
    response = personas["project_team"].client().get(URL)
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    successor = next(r for r in rows if r[0] == "GM9002")
    assert successor[5] == org_b.name
    assert successor[10] == "Cadorp (GM9003)"
    assert next(r for r in rows if r[0] == "GM9001")[10] in ("", None)


def test_export_follows_the_filters(personas, programme, towns):
    response = personas["project_team"].client().get(URL, {"provincie": "Groningen"})
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["GM9002"]


def test_export_needs_the_project_team(personas, programme):
    assert personas["editor_a"].client().get(URL).status_code == 404
    assert personas["anonymous"].client().get(URL).status_code == 302


def test_export_has_contract_end_and_last_reminder_and_follows_the_search(
    personas, programme, towns, org_a
):
    from datetime import date

    from municipalities.models import Participation
    from tenders.models import Reminder
    from tenders.tests.conftest import participate

    participation = participate(programme, org_a, [towns["a"]], Participation.Status.DRAFT)
    participation.current_contract_end = date(2027, 12, 31)
    participation.save()
    Reminder.objects.create(
        programme=programme, organisation=org_a, kind="joining_deadline", days_before=14
    )
    response = personas["project_team"].client().get(URL, {"zoeken": "aadorp"})
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["GM9001"]
    assert rows[1][8].date() == date(2027, 12, 31)
    assert rows[1][9] is not None


def test_the_export_reads_the_register_once_and_a_batch_of_rows_in_a_constant_of_queries(
    personas, programme, joint_body, monkeypatch
):
    """The export runs the overview's sorted query once (read a batch at a time), not a query
    per batch that sorts the whole register again to skip to its offset; the rows of a batch
    are read in a constant number of queries, without a participation's other columns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from municipalities.models import Municipality
    from tenders.selectors import overview_export

    municipality_register_load()
    towns = list(Municipality.objects.order_by("cbs_code")[:30])
    JointBodyMunicipality.objects.bulk_create(
        [JointBodyMunicipality(joint_body=joint_body, municipality=m) for m in towns]
    )
    participate(programme, joint_body, towns, Participation.Status.APPROVED)
    client = personas["project_team"].client()
    client.get(URL)

    def queries(batch: int) -> list[str]:
        monkeypatch.setattr(overview_export, "BATCH", batch)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert len(list(load_workbook(BytesIO(response.getvalue())).active.iter_rows())) == 343
        return [q["sql"] for q in captured.captured_queries]

    few, many = queries(400), queries(100)  # one batch of 342 rows, then four
    # The sorted register is the one query that reads the municipalities' population.
    register = [sql for sql in many if '"municipalities_municipality"."population"' in sql]
    assert len(register) == 1, register
    assert len(many) - len(few) == 3  # per further batch: its coverages
    assert not any('"municipalities_participation"."remarks"' in sql for sql in many)
