# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender as open data: an OCDS 1.1 release package that validates offline against the
official schema, whose parties, lots, values and items are the database's, one release per
event that never changes afterwards, public once published and 404 before."""

import copy
import json
import socket
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils.text import slugify

from portal.models import AuditEvent
from tenders.models import LotAuthority, OcdsRelease, SnapshotTotal, Tender
from tenders.ocds import package_errors, package_validator
from tenders.services.ocds import ocds_release_add
from tenders.services.tender import (
    CriterionData,
    RequirementData,
    award_criteria_set,
    requirements_set,
    tender_create,
    tender_timeline_set,
)
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
REFERENCE = "VNG-GT-AGG"


def url(reference=REFERENCE):
    return f"/aanbestedingen/{reference}/ocds.json"


def api_url(reference=REFERENCE):
    return f"/api/v1/tenders/{reference}/ocds"


def draft_tender(setup, personas) -> Tender:
    frozen(setup, personas)
    actor = personas["project_team"].user
    tender = tender_create(actor=actor, programme=setup["programme"], reference=REFERENCE)
    tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=datetime(2028, 1, 1).date(),
        publication_at=datetime(2027, 3, 1, 9, 0, tzinfo=AMS),
        question_deadline_at=datetime(2027, 3, 15, 17, 0, tzinfo=AMS),
        answers_at=datetime(2027, 3, 25, 17, 0, tzinfo=AMS),
        bid_deadline_at=datetime(2027, 4, 6, 12, 0, tzinfo=AMS),
        opening_at=datetime(2027, 4, 6, 14, 0, tzinfo=AMS),
        award_decision_at=datetime(2027, 5, 3, 12, 0, tzinfo=AMS),
        standstill_end_at=datetime(2027, 5, 24, 12, 0, tzinfo=AMS),
    )
    award_criteria_set(
        actor=actor,
        tender=tender,
        criteria=[
            CriterionData(kind="price", name="Prijs", weight=40),
            CriterionData(kind="quality", name="Kwaliteit", weight=40),
            CriterionData(kind="sustainability", name="Duurzaamheid", weight=20),
        ],
    )
    requirements_set(
        actor=actor,
        tender=tender,
        requirements=[
            RequirementData(kind="tco_certified", level="generatie 10", text="TCO Certified."),
            RequirementData(kind="turnover", amount=Decimal("1000000"), text="Omzet 1 mln."),
        ],
    )
    return tender


def published(tender: Tender) -> Tender:
    # The publication slice publishes with four eyes; here only the outcome matters.
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.PUBLISHED)
    tender.refresh_from_db()
    return tender


@pytest.fixture
def tender(setup, personas):
    tender = published(draft_tender(setup, personas))
    ocds_release_add(actor=personas["project_team"].user, tender=tender, tag="tender")
    return tender


def package_of(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_package_validates_against_the_official_schema(tender):
    package = package_of(Client().get(url()))
    assert package_errors(package) == []
    assert package["version"] == "1.1"
    assert package["uri"] == f"http://testserver{url()}"
    release = package["releases"][0]
    assert release["ocid"] == f"ocds-xxxxxx-{REFERENCE}"
    assert release["tag"] == ["tender"] and release["initiationType"] == "tender"
    assert release["tender"]["tenderPeriod"] == {
        "startDate": "2027-03-01T08:00:00Z",
        "endDate": "2027-04-06T10:00:00Z",
    }
    assert release["tender"]["enquiryPeriod"]["endDate"] == "2027-03-15T16:00:00Z"
    assert release["tender"]["awardCriteria"] == "ratedCriteria"
    assert release["tender"]["awardCriteriaDetails"] == (
        "Prijs: 40 punten; Kwaliteit: 40 punten; Duurzaamheid: 20 punten"
    )
    assert release["tender"]["eligibilityCriteria"] == "Omzet 1 mln."
    # No nota van inlichtingen yet: no enquiries, and it says so.
    assert release["tender"]["hasEnquiries"] is False
    assert "enquiries" not in release["tender"]


@pytest.mark.parametrize(
    ("breakage", "error"),
    [
        (lambda r: r.pop("ocid"), "releases/0: 'ocid' is a required property"),
        (
            lambda r: r.update(date="2027-02-30T10:00:00Z"),
            "releases/0/date: '2027-02-30T10:00:00Z' is not a 'date-time'",
        ),
        (
            lambda r: r.update(date="1 maart 2027"),
            "releases/0/date: '1 maart 2027' is not a 'date-time'",
        ),
        (
            lambda r: r["tender"]["tenderPeriod"].update(endDate="2027-04-06 12:00"),
            "releases/0/tender/tenderPeriod/endDate: '2027-04-06 12:00' is not a 'date-time'",
        ),
        (
            lambda r: r["tender"]["value"].update(amount="1.000,00"),
            "releases/0/tender/value/amount: '1.000,00' is not of type 'number', 'null'",
        ),
        (
            lambda r: r["tender"]["value"].update(currency="euro"),
            "releases/0/tender/value/currency: 'euro' is not one of",
        ),
        (lambda r: r.update(tag=["published"]), "releases/0/tag/0: 'published' is not one of"),
    ],
)
def test_a_broken_package_is_caught(tender, breakage, error):
    package = package_of(Client().get(url()))
    broken = copy.deepcopy(package)
    breakage(broken["releases"][0])
    errors = package_errors(broken)
    assert any(e.startswith(error) for e in errors), errors


def test_a_package_without_its_publisher_or_releases_is_caught(tender):
    package = package_of(Client().get(url()))
    del package["publisher"]
    package["releases"] = []
    errors = package_errors(package)
    assert "(package): 'publisher' is a required property" in errors
    assert "releases: [] should be non-empty" in errors


def test_validation_never_touches_the_network(tender, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the validation tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    package_validator.cache_clear()
    package = package_of(Client().get(url()))
    assert package_errors(package) == []


def test_parties_lots_values_and_items_match_the_database(tender):
    release = package_of(Client().get(url()))["releases"][0]
    parties = {party["id"]: party for party in release["parties"]}

    # The central purchasing body runs the procedure; there is no single buyer.
    assert "buyer" not in release
    vng = parties["NL-KVK-40594571"]
    assert vng["roles"] == ["procuringEntity", "centralPurchasingBody"]
    assert release["tender"]["procuringEntity"] == {"id": vng["id"], "name": vng["name"]}

    # Every authority that may call off is a buyer, once, with its identifier and its lots.
    authorities = LotAuthority.objects.filter(snapshot=tender.snapshot).select_related("lot")
    assert authorities.exists()
    for row in authorities:
        if row.identifier:
            party = parties[f"NL-{row.scheme.upper()}-{row.identifier}"]
            assert party["identifier"]["id"] == row.identifier
        else:  # no identifier known: a local id, and no identifier block
            party = parties[f"X-GT-{slugify(row.name)}"]
            assert "identifier" not in party
        assert party["name"] == row.name and party["roles"] == ["buyer"]
        assert party["details"]["kind"] == row.kind
        assert str(row.lot.number) in party["details"]["lots"]
        if row.on_behalf_of:
            assert party["details"]["onBehalfOf"] == row.on_behalf_of
    assert any(row.on_behalf_of for row in authorities)  # the joint body's municipalities
    buyers = [p for p in release["parties"] if p["roles"] == ["buyer"]]
    assert len(buyers) == len({(r.scheme, r.identifier, r.name) for r in authorities})
    municipality = parties["NL-CBS-GM9101"]
    assert municipality["identifier"]["scheme"] == "NL-CBS"
    assert municipality["details"]["kind"] == "municipality"

    # Lots: the estimate as the lot's value, the maximum as the framework's value.
    lots = {lot["id"]: lot for lot in release["tender"]["lots"]}
    assert set(lots) == {"1", "2"}
    for lot in tender.lots.all():
        published_lot = lots[str(lot.number)]
        assert published_lot["title"] == lot.title
        assert published_lot["value"] == {"amount": lot.estimated_value, "currency": "EUR"}
        framework = published_lot["techniques"]["frameworkAgreement"]
        assert framework["value"] == {"amount": lot.maximum_value, "currency": "EUR"}
        assert f"Maximale hoeveelheid {lot.maximum_quantity}" in framework["description"]
    estimate = sum(lot.estimated_value for lot in tender.lots.all())
    maximum = sum(lot.maximum_value for lot in tender.lots.all())
    assert release["tender"]["value"]["amount"] == estimate
    assert release["tender"]["techniques"]["frameworkAgreement"]["value"]["amount"] == maximum

    # Items: one per category of a lot, with its CPV code and the frozen quantity.
    items = {item["id"]: item for item in release["tender"]["items"]}
    assert set(items) == {"1-laptop", "1-monitor", "2-smartphone"}
    for item in items.values():
        lot = tender.lots.get(number=int(item["relatedLot"]))
        category = lot.lot.categories.get(slug=item["id"].split("-", 1)[1])
        assert item["classification"] == {
            "scheme": "CPV",
            "id": category.cpv_code.code[:8],
            "description": category.cpv_code.label_nl or category.cpv_code.label_en,
        }
        frozen_quantity = sum(
            t.quantity
            for t in SnapshotTotal.objects.filter(
                snapshot=tender.snapshot, lot=lot.lot, category=category
            )
        )
        assert item["quantity"] == frozen_quantity > 0
    for lot in tender.lots.all():
        in_items = sum(i["quantity"] for i in items.values() if i["relatedLot"] == str(lot.number))
        assert in_items == lot.quantity


def test_a_draft_is_404_and_gets_no_release(setup, personas):
    tender = draft_tender(setup, personas)
    for response in (Client().get(url()), personas["project_team"].client().get(url())):
        assert response.status_code == 404
    assert Client().get(api_url()).status_code == 404
    with pytest.raises(ValidationError) as excinfo:
        ocds_release_add(actor=personas["project_team"].user, tender=tender, tag="tender")
    assert "Publiceer eerst de aanbesteding" in excinfo.value.messages[0]
    assert not OcdsRelease.objects.exists()


def test_an_unknown_tender_is_404(tender):
    assert Client().get(url("VNG-ONBEKEND")).status_code == 404
    response = Client().get(api_url("VNG-ONBEKEND"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_second_release_is_added_and_the_first_is_unchanged(tender, personas):
    first = OcdsRelease.objects.get(tender=tender)
    before = package_of(Client().get(url()))["releases"][0]
    assert before == first.data

    # A nota van inlichtingen round moves the bid deadline; the prefix setting changes too.
    later = datetime(2027, 4, 13, 12, 0, tzinfo=AMS)
    Tender.objects.filter(pk=tender.pk).update(bid_deadline_at=later)
    with override_settings(OCDS_OCID_PREFIX="ocds-abcdef"):
        second = ocds_release_add(
            actor=personas["project_team"].user, tender=tender, tag="tenderUpdate"
        )

    package = package_of(Client().get(url()))
    assert package_errors(package) == []
    assert [r["id"] for r in package["releases"]] == [first.release_id, second.release_id]
    assert package["releases"][0] == before  # the first release as it was published
    assert package["releases"][1]["tag"] == ["tenderUpdate"]
    assert package["releases"][1]["tender"]["tenderPeriod"]["endDate"] == "2027-04-13T10:00:00Z"
    assert before["tender"]["tenderPeriod"]["endDate"] == "2027-04-06T10:00:00Z"
    # One contracting process: the ocid stays the one of the first release.
    assert {r["ocid"] for r in package["releases"]} == {f"ocds-xxxxxx-{REFERENCE}"}
    assert package["publishedDate"] == second.data["date"]
    first.refresh_from_db()
    assert first.data == before and second.number == 2
    assert AuditEvent.objects.filter(action="tender.ocds_release_added").count() == 2


def test_a_stored_release_never_changes(tender):
    release = OcdsRelease.objects.get(tender=tender)
    release.data = {**release.data, "tag": ["tenderAmendment"]}
    with pytest.raises(ValidationError):
        release.save()
    release.refresh_from_db()
    assert release.data["tag"] == ["tender"]


def test_the_api_gives_the_same_package(tender):
    on_page = package_of(Client().get(url()))
    in_api = package_of(Client().get(api_url()))
    assert in_api["releases"] == on_page["releases"]
    assert in_api["uri"] == f"http://testserver{api_url()}"
    assert package_errors(in_api) == []


def test_every_status_is_published_as_ocds_status(tender, personas):
    for status, expected in [
        (Tender.Status.CLOSED, "active"),
        (Tender.Status.AWARDED, "complete"),
        (Tender.Status.CANCELLED, "cancelled"),
    ]:
        Tender.objects.filter(pk=tender.pk).update(status=status)
        release = ocds_release_add(actor=None, tender=tender, tag="tenderUpdate")
        assert release.data["tender"]["status"] == expected
        assert {lot["status"] for lot in release.data["tender"]["lots"]} == {expected}
    assert package_errors(package_of(Client().get(url()))) == []


def test_the_public_url_needs_few_queries(tender, django_assert_num_queries):
    """Two queries (the tender, its latest release) once the package is made, however many
    releases there are; three when it is made."""
    for releases in (1, 4):
        while OcdsRelease.objects.filter(tender=tender).count() < releases:
            ocds_release_add(actor=None, tender=tender, tag="tenderUpdate")
        with django_assert_num_queries(3):
            assert len(package_of(Client().get(url()))["releases"]) == releases
        with django_assert_num_queries(2):
            assert len(package_of(Client().get(url()))["releases"]) == releases


def test_the_package_is_made_once_per_release(tender, monkeypatch):
    """The JSON is made on the first request after a release and served as it is after that,
    by the public URL and by the API; a new release makes a new one."""
    from tenders.selectors import ocds_package as module

    made = []
    build = module.ocds_package

    def counting(**kwargs):
        made.append(kwargs["uri"])
        return build(**kwargs)

    monkeypatch.setattr(module, "ocds_package", counting)
    client = Client()
    first = client.get(url())
    assert client.get(url()).content == first.content
    assert len(made) == 1
    assert client.get(api_url()).json() == json.loads(first.content) | {
        "uri": "http://testserver" + api_url()
    }
    assert len(made) == 2  # the API has an address of its own
    client.get(api_url())
    assert len(made) == 2
    ocds_release_add(actor=None, tender=tender, tag="tenderUpdate")
    package = package_of(client.get(url()))
    assert len(made) == 3
    assert len(package["releases"]) == len(json.loads(first.content)["releases"]) + 1
    assert first["Content-Type"] == "application/json"
    assert first["Access-Control-Allow-Origin"] == "*"


def test_the_release_is_always_in_dutch(tender, personas):
    client = Client(headers={"accept-language": "en"})
    release = package_of(client.get(url()))["releases"][0]
    assert release["language"] == "nl"
    assert release["tender"]["procurementMethodDetails"] == "Europese openbare procedure"
    assert release["tender"]["procurementMethod"] == "open"


def test_an_unknown_tag_is_a_programming_error(tender):
    with pytest.raises(ValueError, match="unknown OCDS release tag"):
        ocds_release_add(actor=None, tender=tender, tag="published")
    assert OcdsRelease.objects.filter(tender=tender).count() == 1


def test_a_rendered_nota_van_inlichtingen_is_a_clarifications_document(
    tender, personas, settings, tmp_path
):
    """The notice of a published round among the documents: documentType clarifications, its
    download URL and, once rendered, its SHA-256; the package still validates."""
    from django.utils import timezone

    from tenders.models import EnquiryRound
    from tenders.services.documents import document_render, document_version_add

    settings.MEDIA_ROOT = str(tmp_path / "media")
    actor = personas["project_team"].user
    notice = document_version_add(
        actor=actor,
        tender=tender,
        kind="nvi",
        inputs={
            "format": 1,
            "reference": REFERENCE,
            "title": tender.title,
            "programme": "GT",
            "number": 1,
            "date": "1 maart 2027",
            "questions": [],
            "changed": [],
        },
        change_note="Nota van inlichtingen 1",
    )
    EnquiryRound.objects.create(
        tender=tender,
        number=1,
        status="published",
        published_at=timezone.now(),
        document_version=notice,
    )
    notice = document_render(version_id=notice.pk)
    ocds_release_add(actor=actor, tender=tender, tag="tenderUpdate")

    package = package_of(Client().get(url()))
    assert package_errors(package) == []
    [document] = [d for d in package["releases"][-1]["tender"]["documents"] if d["id"] == "nvi-v1"]
    assert document["documentType"] == "clarifications"
    assert document["title"] == "Nota van inlichtingen 1"
    assert document["description"] == f"SHA-256 {notice.sha256}"
    assert document["url"].endswith(f"/aanbestedingen/{REFERENCE}/documenten/{notice.public_id}")
    assert document["format"] == "application/pdf" and document["language"] == "nl"
    # The first release, made before the round, does not list it.
    assert "nvi-v1" not in str(package["releases"][0]["tender"].get("documents", []))


def test_the_package_is_compressed_once_and_sent_as_stored(tender):
    """A client that takes gzip gets the package compressed when it was made, the same bytes
    every time (the middleware's compression pads each response differently, so it did not
    compress it again); one that does not take gzip gets the same JSON unpacked."""
    import gzip

    taker = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    first, second = taker.get(url()), taker.get(url())
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert first.content == second.content
    assert "Accept-Encoding" in first["Vary"]
    plain = Client().get(url())
    assert not plain.has_header("Content-Encoding")
    assert "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(first.content) == plain.content
    assert package_errors(json.loads(plain.content)) == []
    in_api = taker.get(api_url())
    assert in_api["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(in_api.content))["releases"] == package_of(plain)["releases"]
