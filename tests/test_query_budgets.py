"""Every list page and list API has a query budget that does not grow with the rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Role
from tenders.models import Milestone, Programme
from tenders.tests.test_aggregation import setup  # noqa: F401 - the fixture of a frozen world
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def add_organisations(world, n):
    OrganisationFactory.create_batch(n)


def add_members(world, n):
    for _ in range(n):
        MembershipFactory(organisation=world["org_a"], role=Role.VIEWER)


def add_programmes(world, n):
    from django.utils import timezone

    for i in range(n):
        programme = Programme.objects.create(
            slug=f"gt-{i}-{Programme.objects.count()}",
            name=f"GT {i}",
            status=Programme.Status.JOINING,
            contract_start_year=2028,
        )
        for kind in list(Milestone.Kind)[:3]:
            Milestone.objects.create(programme=programme, kind=kind, due_at=timezone.now())


def add_participants(world, n):
    """Municipalities for the participation overview, every other one covered."""
    from municipalities.models import CoveredMunicipality, Municipality, Participation

    programme, _ = Programme.objects.get_or_create(
        slug="gt-budget",
        defaults={
            "name": "GT Budget",
            "status": Programme.Status.JOINING,
            "contract_start_year": 2028,
        },
    )
    start = Municipality.objects.count()
    for i in range(n):
        municipality = Municipality.objects.create(
            cbs_code=f"GM{8000 + start + i:04d}", name=f"Gemeente {start + i}", province="Utrecht"
        )
        if i % 2:
            participation = Participation.objects.create(
                programme=programme, organisation=OrganisationFactory(kind="joint_body")
            )
            CoveredMunicipality.objects.create(
                participation=participation, municipality=municipality, programme=programme
            )


def add_demands(world, n):
    """Approved participations, each covering a municipality, with a submitted demand
    version (two lines) and a mandate, in programme gt-budget."""
    from catalog.models import Category
    from catalog.services import catalog_load_reference
    from municipalities.models import (
        ContactPerson,
        CoveredMunicipality,
        Demand,
        DemandVersion,
        DemandVersionLine,
        Municipality,
        Participation,
    )

    if not Category.objects.exists():
        catalog_load_reference()
    laptop = Category.objects.get(slug="laptop")
    programme, _ = Programme.objects.get_or_create(
        slug="gt-budget",
        defaults={
            "name": "GT Budget",
            "status": Programme.Status.JOINING,
            "contract_start_year": 2028,
        },
    )
    start = Municipality.objects.count()
    for i in range(n):
        municipality = Municipality.objects.create(
            cbs_code=f"GM{7000 + start + i:04d}", name=f"Gemeente {start + i}", province="Utrecht"
        )
        participation = Participation.objects.create(
            programme=programme,
            organisation=OrganisationFactory(kind="joint_body"),
            status=Participation.Status.APPROVED,
        )
        CoveredMunicipality.objects.create(
            participation=participation, municipality=municipality, programme=programme
        )
        ContactPerson.objects.create(
            participation=participation,
            kind="procurement",
            name="Inkoper",
            email="inkoop@example.nl",
        )
        demand = Demand.objects.create(participation=participation, status="submitted")
        version = DemandVersion.objects.create(
            demand=demand, number=1, snapshot={}, sha256="0" * 64
        )
        DemandVersionLine.objects.bulk_create(
            [
                DemandVersionLine(
                    version=version,
                    municipality=municipality,
                    category=laptop,
                    year=year,
                    quantity=10,
                )
                for year in (2028, 2029)
            ]
        )


def add_enquiries(world, n):
    """Questions about the published tender VNG-GT-NVI of programme gt-nvi from every supplier
    (so supplier X's page and the project team's list grow): open, answered, merged, and
    answered in a published clarification notice."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.models import Organisation
    from tenders.models import AggregationSnapshot, Enquiry, EnquiryRound, Lot, Tender, TenderLot

    programme, created = Programme.objects.get_or_create(
        slug="gt-nvi",
        defaults={
            "name": "GT NvI",
            "status": Programme.Status.JOINING,
            "contract_start_year": 2028,
        },
    )
    if created:
        tender = Tender.objects.create(
            programme=programme,
            snapshot=AggregationSnapshot.objects.create(programme=programme),
            reference="VNG-GT-NVI",
            title="GT NvI",
            status=Tender.Status.PUBLISHED,
            published_at=timezone.now(),
            question_deadline_at=timezone.now() + timedelta(days=30),
        )
        for number in (1, 2):
            lot = Lot.objects.create(programme=programme, number=number, name=f"Perceel {number}")
            TenderLot.objects.create(
                tender=tender,
                lot=lot,
                number=number,
                title=lot.name,
                quantity=10,
                maximum_quantity=20,
                estimated_value=1000,
                maximum_value=2000,
            )
    tender = Tender.objects.get(programme=programme)
    number = EnquiryRound.objects.filter(tender=tender).count() + 1
    round_ = EnquiryRound.objects.create(
        tender=tender, number=number, status="published", published_at=timezone.now()
    )
    suppliers = list(Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER))
    for i in range(n):
        for organisation in suppliers:
            enquiry = Enquiry.objects.create(
                tender=tender, organisation=organisation, question=f"Vraag {i}?"
            )
            if i % 4 == 1:  # published
                enquiry.status, enquiry.round, enquiry.lot_number = "answered", round_, 1
            elif i % 4 == 2:  # merged into a published one
                enquiry.status = "merged"
                enquiry.merged_into = Enquiry.objects.filter(round=round_).first()
            elif i % 4 == 3:  # answered, not yet published
                enquiry.status, enquiry.public_question, enquiry.answer = "answered", "?", "Ja."
            if enquiry.status != "merged" or enquiry.merged_into is not None:
                enquiry.save()


def add_enquiry_rounds(world, n):
    """Published rounds of the nota van inlichtingen, each with an answered question of a
    supplier, its notice and a changed document version, and as many open questions."""
    from django.utils import timezone

    from tenders.models import (
        AggregationSnapshot,
        DocumentVersion,
        Enquiry,
        EnquiryRound,
        Tender,
        TenderDocument,
    )

    programme, _ = Programme.objects.get_or_create(
        slug="gt-nvi-api",
        defaults={
            "name": "GT NvI API",
            "status": Programme.Status.JOINING,
            "contract_start_year": 2028,
        },
    )
    tender = Tender.objects.filter(reference="VNG-GT-NVI-API").first() or Tender.objects.create(
        programme=programme,
        snapshot=AggregationSnapshot.objects.create(programme=programme),
        reference="VNG-GT-NVI-API",
        title="GT NvI",
        status=Tender.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    notices, _ = TenderDocument.objects.get_or_create(tender=tender, kind="nvi")
    leidraad, _ = TenderDocument.objects.get_or_create(tender=tender, kind="leidraad")
    for _i in range(n):
        number = EnquiryRound.objects.filter(tender=tender).count() + 1
        versions = [
            DocumentVersion.objects.create(
                document=document, number=number, status="done", input_hash="0", sha256="1" * 64
            )
            for document in (notices, leidraad)
        ]
        round_ = EnquiryRound.objects.create(
            tender=tender,
            number=number,
            status=EnquiryRound.Status.PUBLISHED,
            published_at=timezone.now(),
            document_version=versions[0],
        )
        round_.changed_versions.set(versions[1:])
        for status, in_round in (("answered", round_), ("open", None)):
            Enquiry.objects.create(
                tender=tender,
                organisation=OrganisationFactory(kind="supplier"),
                question="Vraag?",
                public_question="Vraag?",
                answer="Antwoord.",
                status=status,
                round=in_round,
                changes_document=leidraad,
            )


def add_identity_checks(world, n):
    """Unverified suppliers with an extract waiting and a dispute each."""
    from portal.models import Organisation
    from suppliers.models import KvkDispute, KvkExtract, SupplierProfile
    from tests.factories import UserFactory

    start = SupplierProfile.objects.count()
    for i in range(start, start + n):
        organisation = OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
        SupplierProfile.objects.create(
            organisation=organisation,
            kvk_number=f"{60000000 + i}",
            street="Straat",
            house_number="1",
            postcode="1234 AB",
            city="Utrecht",
        )
        KvkExtract.objects.create(
            organisation=organisation,
            file=f"kvk-extracts/{i}.pdf",
            sha256="0" * 64,
            uploaded_by=UserFactory(),
        )
        KvkDispute.objects.create(organisation=organisation, user=UserFactory(), explanation="?")


def add_public_listings(world, n):
    """Open market consultations and published tenders, for the public home page."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation
    from tenders.models import AggregationSnapshot, Tender

    now = timezone.now()
    start = Consultation.objects.count()
    for i in range(n):
        programme = Programme.objects.create(
            slug=f"gt-home-{start + i}", name=f"GT {start + i}", contract_start_year=2028
        )
        Consultation.objects.create(
            programme=programme,
            slug=f"mc-home-{start + i}",
            title=f"Marktconsultatie {start + i}",
            status=Consultation.Status.PUBLISHED,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10 + i),
        )
        Tender.objects.create(
            programme=programme,
            snapshot=AggregationSnapshot.objects.create(programme=programme),
            reference=f"VNG-HOME-{start + i}",
            title=f"GT {start + i}",
            status=Tender.Status.PUBLISHED,
        )


def add_municipality_organisations(world, n):
    """Municipalities of the register, each with its organisation (as the register load
    makes them)."""
    from municipalities.models import Municipality
    from portal.models import Organisation

    start = Municipality.objects.count()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"gemeente-b{start + i}", name=f"Gemeente B{start + i}", kind="municipality"
        )
        for i in range(n)
    )
    Municipality.objects.bulk_create(
        Municipality(
            cbs_code=f"GM{5000 + start + i:04d}",
            name=f"B{start + i}",
            province="Utrecht",
            organisation=organisation,
        )
        for i, organisation in enumerate(organisations)
    )


def add_join_requests(world, n):
    """Requests to join municipality A and organisations without an administrator."""
    from municipalities.models import OrganisationJoinRequest
    from tests.factories import UserFactory

    for i in range(n):
        organisation = world["org_a"] if i % 2 else OrganisationFactory(kind="municipality")
        OrganisationJoinRequest.objects.create(organisation=organisation, user=UserFactory())


def add_bulk_invitations(world, n):
    from municipalities.models import BulkInvitation

    for _ in range(n):
        BulkInvitation.objects.create(
            created_by=world["admin_a"], file_name="contacten.xlsx", report=[]
        )


# url, persona, how to add rows, budget
LISTS = [
    ("/aansluiten/?q=gemeente", "editor_b", add_municipality_organisations, 5),
    ("/aansluiten/?q=GM5001", "editor_b", add_municipality_organisations, 5),
    ("/toegangsverzoeken/", "project_team", add_join_requests, 6),
    ("/toegangsverzoeken/", "admin_a", add_join_requests, 4),
    ("/uitnodigen-uit-bestand/", "project_team", add_bulk_invitations, 6),
    ("/projectteam/leveranciers", "project_team", add_identity_checks, 7),
    ("/deelnames/", "project_team", add_demands, 5),
    # Paged by key (portal.pagination.KeyPagedMixin): the page's keys, then its rows.
    ("/api/v1/participations", "project_team", add_demands, 10),
    ("/api/v1/demands", "project_team", add_demands, 8),
    ("/programmas/gt-budget/inventarisatie", "project_team", add_demands, 11),
    ("/organisaties/", "project_team", add_organisations, 6),
    ("/organisaties/gemeente-aadorp/", "admin_a", add_members, 7),
    # The team's dashboard counts its waiting work in one query, whatever the numbers.
    ("/", "project_team", add_programmes, 8),
    # A buyer's dashboard: one query for its participations in every programme.
    ("/", "admin_a", add_programmes, 7),
    # The public home page: the open consultations and the published tenders (bounded).
    ("/", "anonymous", add_public_listings, 3),
    ("/api/v1/organisations", "project_team", add_organisations, 6),
    ("/api/v1/organisations/gemeente-aadorp/members", "viewer_a", add_members, 6),
    ("/api/v1/programmes", "anonymous", add_programmes, 3),
    ("/programmas/gt-budget/deelnemers", "project_team", add_participants, 12),
    ("/aanbestedingen/VNG-GT-NVI/vragen", "supplier_x", add_enquiries, 7),
    # The team's pages and calls that name the askers record the read in the audit trail:
    # three queries per audit event (the chain's lock, the last hash, the insert).
    ("/programmas/gt-nvi/aanbesteding/vragen", "project_team", add_enquiries, 16),
    # The nota van inlichtingen: the team's calls also read the caller's memberships.
    ("/api/v1/tenders/VNG-GT-NVI-API/enquiries", "anonymous", add_enquiry_rounds, 4),
    ("/api/v1/tenders/VNG-GT-NVI-API/enquiries", "project_team", add_enquiry_rounds, 12),
    ("/api/v1/tenders/VNG-GT-NVI-API/enquiry-rounds", "anonymous", add_enquiry_rounds, 3),
    ("/api/v1/tenders/VNG-GT-NVI-API/enquiry-rounds", "project_team", add_enquiry_rounds, 7),
    (
        "/api/v1/me",
        "admin_a",
        lambda world, n: [
            MembershipFactory(user=world["admin_a"], organisation=OrganisationFactory())
            for _ in range(n)
        ],
        6,
    ),
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("url", "persona", "add_rows", "budget"), LISTS)
def test_list_query_count_is_constant(personas, org_a, admin_a, url, persona, add_rows, budget):
    world = {"org_a": org_a, "admin_a": admin_a}
    client = personas[persona].client()
    add_rows(world, 3)
    client.get(url)  # warm up the session and the content types
    few = count_queries(client, url)
    add_rows(world, 30)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with few rows, {many} with many"
    assert many <= budget, f"{url}: {many} queries, budget {budget}"


def test_the_organisation_search_is_bounded_at_ten_times_the_register(personas):
    """3,420 municipalities (ten times the register): the search answers one page of them in
    the same number of queries as with a few."""
    client = personas["editor_b"].client()
    add_municipality_organisations({}, 3)
    client.get("/aansluiten/?q=gemeente")
    few = count_queries(client, "/aansluiten/?q=gemeente")
    add_municipality_organisations({}, 3417)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/aansluiten/?q=gemeente")
    assert len(ctx.captured_queries) == few
    # One page of links to ask to join, however many organisations match.
    links = re.findall(r'href="/aansluiten/[0-9a-f-]{36}"', response.content.decode())
    assert len(links) == 20


# The public tender page shows per lot only how many authorities there are; a lot's own page
# shows one page of them. Neither may grow with the authorities (3,420 at ten times the
# national scale): the same count with the small world's few and with 200 more per lot.
PUBLIC_TENDER_PAGES = [
    ("/aanbestedingen/VNG-GT-AGG", 11),
    ("/aanbestedingen/VNG-GT-AGG/percelen/1/aanbestedende-diensten", 4),
    ("/aanbestedingen/VNG-GT-AGG/percelen/1/aanbestedende-diensten?zoeken=e&pagina=2", 4),
]


@pytest.mark.parametrize(("url", "budget"), PUBLIC_TENDER_PAGES)
def test_public_tender_pages_do_not_grow_with_the_authorities(
    setup,  # noqa: F811
    personas,
    url,
    budget,
):
    from tenders.models import LotAuthority
    from tenders.tests.public_helpers import published_tender

    tender = published_tender(setup, personas)
    client = personas["anonymous"].client()
    client.get(url)  # warm up the session and the content types
    few = count_queries(client, url)
    template = LotAuthority.objects.filter(snapshot=tender.snapshot).first()
    LotAuthority.objects.bulk_create(
        [
            LotAuthority(
                snapshot=tender.snapshot,
                lot=lot.lot,
                kind=LotAuthority.Kind.MUNICIPALITY,
                name=f"Gemeente {lot.number}-{i:03d}",
                scheme=LotAuthority.Scheme.CBS,
                identifier=f"GM{7000 + i:04d}",
                participation=template.participation,
            )
            for lot in tender.lots.all()
            for i in range(200)
        ]
    )
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with few authorities, {many} with 400 more"
    assert many <= budget, f"{url}: {many} queries, budget {budget}"
