"""The documents that list every authority (the annex of participating authorities and the
parties of the draft framework agreement) print the list as one list item of plain text per
authority, never as a table (templates/pdf/tender/_authority_list.html): a table row of four
cells costs WeasyPrint about three times as much. Every authority is still there, once, in
order, with its identifier; the PDF is still tagged and Dutch."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from portal.pdf import render_html, render_pdf
from tenders.documents.render import TEMPLATES, pdf_context
from tenders.models import DocumentVersion, TenderDocument
from tenders.tests.documents_helpers import pdf_info, pdf_objects, pdf_text

K = TenderDocument.Kind
COUNT = 97


class Lists(HTMLParser):
    """The items of each ``ul.authority-list`` as texts, and every table's class."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: list[list[str]] = []
        self.tables: list[str] = []
        self.item: list[str] | None = None
        self.tags_in_items: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.item is not None:
            self.tags_in_items.append(tag)
        if tag == "ul" and "authority-list" in (dict(attrs).get("class") or "").split():
            self.lists.append([])
        elif tag == "li" and self.lists:
            self.item = []
        elif tag == "table":
            self.tables.append(dict(attrs).get("class") or "")

    def handle_data(self, data):
        if self.item is not None:
            self.item.append(data)

    def handle_endtag(self, tag):
        if tag == "li" and self.item is not None:
            self.lists[-1].append("".join(self.item).strip())
            self.item = None


def authority(n: int) -> dict:
    return {
        "name": f"Gemeente Proef {n:03d}",
        "kind": "Gemeente",
        "scheme": "CBS-code",
        "identifier": f"GM{n:04d}",
        "on_behalf_of": ["Gemeente Mee", "Gemeente Ook"] if n == 5 else [],
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


def lists(kind: str, inputs: dict) -> Lists:
    parser = Lists()
    parser.feed(render_html(TEMPLATES[kind], pdf_context(version(kind, inputs))))
    return parser


def line(a: dict, *, on_behalf: bool) -> str:
    text = f"{a['name']} · Gemeente · CBS-code\xa0{a['identifier']}"
    if on_behalf and a["on_behalf_of"]:
        text += " · namens " + ", ".join(a["on_behalf_of"])
    return text


def test_the_annex_lists_every_authority_as_one_item_of_plain_text():
    found = lists(K.AUTHORITIES, ANNEX)
    lot_1 = [line(a, on_behalf=True) for a in AUTHORITIES]
    # Lot 3 has none: no list, a sentence that says so.
    assert found.lists == [lot_1, lot_1[:3]]
    assert found.tags_in_items == []  # plain text: no inline boxes per item
    assert not [t for t in found.tables if "data" in t.split()]
    html = render_html(TEMPLATES[K.AUTHORITIES], pdf_context(version(K.AUTHORITIES, ANNEX)))
    assert "Geen aanbestedende diensten." in html
    assert f"{COUNT} aanbestedende diensten" in html
    assert "namens Gemeente Mee, Gemeente Ook" in html


def test_the_agreement_lists_every_party_as_one_item_of_plain_text():
    found = lists(K.AGREEMENT, AGREEMENT)
    assert found.lists == [[line(a, on_behalf=False) for a in AUTHORITIES]]
    assert found.tags_in_items == []


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
        assert text.count(a["identifier"]) == expected, a["identifier"]
    assert b"/Lang (nl)" in pdf_objects(content)
    assert re.search(r"Tagged:\s+yes", pdf_info(path))
