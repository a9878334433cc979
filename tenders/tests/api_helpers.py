"""Shared by the tests of the tender API: the callers by role, documents without rendering, and
more lots for the query budgets."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from conftest import TOTP_SECRET
from portal.models import Role
from tenders.models import DocumentVersion, Lot, Tender, TenderDocument, TenderLot
from tests.factories import MembershipFactory, UserFactory

API = "/api/v1/tenders"


def callers(personas, project_team_viewer) -> dict[str, Client]:
    """Anonymous, a municipality, a supplier, the team's viewer and the team's editor."""
    viewer = Client()
    viewer.force_login(project_team_viewer)
    return {
        "anonymous": personas["anonymous"].client(),
        "municipality": personas["editor_a"].client(),
        "supplier": personas["supplier_x"].client(),
        "team_viewer": viewer,
        "team_editor": personas["project_team"].client(),
    }


def second_member_client(personas) -> Client:
    user = MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user
    TOTP.activate(user, TOTP_SECRET)  # the project team uses MFA
    client = Client()
    client.force_login(user)
    return client


def add_documents(tender: Tender, versions_per_kind: int) -> None:
    """Finished versions of every document (no rendering: the API lists them, the files are
    the documents' own tests)."""
    for kind in TenderDocument.Kind.values:
        document, _ = TenderDocument.objects.get_or_create(tender=tender, kind=kind)
        start = document.versions.count()
        DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(
                    document=document,
                    number=start + i + 1,
                    status=DocumentVersion.Status.DONE,
                    input_hash="0" * 64,
                    sha256=f"{start + i + 1:064x}",
                )
                for i in range(versions_per_kind)
            ]
        )


def add_lots(tender: Tender, count: int, cpv_codes) -> None:
    """More lots on the tender, each with CPV codes, and requirements that name them."""
    start = tender.lots.count()
    for i in range(start + 1, start + count + 1):
        lot = Lot.objects.create(programme=tender.programme, number=i, name=f"Perceel {i}")
        lot.cpv_codes.set(cpv_codes)
        TenderLot.objects.create(
            tender=tender,
            lot=lot,
            number=i,
            title=f"Perceel {i}",
            quantity=10,
            maximum_quantity=12,
            estimated_value=1000,
            maximum_value=1200,
        )
    for requirement in tender.requirements.all():
        requirement.lots.set(tender.lots.all())
