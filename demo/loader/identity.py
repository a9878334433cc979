"""The suppliers' identity: the three suppliers of the story showed their KvK extract, which
Jan Jurist of the project team checked; Circulair Kantoor B.V. registered lately and its
extract waits on the project team's review page (idempotent)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from demo.loader.organisations import DOMAIN
from portal.models import Organisation, User
from suppliers.models import KvkExtract, SupplierProfile, Verification, VerificationMethod

VERIFIED = ("voorbeeld-hardware-bv", "tweede-leven-it-bv", "mobiel-zakelijk-bv")
WAITING = "circulair-kantoor-bv"
CHECKER = f"jurist@{DOMAIN}"

# A one-page PDF standing in for an extract from the Handelsregister.
EXTRACT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _extract(organisation: Organisation, uploaded_by: User | None, **fields) -> KvkExtract:
    extract = KvkExtract(
        organisation=organisation,
        sha256=hashlib.sha256(EXTRACT_PDF).hexdigest(),
        uploaded_by=uploaded_by,
        **fields,
    )
    extract.file.save("kvk-uittreksel.pdf", ContentFile(EXTRACT_PDF), save=False)
    extract.save()
    return extract


def identity_load(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    checker = users[CHECKER]
    now = timezone.now()
    for slug in VERIFIED:
        organisation = organisations[slug]
        if KvkExtract.objects.filter(organisation=organisation).exists():
            continue
        admin = organisation.memberships.order_by("pk").first()
        checked = now - timedelta(days=30)
        _extract(
            organisation,
            admin.user if admin else None,
            uploaded_at=checked - timedelta(days=1),
            status=KvkExtract.Status.APPROVED,
            decided_by=checker,
            decided_at=checked,
        )
        SupplierProfile.objects.filter(organisation=organisation).update(
            verification_status=Verification.VERIFIED,
            verification_method=VerificationMethod.EXTRACT,
            verified_at=checked,
            verified_by=checker,
        )
    waiting = organisations[WAITING]
    if not KvkExtract.objects.filter(organisation=waiting).exists():
        admin = waiting.memberships.order_by("pk").first()
        _extract(waiting, admin.user if admin else None, uploaded_at=now - timedelta(hours=3))
