"""The documents that list every authority (the annex of participating authorities and the
parties of the draft framework agreement) print the list as many small tables with the same
fixed columns, never as one table over many pages (tenders.documents.render.ROWS_PER_TABLE).
Every authority is still there, once, in order, with its identifier; the PDF is still tagged
and Dutch."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from portal.pdf import render_html, render_pdf
from tenders.documents.render import ROWS_PER_TABLE, TEMPLATES, pdf_context, table_chunks
from tenders.models import DocumentVersion, TenderDocument
from tenders.tests.documents_helpers import pdf_info, pdf_objects, pdf_text

K = TenderDocument.Kind
COUNT = 3 * ROWS_PER_TABLE + 7


class Tables(HTMLParser):
    """Per table: whether it sets its columns (colgroup), its header cells, and its body rows
    as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.part = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(
                {"class": dict(attrs).get("class", ""), "cols": 0, "head": [], "rows": []}
            )
        elif tag == "col":
            self.tables[-1]["cols"] += 1
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.tables:
            text = "".join(self.cell).strip()
            table = self.tables[-1]
            (table["head"] if self.part == "thead" else table["rows"][-1]).append(text)
            self.cell = None


def authority(n: int) -> dict:
    return {
        "name": f"Gemeente Proef {n:03d}",
        "kind": "Gemeente",
        "scheme": "CBS-code",
        "identifier": f"GM{n:04d}",
        "on_behalf_of": [],
    }


def version(kind: str, inputs: dict) -> DocumentVersion:
    """An unsaved version: rendering reads only its inputs, number, date and kind."""
    when = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Europe/Amsterdam"))
    document = TenderDocument(kind=kind)
    return DocumentVersion(document=document, number=1, inputs=inputs, requested_at=when)


HEADER = {"format": 1, "reference": "VNG-GT-PROEF", "title": "GT Proef", "programme": "GT"}
AUTHORITIES = [authority(n) for n in range(COUNT)]
ANNEX = {
    **HEADER,
    "lots": [
        {"number": 1, "title": "Werkplek", "authorities": AUTHORITIES},
        {"number": 2, "title": "Mobiel", "authorities": AUTHORITIES[:3]},
        {"number": 3, "title": "Leeg", "authorities": []},
    ],
}
AGREEMENT = {
    **HEADER,
    "parties": AUTHORITIES,
    "contract_start": "3 januari 2028",
    "contract_years": 4,
    "extension_years": 0,
    "lots": [],
}


def tables(kind: str, inputs: dict) -> list[dict]:
    parser = Tables()
    parser.feed(render_html(TEMPLATES[kind], pdf_context(version(kind, inputs))))
    return [table for table in parser.tables if "list" in table["class"].split()]


def test_chunks_keep_every_row_in_order():
    rows = list(range(2 * ROWS_PER_TABLE + 1))
    chunks = table_chunks(rows)
    assert [len(chunk) for chunk in chunks] == [ROWS_PER_TABLE, ROWS_PER_TABLE, 1]
    assert [row for chunk in chunks for row in chunk] == rows
    assert table_chunks([]) == [[]]  # one table that says there are none


def test_the_annex_lists_every_authority_in_small_tables_with_fixed_columns():
    found = tables(K.AUTHORITIES, ANNEX)
    assert all(len(table["rows"]) <= ROWS_PER_TABLE for table in found)
    assert all(table["cols"] == 4 for table in found)  # fixed widths, set by the columns
    assert all(table["head"] == ["Naam", "Soort", "Kenmerk", "Namens"] for table in found)
    rows = [row for table in found for row in table["rows"]]
    lot_1 = [[a["name"], "Gemeente", f"CBS-code {a['identifier']}", "–"] for a in AUTHORITIES]
    assert rows == lot_1 + lot_1[:3] + [["Geen aanbestedende diensten."]]
    assert len(found) == 4 + 1 + 1


def test_the_agreement_lists_every_party_in_small_tables_with_fixed_columns():
    found = tables(K.AGREEMENT, AGREEMENT)
    assert len(found) == 4
    assert all(len(table["rows"]) <= ROWS_PER_TABLE for table in found)
    assert all(table["cols"] == 3 for table in found)
    assert all(table["head"] == ["Naam", "Soort", "Kenmerk"] for table in found)
    rows = [row for table in found for row in table["rows"]]
    assert rows == [[a["name"], "Gemeente", f"CBS-code {a['identifier']}"] for a in AUTHORITIES]


@pytest.mark.parametrize(("kind", "inputs"), [(K.AUTHORITIES, ANNEX), (K.AGREEMENT, AGREEMENT)])
def test_the_pdf_has_every_authority_once_tagged_and_in_dutch(tmp_path, kind, inputs):
    path = tmp_path / "document.pdf"
    content = render_pdf(TEMPLATES[kind], pdf_context(version(kind, inputs)))
    path.write_bytes(content)
    text = pdf_text(path)
    times = 2 if kind == K.AUTHORITIES else 1  # the annex: lots 1 and 2 share the first three
    for n, a in enumerate(AUTHORITIES):
        expected = times if n < 3 else 1
        assert text.count(a["name"]) == expected, a["name"]
        assert text.count(f"CBS-code {a['identifier']}") == expected, a["identifier"]
    assert b"/Lang (nl)" in pdf_objects(content)
    assert re.search(r"Tagged:\s+yes", pdf_info(path))
