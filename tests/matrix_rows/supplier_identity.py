"""Permission-matrix rows: a supplier's identity. Supplier X (verified) has its verification
page, for its members and the project team; supplier W (unverified, not a persona) has an
extract waiting, a dispute and a confirmation link. The review page and its decisions are the
project team's (an empty decision is refused next to the field: 422)."""

from __future__ import annotations

IDENTITY = "leveranciers/<slug:supplier>/verificatie"
TEAM = "projectteam/leveranciers"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (IDENTITY,                                                            "GET",  (302, 404, 404, 404, 404, 404, 200, 404, 200)),
    (IDENTITY,                                                            "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (IDENTITY + "/uittreksel",                                            "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (IDENTITY + "/uittreksel",                                            "POST", (302, 404, 404, 404, 404, 404, 422, 404, 403)),
    (IDENTITY + "/e-mail",                                                "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (IDENTITY + "/e-mail",                                                "POST", (302, 404, 404, 404, 404, 404, 422, 404, 403)),
    # Whoever reads mail at the company's domain confirms (no login needed).
    ("leveranciers/bevestigen/<str:domain_token>",                       "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("leveranciers/bevestigen/<str:domain_token>",                       "POST", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Only the person who asked to join disputes (none of the personas did).
    ("leveranciers/aanvragen/<uuid:join_request>/betwisten",              "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 404)),
    ("leveranciers/aanvragen/<uuid:join_request>/betwisten",              "POST", (302, 404, 404, 404, 404, 404, 404, 404, 404)),
    (TEAM,                                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (TEAM,                                                                "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (TEAM + "/uittreksels/<uuid:extract>",                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (TEAM + "/uittreksels/<uuid:extract>",                                "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (TEAM + "/uittreksels/<uuid:extract>/beoordelen",                     "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (TEAM + "/uittreksels/<uuid:extract>/beoordelen",                     "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    (TEAM + "/geschillen/<uuid:dispute>/afhandelen",                      "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (TEAM + "/geschillen/<uuid:dispute>/afhandelen",                      "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    import hashlib

    from django.core import signing
    from django.core.files.base import ContentFile

    from municipalities.tests.conftest import MINIMAL_PDF
    from portal.models import Organisation
    from suppliers.models import KvkDispute, KvkExtract, SupplierProfile, Verification
    from suppliers.verification import DOMAIN_SALT
    from tests.factories import UserFactory

    supplier_x = world["personas"]["supplier_x"].organisation
    SupplierProfile.objects.create(
        organisation=supplier_x,
        kvk_number="69599068",
        street="Straat",
        house_number="1",
        postcode="1234 AB",
        city="Utrecht",
        verification_status=Verification.VERIFIED,
    )
    supplier_w = Organisation.objects.create(
        name="Leverancier W B.V.", slug="leverancier-w", kind=Organisation.Kind.SUPPLIER
    )
    SupplierProfile.objects.create(
        organisation=supplier_w,
        kvk_number="69599076",
        street="Straat",
        house_number="2",
        postcode="1234 AB",
        city="Utrecht",
        domain_email="info@leverancier-w.nl",
        domain_nonce="0" * 32,
    )
    extract = KvkExtract(organisation=supplier_w, sha256=hashlib.sha256(MINIMAL_PDF).hexdigest())
    extract.file.save("kvk-uittreksel.pdf", ContentFile(MINIMAL_PDF), save=False)
    extract.save()
    dispute = KvkDispute.objects.create(
        organisation=supplier_w,
        user=UserFactory(email="directie@leverancier-w.nl"),
        explanation="Niet gemachtigd.",
    )
    token = signing.dumps({"o": str(supplier_w.public_id), "n": "0" * 32}, salt=DOMAIN_SALT)
    return {
        "supplier": supplier_x.slug,
        "extract": extract.public_id,
        "dispute": dispute.public_id,
        "domain_token": token,
    }
