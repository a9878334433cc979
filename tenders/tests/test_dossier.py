# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The programme's dossier: a ZIP with every finished version of the tender documents, the
frozen aggregation and the programme's audit trail, whose manifest and SHA256SUMS hold the
SHA-256 of every file; for the project team only, audited, never stored by a cache, and made
with the same queries however many versions and events there are."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import audit_chain
from portal.audit import audit
from portal.models import AuditEvent
from tenders.models import DocumentVersion, TenderDocument
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.tests.test_documents_views import finish

pytestmark = pytest.mark.django_db
K = TenderDocument.Kind
URL = "/programmas/gt-agg/dossier"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tender(setup, personas):
    return make_tender(setup, personas)


def leidraad_versions(tender, personas, count: int) -> list[DocumentVersion]:
    """``count`` more finished versions of the aanbestedingsleidraad, as the worker leaves
    them (the rendering is tested elsewhere)."""
    document, _created = TenderDocument.objects.get_or_create(tender=tender, kind=K.LEIDRAAD)
    start = document.versions.count()
    return [
        finish(
            DocumentVersion(
                document=document,
                number=start + n + 1,
                input_hash="0" * 64,
                change_note=f"Wijziging {n}",
                requested_by=personas["project_team"].user,
            )
        )
        for n in range(count)
    ]


def download(personas) -> zipfile.ZipFile:
    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="dossier-gt-agg-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_dossier_holds_the_documents_the_aggregation_and_the_audit_trail(tender, personas):
    version = leidraad_versions(tender, personas, 1)[0]
    archive = download(personas)
    names = set(archive.namelist())
    assert {
        "documenten/aanbestedingsleidraad-vng-gt-agg-v1.pdf",
        "aggregatie/bevroren-aggregatie.csv",
        "audittrail/audittrail.csv",
        "audittrail/audittrail.jsonl",
        "manifest.json",
        "SHA256SUMS",
    } <= names, names
    pdf = next(n for n in names if n.startswith("documenten/"))
    assert archive.read(pdf) == version.file.open("rb").read()

    # Every file's SHA-256 is in SHA256SUMS, and the manifest lists all but itself.
    sums = dict(
        reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines()
    )
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["path"] for f in manifest["files"]} == names - {"SHA256SUMS", "manifest.json"}
    assert manifest["documents"][0]["matches_recorded_sha256"] is True
    assert manifest["audit_chain_head"] == AuditEvent.objects.order_by("-pk").first().hash

    # The programme's audit trail, its own download included, each event's hash recomputable.
    lines = [json.loads(line) for line in archive.read("audittrail/audittrail.jsonl").splitlines()]
    actions = [line["action"] for line in lines]
    assert "tender.created" in actions or any(a.startswith("tender") for a in actions)
    assert actions[-1] == "programme.dossier_downloaded"
    assert manifest["audit_events"] == len(lines)
    for line in lines:
        event = AuditEvent.objects.get(pk=line["id"])
        fields = {name: getattr(event, name) for name in audit_chain.CHAINED_FIELDS}
        assert audit_chain.event_hash(**fields) == line["hash"] == event.hash
    download_event = AuditEvent.objects.get(action="programme.dossier_downloaded")
    assert download_event.actor == personas["project_team"].user
    assert download_event.target_id == str(tender.programme.public_id)


def test_every_version_is_in_the_dossier(tender, personas):
    leidraad_versions(tender, personas, 2)
    names = download(personas).namelist()
    assert "documenten/aanbestedingsleidraad-vng-gt-agg-v1.pdf" in names
    assert "documenten/aanbestedingsleidraad-vng-gt-agg-v2.pdf" in names


def test_the_audit_csv_writes_formulas_as_text(tender, personas):
    user = personas["project_team"].user
    user.name = '=HYPERLINK("https://example.com")'
    user.save()
    audit(actor=user, action="programme.updated", target=tender.programme)
    archive = download(personas)
    rows = list(csv.reader(io.StringIO(archive.read("audittrail/audittrail.csv").decode())))
    row = next(r for r in rows if r[2] == "programme.updated")
    assert row[4] == "'" + user.name + f" <{user.email}>"
    assert all(not value.startswith("=") for r in rows for value in r)


def test_another_programmes_events_are_not_in_the_dossier(tender, personas):
    from tenders.models import Programme

    other = Programme.objects.create(slug="gt-other", name="Ander", contract_start_year=2029)
    audit(actor=personas["project_team"].user, action="programme.updated", target=other)
    lines = download(personas).read("audittrail/audittrail.jsonl").splitlines()
    assert str(other.public_id) not in b"".join(lines).decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("editor_a", 404), ("joint_body", 404), ("supplier_x", 404)],
)
def test_outside_the_team_the_dossier_does_not_exist(tender, personas, persona, status):
    response = personas[persona].client().get(URL)
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action="programme.dossier_downloaded").exists()


def test_the_team_finds_the_dossier_on_the_programme_page(tender, personas):
    page = personas["project_team"].client().get("/programmas/gt-agg").content.decode()
    assert f'href="{URL}"' in page
    assert URL not in personas["editor_a"].client().get("/programmas/gt-agg").content.decode()


def test_the_dossier_needs_the_same_queries_for_more_versions_and_events(tender, personas):
    client = personas["project_team"].client()
    leidraad_versions(tender, personas, 1)
    client.get(URL)  # warm up (session, programme)
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(URL).streaming_content)
    leidraad_versions(tender, personas, 3)
    for n in range(20):
        audit(
            actor=personas["project_team"].user,
            action="programme.updated",
            target=tender.programme,
            n=n,
        )
    with CaptureQueriesContext(connection) as many:
        b"".join(client.get(URL).streaming_content)
    assert len(many) == len(few) <= 24, [q["sql"] for q in many.captured_queries]


def test_the_dossier_reads_no_bulky_column_and_writes_the_totals_as_values(tender, personas):
    """The rendering inputs of each document version and the frozen list of authorities are
    not read; the frozen totals are read as values, category names in the document language."""
    from tenders.models import AggregationSnapshot, SnapshotTotal

    leidraad_versions(tender, personas, 1)
    snapshot = AggregationSnapshot.objects.get(programme=tender.programme, is_frozen=True)
    with CaptureQueriesContext(connection) as queries:
        archive = download(personas)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"tenders_documentversion"."inputs"' not in sql
    assert '"tenders_aggregationsnapshot"."authorities"' not in sql

    rows = list(
        csv.reader(io.StringIO(archive.read("aggregatie/bevroren-aggregatie.csv").decode()))
    )
    totals = SnapshotTotal.objects.filter(snapshot=snapshot).select_related("category", "lot")
    assert len(rows) == 1 + totals.count() > 1
    by_key = {(r[2], r[4], r[5], r[6]): r for r in rows[1:]}
    for total in totals:
        row = by_key[(total.category.slug, str(total.year), total.province, total.size_class)]
        assert row[3] == total.category.name_nl
        assert row[0] == (str(total.lot.number) if total.lot else "")
        assert row[7] == str(total.quantity)
