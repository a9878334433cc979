# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""A lot's authorities on a public page of their own: every authority of the lot by name, with
its identifier and figures; search by name, identifier or a municipality a joint body covers;
paged when there are many; 404 for a draft tender or a lot it does not have."""

import re

import pytest

from tenders.models import LotAuthority, Tender
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.views.public import AUTHORITIES_PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = "/aanbestedingen/VNG-GT-AGG/percelen/{number}/aanbestedende-diensten"


def row_names(html: str) -> list[str]:
    """The authorities' names in the table, in order (the row headers, without the kind)."""
    body = re.search(r'<tbody class="utrecht-table__body">(.*?)</tbody>', html, re.S)
    assert body
    cells = re.findall(r'<th scope="row"[^>]*>(.*?) <span', body.group(1), re.S)
    return [cell.strip() for cell in cells]


def caption(html: str) -> str:
    found = re.search(r'<caption[^>]*id="authorities-caption">(.*?)</caption>', html, re.S)
    assert found
    return re.sub(r"\s+", " ", found.group(1)).strip()


def add_municipalities(tender: Tender, lot_number: int, count: int) -> None:
    lot = tender.lots.get(number=lot_number).lot
    template = LotAuthority.objects.filter(snapshot=tender.snapshot).first()
    LotAuthority.objects.bulk_create(
        [
            LotAuthority(
                snapshot=tender.snapshot,
                lot=lot,
                kind=LotAuthority.Kind.MUNICIPALITY,
                name=f"Gemeente Extra {i:03d}",
                scheme=LotAuthority.Scheme.CBS,
                identifier=f"GM{8000 + i:04d}",
                participation=template.participation,
            )
            for i in range(count)
        ]
    )


def test_the_page_lists_every_authority_of_the_lot_by_name(setup, personas):
    tender = published_tender(setup, personas)
    for lot in tender.lots.all():
        response = personas["anonymous"].client().get(URL.format(number=lot.number))
        assert response.status_code == 200
        html = response.content.decode()
        expected = list(
            LotAuthority.objects.filter(snapshot=tender.snapshot, lot=lot.lot)
            .order_by("name")
            .values_list("name", flat=True)
        )
        assert expected and row_names(html) == expected
        noun = "organisatie" if len(expected) == 1 else "organisaties"
        assert caption(html) == f"{len(expected)} {noun}"
        assert f"Organisaties van perceel {lot.number}: {lot.title}" in html
        if lot.number == 1:
            assert "CBS-code GM9101" in html
            assert "Roept af voor Cadorp" in html


def test_search_by_name_identifier_or_covered_municipality(setup, personas):
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    url = URL.format(number=1)
    for search, expected in [
        ("aadorp", ["Aadorp"]),  # by name, any case
        ("GM9102", ["Bedum"]),  # by identifier
        ("Cadorp", ["Cadorp", "Werkorganisatie Duo"]),  # and the joint body calling off for it
        ("  werkorganisatie   duo ", ["Werkorganisatie Duo"]),  # spaces are tidied
    ]:
        html = client.get(url, {"zoeken": search}).content.decode()
        assert row_names(html) == expected, search
        matches = (
            "1 organisatie komt" if len(expected) == 1 else f"{len(expected)} organisaties komen"
        )
        assert caption(html) == f"{matches} overeen met “{' '.join(search.split())}”"
    html = client.get(url, {"zoeken": "Zwolle"}).content.decode()
    assert row_names(html) == []
    assert "Geen organisatie van dit perceel komt overeen met uw zoekopdracht." in html
    assert f'href="{url}">Alle organisaties tonen</a>' in html


def test_many_authorities_are_paged_and_the_search_is_kept(setup, personas):
    tender = published_tender(setup, personas)
    add_municipalities(tender, 1, AUTHORITIES_PAGE_SIZE + 10)
    client = personas["anonymous"].client()
    url = URL.format(number=1)
    first = client.get(url).content.decode()
    assert len(row_names(first)) == AUTHORITIES_PAGE_SIZE
    assert "pagina 1 van 2" in caption(first)
    assert 'href="?pagina=2"' in first
    second = client.get(url, {"pagina": 2}).content.decode()
    total = LotAuthority.objects.filter(snapshot=tender.snapshot, lot__number=1).count()
    assert len(row_names(second)) == total - AUTHORITIES_PAGE_SIZE
    assert set(row_names(first)).isdisjoint(row_names(second))
    searched = client.get(url, {"zoeken": "Extra"}).content.decode()
    assert caption(searched).startswith(f"{AUTHORITIES_PAGE_SIZE + 10} organisaties komen")
    assert 'href="?zoeken=Extra&amp;pagina=2"' in searched
    # Another lot is not affected.
    assert "Gemeente Extra" not in client.get(URL.format(number=2)).content.decode()


def test_a_draft_tender_or_an_unknown_lot_is_not_found(setup, personas):
    client = personas["anonymous"].client()
    tender = published_tender(setup, personas)
    assert client.get(URL.format(number=1)).status_code == 200
    assert client.get(URL.format(number=3)).status_code == 404
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.DRAFT)
    assert client.get(URL.format(number=1)).status_code == 404
