# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The public tender page: no login, published or later only, the published figures of each
lot in Dutch number formats, the number of authorities per lot with a link to their own page
(tenders/tests/test_public_lot_authorities.py), the timeline and the open-data link. Its query
count does not grow with the number of authorities: tests/test_query_budgets.py."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.tests.test_degraded_mode import cache_redis  # noqa: F401 - fixture
from tenders.models import LotAuthority, Programme, Tender
from tenders.tests.public_helpers import lot_row_cells, published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/aanbestedingen/VNG-GT-AGG"


def test_the_page_shows_the_published_figures_of_every_lot(setup, personas):
    tender = published_tender(setup, personas)
    response = personas["anonymous"].client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("nl"):
        for lot in tender.lots.all():
            cells = lot_row_cells(html, lot.number)
            assert cells[1:] == [
                floatformat(lot.quantity, "g"),
                floatformat(lot.maximum_quantity, "g"),
                f"€ {floatformat(lot.estimated_value, '2g')}",
                f"€ {floatformat(lot.maximum_value, '2g')}",
                f"€ {floatformat(lot.option_value, '2g')}",
            ]
    # Lot 1 by hand: laptops 110 × € 1.000 and monitors 30 × € 200; 25 % headroom.
    assert lot_row_cells(html, 1)[3:5] == ["€ 116.000,00", "€ 145.000,00"]


@pytest.mark.parametrize("persona", ["anonymous", "supplier_x", "project_team"])
def test_a_draft_tender_is_not_found(setup, personas, persona):
    published_tender(setup, personas, status=Tender.Status.DRAFT)
    client = personas[persona].client()
    assert client.get(URL).status_code == 404
    assert client.get(URL + "/volgen").status_code == 404
    assert client.post(URL + "/volgen", {"email": "a@b.nl"}).status_code == 404
    assert b"VNG-GT-AGG" not in client.get("/aanbestedingen").content


def test_an_unknown_reference_is_not_found(setup, personas):
    published_tender(setup, personas)
    assert personas["anonymous"].client().get("/aanbestedingen/VNG-ONBEKEND").status_code == 404


def test_the_page_counts_the_authorities_per_lot_and_links_their_page(setup, personas):
    tender = published_tender(setup, personas)
    html = personas["anonymous"].client().get(URL).content.decode()
    for lot in tender.lots.all():
        count = LotAuthority.objects.filter(snapshot=tender.snapshot, lot=lot.lot).count()
        item = re.search(rf'<li[^>]*data-lot-authorities="{lot.number}">(.*?)</li>', html, re.S)
        assert item, f"no authorities item for lot {lot.number}"
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item.group(1))).strip()
        noun = "organisatie" if count == 1 else "organisaties"
        assert text == f"Perceel {lot.number}: {lot.title} – {count} {noun}"
        assert f'href="{URL}/percelen/{lot.number}/aanbestedende-diensten"' in item.group(1)
    # The names are on the lots' own pages, not inline: thousands at national scale.
    assert "Werkorganisatie Duo" not in html
    # Each organisation counted once, also when it is named under both lots: Aadorp, Bedum,
    # Cadorp and the joint body that calls off for Cadorp.
    assert "namens 4 organisaties" in html


def _authority_items(html: str) -> list[str]:
    return re.findall(r'data-lot-authorities="\d+">(.*?)</li>', html, re.S)


def _counting_authorities(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(URL).content.decode()
    sqls = [q["sql"] for q in captured.captured_queries]
    return html, [sql for sql in sqls if 'FROM "tenders_lotauthority"' in sql]


def test_the_counts_are_made_once_per_freeze_and_kept(setup, personas):
    """The frozen snapshot's authorities are counted on the first request only; a new freeze
    (new rows, a new moment of freezing) is counted anew, not answered from the old counts."""
    tender = published_tender(setup, personas)
    client = personas["anonymous"].client()
    first, first_counts = _counting_authorities(client)
    again, again_counts = _counting_authorities(client)
    assert len(first_counts) == 2 and again_counts == []
    assert _authority_items(again) == _authority_items(first)
    assert "namens 4 organisaties" in again
    # What snapshot_freeze does when the snapshot is frozen again: new rows, a new frozen_at.
    snapshot = tender.snapshot
    lot = tender.lots.order_by("number").first()
    named = LotAuthority.objects.filter(snapshot=snapshot, lot=lot.lot)
    before = named.count()
    LotAuthority.objects.filter(pk=named.order_by("pk").first().pk).delete()
    snapshot.frozen_at = snapshot.frozen_at + timedelta(minutes=5)
    snapshot.save(update_fields=["frozen_at"])
    refrozen, refrozen_counts = _counting_authorities(client)
    assert len(refrozen_counts) == 2
    text = re.sub(r"<[^>]+>", "", _authority_items(refrozen)[0])
    assert f"– {before - 1} organisaties" in " ".join(text.split())


def test_the_counts_are_made_with_the_cache_down(setup, personas, cache_redis):  # noqa: F811
    """The cache only saves work: with it stopped the page counts again and shows the same."""
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    cache_redis.stop()
    down, down_counts = _counting_authorities(client)
    cache_redis.start()
    up, up_counts = _counting_authorities(client)
    assert len(down_counts) == len(up_counts) == 2
    assert _authority_items(down) == _authority_items(up)
    assert "namens 4 organisaties" in down


def test_timeline_criteria_and_requirements_are_shown(setup, personas):
    published_tender(setup, personas)
    html = personas["anonymous"].client().get(URL).content.decode()
    assert "Uiterste datum voor inschrijvingen" in html and "Verzending van de aankondiging" in html
    assert "feestdag: Tweede paasdag" in html
    assert "Plan van aanpak" in html and "Circulariteit" in html
    assert "TCO Certified." in html and "5% SROI." in html


def test_the_page_announces_its_open_data(setup, personas):
    published_tender(setup, personas)
    html = personas["anonymous"].client().get(URL).content.decode()
    assert f'<link rel="alternate" type="application/json" href="{URL}/ocds.json"' in html
    assert f'<a class="utrecht-link utrecht-link--html-a" href="{URL}/ocds.json"' in html


def test_documents_and_notices_say_there_are_none_yet(setup, personas):
    published_tender(setup, personas)
    html = personas["anonymous"].client().get(URL).content.decode()
    assert "Er zijn nog geen documenten gepubliceerd." in html
    assert "Er zijn nog geen nota's van inlichtingen gepubliceerd." in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_shows_published_tenders_with_a_constant_query_count(setup, personas):
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    response = client.get("/aanbestedingen")
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()
    few = count_queries(client, "/aanbestedingen")
    tender = Tender.objects.get()
    for i in range(5):  # one tender per programme
        programme = Programme.objects.create(
            slug=f"gt-{i}", name=f"GT {i}", status="joining", contract_start_year=2028
        )
        Tender.objects.create(
            programme=programme,
            snapshot=tender.snapshot,
            reference=f"VNG-GT-{i}",
            title=f"GT {i}",
            status=Tender.Status.PUBLISHED,
        )
    assert count_queries(client, "/aanbestedingen") == few
    assert client.get("/aanbestedingen").content.decode().count("/aanbestedingen/VNG-GT-") == 6


@pytest.mark.parametrize("persona", ["anonymous", "editor_a", "project_team"])
def test_home_and_programme_page_link_the_published_tender(setup, personas, persona):
    tender = published_tender(setup, personas)
    client = personas[persona].client()
    link = f'href="{URL}"'
    assert link in client.get("/").content.decode()
    assert link in client.get("/programmas/gt-agg").content.decode()
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.DRAFT)
    assert link not in client.get("/").content.decode()
    assert link not in client.get("/programmas/gt-agg").content.decode()
