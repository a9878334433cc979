# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The project team's actions through the tender API: publication with four eyes (one editor
asks, a second confirms; either may cancel) and the award decision. 404 for everyone outside
the team, 403 for its viewers (and for anonymous callers); the services' refusals are
problem+json with their Dutch messages, nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import OcdsRelease, PublicationRequest, Tender, TenderAward
from tenders.services.documents import document_render, documents_request
from tenders.tests.api_helpers import API, callers, second_member_client
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def draft(setup, personas):
    return make_tender(setup, personas)


@pytest.fixture
def ready(draft, personas):
    """A draft with nothing in the way of publication: its documents are generated."""
    for version in documents_request(actor=personas["project_team"].user, tender=draft):
        document_render(version_id=version.pk)
    return draft


def closed(tender: Tender) -> Tender:
    Tender.objects.filter(pk=tender.pk).update(
        status=Tender.Status.CLOSED, bid_deadline_at=timezone.now() - timedelta(days=1)
    )
    tender.refresh_from_db()
    return tender


def conflict(response, text: str) -> None:
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM
    assert text in response.json()["detail"], response.json()["detail"]


def test_only_the_teams_editors_act(ready, personas, project_team_viewer):
    """Every action, every caller outside the team's editors: refused, nothing changed."""
    url = f"{API}/{ready.reference}"
    PublicationRequest.objects.create(tender=ready, requested_by=personas["project_team"].user)
    expected = {"anonymous": 403, "municipality": 404, "supplier": 404, "team_viewer": 403}
    body = {
        "awards": [{"lot": 1, "suppliers": [str(personas["supplier_x"].organisation.public_id)]}]
    }
    for action in ("publication", "publication/confirm", "publication/cancel", "award-decision"):
        for name, client in callers(personas, project_team_viewer).items():
            if name == "team_editor":
                continue
            response = client.post(f"{url}/{action}", body, content_type="application/json")
            assert response.status_code == expected[name], (action, name)
            assert response["Content-Type"] == PROBLEM
            # Reading is allowed where the page allows it; other methods are not.
            assert client.get(f"{url}/{action}").status_code in (403, 404, 405)
    assert PublicationRequest.objects.get().status == "pending"
    ready.refresh_from_db()
    assert ready.is_draft and not TenderAward.objects.exists()


def test_four_eyes_through_the_api(ready, personas):
    url = f"{API}/{ready.reference}/publication"
    first = personas["project_team"].client()
    asked = first.post(url)
    assert asked.status_code == 201, asked.content
    assert asked.json()["status"] == "pending"
    assert asked["Location"].endswith(f"{API}/{ready.reference}")
    conflict(first.post(url), "Er is al om publicatie gevraagd; dat wacht op bevestiging.")
    conflict(
        first.post(f"{url}/confirm"),
        "Een tweede lid van het projectteam bevestigt de publicatie",
    )
    ready.refresh_from_db()
    assert ready.is_draft and not OcdsRelease.objects.exists()

    confirmed = second_member_client(personas).post(f"{url}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["decidedAt"]
    data = personas["anonymous"].client().get(f"{API}/{ready.reference}").json()
    assert data["status"] == "published"
    assert [e["status"] for e in data["events"]] == ["published"]
    assert len(data["documents"]) == 6
    assert OcdsRelease.objects.filter(tender=ready).count() == 1
    # Nothing awaits confirmation any more; asking again is refused.
    assert first.post(f"{url}/confirm").status_code == 404
    conflict(first.post(url), "is al gepubliceerd")


def test_the_publication_can_be_cancelled_and_asked_again(ready, personas):
    url = f"{API}/{ready.reference}/publication"
    team = personas["project_team"].client()
    assert team.post(f"{url}/cancel").status_code == 404  # nothing asked yet
    assert team.post(url).status_code == 201
    cancelled = team.post(f"{url}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert team.post(url).status_code == 201
    assert PublicationRequest.objects.filter(status="pending").count() == 1


def test_publication_is_refused_with_the_reasons_while_anything_blocks_it(draft, personas):
    response = personas["project_team"].client().post(f"{API}/{draft.reference}/publication")
    conflict(response, "Documenten: Aanbestedingsleidraad is nog niet gemaakt.")
    assert not PublicationRequest.objects.exists()


def test_the_award_decision_names_suppliers_per_lot(draft, personas, supplier_y):
    url = f"{API}/{draft.reference}/award-decision"
    team = personas["project_team"].client()
    x = str(personas["supplier_x"].organisation.public_id)
    y = str(supplier_y.public_id)
    whole = {
        "awards": [{"lot": 1, "suppliers": [x, y]}, {"lot": 2, "suppliers": [y]}],
        "note": "Na beoordeling.",
    }
    # A draft has no bids to decide on.
    conflict(
        team.post(url, whole, content_type="application/json"),
        "Een gunningsbeslissing volgt op het sluiten van de inschrijving",
    )
    closed(draft)

    def bad(body, text):
        response = team.post(url, body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == PROBLEM
        reasons = " ".join(p["reason"] for p in response.json()["invalidParams"])
        assert text in reasons, reasons

    bad(
        {"awards": [{"lot": 1, "suppliers": [x]}]}, "Kies ten minste één leverancier voor perceel 2"
    )
    bad(
        {"awards": [{"lot": 1, "suppliers": [x, x]}, {"lot": 2, "suppliers": [y]}]},
        "Een leverancier staat twee keer bij hetzelfde perceel.",
    )
    bad(
        {"awards": [{"lot": 1, "suppliers": [x]}, {"lot": 1, "suppliers": [y]}]},
        "Noem elk perceel één keer.",
    )
    municipality = str(personas["editor_a"].organisation.public_id)
    bad(
        {"awards": [{"lot": 1, "suppliers": [municipality]}, {"lot": 2, "suppliers": [y]}]},
        f"Er is geen leverancier met id {municipality}.",
    )
    bad({"awards": []}, "")
    assert not TenderAward.objects.exists()

    response = team.post(url, whole, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "award_decision"
    assert [[s["supplier"] for s in lot["awardedSuppliers"]] for lot in data["lots"]] == [
        [x, y],
        [y],
    ]
    assert [(e["status"], e["note"]) for e in data["events"]] == [
        ("award_decision", "Na beoordeling.")
    ]
    conflict(team.post(url, whole, content_type="application/json"), "gunningsbeslissing")
    assert TenderAward.objects.count() == 3
