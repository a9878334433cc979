"""The confidential Excel export of a consultation's answers: a row per submitted response
and the counts per option, and the guard against formula injection (also over many rows
and many suppliers)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from consultations.models import ConsultationResponse
from consultations.tests.review_helpers import ANSWERS, BASE, new_supplier, respond
from consultations.tests.review_helpers import consultation as consultation
from consultations.tests.review_helpers import profile_x as profile_x
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_excel_export_has_a_row_per_supplier_and_counts(personas, consultation, profile_x):
    respond(
        personas["supplier_x"].user,
        consultation,
        {
            **ANSWERS,
            "naam": '=HYPERLINK("http://example.com","klik")',
            "visie": "@SUM(1+1)",
            "levertijd": "12,5",
        },
    )
    respond(personas["supplier_y"].user, consultation, {**ANSWERS, "naam": "-2+3"})
    _, draft_user = new_supplier("Concept Leverancier")
    respond(draft_user, consultation, submit=False)

    download = personas["project_team"].client().get(f"{BASE}/export.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "vertrouwelijk" in download["Content-Disposition"]
    workbook = load_workbook(BytesIO(download.getvalue()))
    assert workbook.sheetnames == ["Antwoorden", "Vragen", "Aantallen per optie"]

    sheet = workbook["Antwoorden"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Leverancier", "KvK-nummer", "Versie van de vragenlijst", "Ingediend op"]
    assert header[4] == "naam: Naam van uw product?"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Leverancier X B.V.", "Leverancier Y B.V."}  # no draft
    x = rows["Leverancier X B.V."]
    assert x[1].value == "12345678" and x[2].value == 1
    column = {key: index for index, key in enumerate(h.split(":")[0] for h in header)}
    assert x[column["rol"]].value == "Reseller"
    assert x[column["refurb"]].value == "Ja"
    assert float(x[column["levertijd"]].value) == 12.5
    # Formula injection: the text stays text, with Excel's quote prefix.
    for cell, text in [
        (x[column["naam"]], '=HYPERLINK("http://example.com","klik")'),
        (x[column["visie"]], "@SUM(1+1)"),
        (rows["Leverancier Y B.V."][column["naam"]], "-2+3"),
    ]:
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix is True

    counts = [
        [cell.value for cell in row] for row in workbook["Aantallen per optie"].iter_rows(min_row=2)
    ]
    assert ["rol", "Wat is uw rol?", "Reseller", 2, 100] in counts
    assert ["refurb", "Levert u refurbished?", "Nee", 0, 0] in counts
    questions = [cell.value for cell in workbook["Vragen"]["A"]][1:]
    assert questions == ["naam", "visie", "rol", "keurmerk", "refurb", "levertijd"]

    event = AuditEvent.objects.get(action="review.answers_exported")
    assert event.actor == personas["project_team"].user
    assert event.data == {"consultation": "mc-review", "responses": 2}


def test_the_formula_guard_leaves_plain_text_alone(personas, consultation):
    from openpyxl import Workbook

    from portal.spreadsheets import append_row

    sheet = Workbook().active
    append_row(sheet, ["Gewoon", "=1+1", "+31 6 12345678", 5, None])
    cells = list(sheet[1])
    assert cells[0].data_type == "s" and not cells[0].quotePrefix
    assert cells[1].data_type == "s" and cells[1].quotePrefix
    assert cells[2].quotePrefix and cells[3].data_type == "n"


def test_many_rows_keep_their_order_and_the_formula_guard(tmp_path):
    from openpyxl import Workbook

    from consultations.exports import WRAP
    from portal.spreadsheets import SharedStyle, append_row, workbook_file, write_only_sheet

    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, "Antwoorden")
    wrapped = SharedStyle(sheet, alignment=WRAP)
    day = SharedStyle(sheet, number_format="dd-mm-yyyy")
    append_row(sheet, ["Nummer", "Tekst", "Opgemaakt", "Datum"])
    for n in range(1, 1201):
        text = f"=SUM({n}+1)" if n % 3 == 0 else f"Antwoord {n}"
        append_row(
            sheet,
            [
                n,
                text,
                wrapped(f"@{n}" if n % 2 else f"Tekst {n}"),
                # A date in a text style gets a date format of its own, not the style's.
                wrapped(date(2027, 1, 1)) if n % 5 == 0 else day(date(2027, 1, n % 28 + 1)),
            ],
        )
    with workbook_file(workbook) as file:
        reloaded = load_workbook(file).active

    assert reloaded.max_row == 1201
    for row in reloaded.iter_rows(min_row=2):
        n = row[0].value
        assert row[0].row == n + 1  # every row where it belongs
        assert row[1].data_type == "s"
        assert row[1].quotePrefix is (n % 3 == 0)
        assert row[1].value == (f"=SUM({n}+1)" if n % 3 == 0 else f"Antwoord {n}")
        # The guard of one cell with a shared style does not reach the others.
        assert row[2].data_type == "s" and row[2].quotePrefix is (n % 2 == 1)
        assert row[2].alignment.wrap_text is True and row[2].number_format == "General"
        assert row[3].is_date
        assert bool(row[3].alignment.wrap_text) is (n % 5 == 0)
        assert row[3].number_format == ("yyyy-mm-dd" if n % 5 == 0 else "dd-mm-yyyy")


def test_excel_export_with_many_suppliers_guards_every_formula(personas, consultation):
    names = [f"Leverancier {index:02d}" for index in range(12)]
    for index, name in enumerate(names):
        _, user = new_supplier(name)
        respond(
            user,
            consultation,
            {**ANSWERS, "naam": f'=HYPERLINK("http://example.com/{index}")', "visie": f"+{index}"},
        )
    download = personas["project_team"].client().get(f"{BASE}/export.xlsx")
    content = download.getvalue()  # streamed: read once
    sheet = load_workbook(BytesIO(content))["Antwoorden"]
    header = [cell.value.split(":")[0] for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == names
    for index, row in enumerate(rows):
        naam, visie = row[header.index("naam")], row[header.index("visie")]
        assert naam.value == f'=HYPERLINK("http://example.com/{index}")'
        assert visie.value == f"+{index}"
        for cell in (naam, visie):
            assert cell.data_type == "s" and cell.quotePrefix is True
            assert cell.alignment.wrap_text is True
        assert row[3].number_format == "dd-mm-yyyy hh:mm"
    questions = {
        row[0].value: row[6].value
        for row in load_workbook(BytesIO(content))["Vragen"].iter_rows(min_row=2)
    }
    assert questions["naam"] == 12 and questions["levertijd"] == 0


def _clone_responses(template, count: int, start: int) -> None:
    """``count`` more submitted responses like ``template`` (each of a supplier of its own,
    with a long answer text), written in bulk."""
    from consultations.models import Answer, ConsultationResponse
    from portal.models import Organisation

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"bulk-{start + n}",
                name=f"Leverancier {start + n:05d}",
                kind=Organisation.Kind.SUPPLIER,
            )
            for n in range(count)
        ]
    )
    responses = ConsultationResponse.objects.bulk_create(
        [
            ConsultationResponse(
                consultation=template.consultation,
                organisation=organisation,
                version=template.version,
                status=template.status,
                submitted_at=template.submitted_at,
            )
            for organisation in organisations
        ]
    )
    answers = list(template.answers.all())
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question_key=answer.question_key,
                value=f"{answer.value} {'lang antwoord ' * 40}{n}"
                if answer.question_key == "visie"
                else answer.value,
            )
            for n, response in enumerate(responses)
            for answer in answers
        ]
    )


def _export_peak(client, consultation) -> tuple[int, int]:
    """The peak of Python's memory while the export is made and sent, and its rows."""
    import tracemalloc

    tracemalloc.start()
    try:
        download = client.get(f"{BASE}/export.xlsx")
        for chunk in getattr(download, "streaming_content", [b""]):  # as the server sends it
            del chunk
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rows = ConsultationResponse.objects.filter(
        consultation=consultation, status="submitted"
    ).count()
    return peak, rows


def test_the_export_streams_with_memory_flat_in_the_rows(personas, consultation, settings):
    """The export is written a chunk of responses at a time in write-only mode and streamed
    from a temporary file: the peak of Python's memory with four times the responses stays
    within a bound of the peak with one time (it grew with the rows before)."""
    from consultations.selectors import review_export as selectors

    settings.DEBUG = False  # no query log growing with the chunks
    chunk = selectors.EXPORT_CHUNK
    selectors.EXPORT_CHUNK = 100
    try:
        _, user = new_supplier("Leverancier Sjabloon")
        template = respond(user, consultation)
        client = personas["project_team"].client()
        _clone_responses(template, 299, start=0)
        _export_peak(client, consultation)  # first-use costs (imports, caches) not counted
        small, small_rows = _export_peak(client, consultation)
        _clone_responses(template, 900, start=299)
        large, large_rows = _export_peak(client, consultation)
    finally:
        selectors.EXPORT_CHUNK = chunk
    assert (small_rows, large_rows) == (300, 1200)
    # 900 more rows of ~600 bytes of answer text each: held in memory they would add far
    # more than this bound.
    print(f"export peak: {small} bytes at 300 rows, {large} bytes at 1200 rows")
    assert large - small < 400_000, (small, large)


def test_the_counts_per_option_are_tallied_while_the_rows_are_read(
    personas, consultation, monkeypatch
):
    """Read to the end, the rows leave the counts per option tallied: the same counts as the
    GROUP BY over the answers gives (over several chunks, multiple choice, yes/no, a blank
    answer), and no such query runs for them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations.selectors import review_export as selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)
    choices = [("Reseller", ["TCO"], "ja"), ("Fabrikant", ["TCO", "EPEAT"], "nee")]
    for index in range(5):
        _, user = new_supplier(f"Leverancier {index}")
        rol, keurmerk, refurb = choices[index % 2]
        answers = {**ANSWERS, "rol": rol, "refurb": refurb}
        respond(user, consultation, {**answers, "keurmerk": keurmerk} if index < 4 else answers)
    by_group_by = selectors.review_export_data(consultation=consultation).counts()
    data = selectors.review_export_data(consultation=consultation)
    assert len(list(data.rows())) == 5
    with CaptureQueriesContext(connection) as captured:
        tallied = data.counts()
    assert captured.captured_queries == []
    assert tallied == by_group_by
    assert {c.label: c.count for c in tallied["rol"]} == {
        "Fabrikant": 2,
        "Reseller": 3,
        "Refurbisher": 0,
    }
    assert {c.label: c.count for c in tallied["keurmerk"]} == {"TCO": 4, "EPEAT": 2}
    assert tallied["naam"] == tallied["visie"] == []
