"""Walks the whole URLconf and requests every URL with every persona and method, using the
ids of municipality A's objects, and checks the answer against tests/permission_matrix.py.
A URL without an entry fails the suite."""

from __future__ import annotations

import fnmatch
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from portal.services import invitation_create
from tests.matrix_rows import MODULES as PART_MODULES
from tests.permission_matrix import GLOBS, MATRIX, PERSONAS

pytestmark = pytest.mark.django_db

PERSONA_FIXTURES = {
    "anon": "anonymous",
    "edA": "editor_a",
    "viA": "viewer_a",
    "admA": "admin_a",
    "edB": "editor_b",
    "jb": "joint_body",
    "supX": "supplier_x",
    "supY": "supplier_y",
    "pt": "project_team",
}


def all_routes(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            routes += all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            routes.append(prefix + str(pattern.pattern))
    return routes


def uncovered_routes(routes: list[str]) -> list[str]:
    listed = {route for route, _, _ in MATRIX}
    globs = {glob for glob, *_ in GLOBS}
    return [
        route
        for route in routes
        if route not in listed and not any(fnmatch.fnmatch(route, g) for g in globs)
    ]


def test_every_url_has_an_entry():
    missing = uncovered_routes(all_routes())
    assert not missing, f"URLs without an entry in tests/permission_matrix.py: {missing}"


def test_a_new_url_without_entry_is_detected():
    """The harness itself: a route that is not in the matrix is reported."""
    assert uncovered_routes(["organisaties/<slug:slug>/geheim"]) == [
        "organisaties/<slug:slug>/geheim"
    ]
    assert uncovered_routes(["accounts/nieuw/"]) == []


def test_matrix_rows_are_well_formed():
    for route, method, expected in MATRIX:
        assert method in {"GET", "POST", "PUT", "PATCH", "DELETE"}, route
        assert len(expected) == len(PERSONAS), route
    assert len({(r, m) for r, m, _ in MATRIX}) == len(MATRIX), "duplicate rows"


@pytest.fixture
def world(personas, org_a, viewer_a, admin_a, mailoutbox):
    _, token = invitation_create(
        actor=admin_a,
        organisation=org_a,
        email="uitgenodigd@aadorp.nl",
        role="viewer",
        base_url="http://testserver/",
    )
    invitation = org_a.invitations.get()
    from tenders.models import Programme
    from tests.factories import MembershipFactory, UserFactory

    programme = Programme.objects.create(
        slug="gt-test", name="GT Test", status=Programme.Status.JOINING, contract_start_year=2028
    )
    from datetime import timedelta

    from django.utils import timezone

    from tenders.models import Milestone

    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.JOINING_DEADLINE,
        due_at=timezone.now() + timedelta(days=30),
    )
    participation, document, signature = make_participation(programme, org_a, admin_a)
    demand = make_demand(org_a, admin_a)
    from municipalities.services.demand import demand_submit

    demand_submit(actor=admin_a, demand=demand, revision=demand.revision)  # version 1
    from tenders.models import Lot
    from tenders.services.aggregation import aggregation_request, aggregation_run

    Lot.objects.create(programme=programme, number=1, name="Werkplek")  # before the run
    run = aggregation_request(programme=programme, reason="test")
    snapshot = aggregation_run(run_id=run.pk)
    from tenders.services.exports import export_make, export_request

    export = export_request(actor=personas["project_team"].user, programme=programme, kind="demand")
    export_make(export_id=export.pk)
    from suppliers.models import JoinRequest

    join_request = JoinRequest.objects.create(
        organisation=personas["supplier_x"].organisation,
        user=UserFactory(email="nieuw@leverancier-x.nl"),
    )
    consultation, consultation_document = make_consultation(programme, personas["project_team"])
    from consultations.services.responses import response_get_or_create

    consultation_response = response_get_or_create(
        actor=personas["supplier_x"].user,
        consultation=type(consultation).objects.get(pk=consultation.pk),  # now published
    )
    world = {
        "personas": personas,
        "args": {
            "slug": org_a.slug,
            "token": token,
            "programme_slug": "gt-test",
            "kind": "joining_deadline",
            "participation": participation.public_id,
            "document_id": document.public_id,
            "signature_id": signature.public_id,
            "which": "besluit",
            "demand": demand.public_id,
            "number": 1,
            "snapshot": snapshot.public_id,
            "run": run.public_id,
            "export": export.public_id,
            "lot_number": 1,
            "year": 0,
            "join_request": join_request.public_id,
            "consultation": consultation.slug,
            "document": consultation_document.public_id,
            "key": "q1",
            "response": consultation_response.public_id,
        },
        "invitation": invitation,
        "membership": viewer_a.memberships.get(),
        "org_a": org_a,
        "factory": MembershipFactory,
    }
    for module in PART_MODULES:
        world["args"].update(module.make(world))
    return world


def make_participation(programme, organisation, admin):
    """A draft participation of municipality A whose college decided to take part, with the
    admin as designated signer, a generated mandate and the signed scan the signer uploaded."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from municipalities.models import MandateDocument, Municipality
    from municipalities.services.mandates import mandate_upload_signed
    from municipalities.services.participations import participation_create
    from municipalities.tests.conftest import CONTACTS, MINIMAL_PDF, record_authority

    municipality = Municipality.objects.create(
        cbs_code="GM9001", name="Aadorp", province="Utrecht", organisation=organisation
    )
    participation = participation_create(
        actor=admin,
        programme=programme,
        organisation=organisation,
        municipalities=[municipality],
        contacts=CONTACTS,
    )
    record_authority(participation, actor=admin, signer=admin)
    document = MandateDocument.objects.create(
        participation=participation,
        version=1,
        status=MandateDocument.Status.DONE,
        signatory_name="J. Burgemeester",
        signatory_function="burgemeester",
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
    )
    document.file.save("mandaat.pdf", ContentFile(MINIMAL_PDF))
    signature = mandate_upload_signed(
        actor=admin,
        participation=participation,
        file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf"),
    )
    return participation, document, signature


def make_consultation(programme, project_team):
    """A published market consultation of the programme with a document, a published
    questionnaire (version 1) and a draft version 2 with the question ``q1``."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from consultations.services import consultation as consultations
    from municipalities.tests.conftest import MINIMAL_PDF

    actor = project_team.user
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-test",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=30),
    )
    version = consultation.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    consultations.question_add(
        actor=actor, version=version, section=section, type="yes_no", text="?", key="q1"
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    document = consultations.document_upload(
        actor=actor,
        consultation=consultation,
        title="Concept",
        file=SimpleUploadedFile("concept.pdf", MINIMAL_PDF, "application/pdf"),
    )
    consultations.consultation_publish(actor=actor, consultation=consultation)
    consultations.questionnaire_new_version(actor=actor, consultation=consultation)
    return consultation, document


def make_demand(organisation, admin):
    """An approved participation of municipality A in a second programme, with its demand, so
    the inventory URLs can be requested (the draft participation above keeps its own rows)."""
    from municipalities.models import Municipality
    from municipalities.services.demand import demand_for_participation
    from municipalities.services.participations import participation_create
    from municipalities.tests.conftest import CONTACTS
    from tenders.models import Programme

    programme = Programme.objects.create(
        slug="gt-demand",
        name="GT Demand",
        status=Programme.Status.JOINING,
        contract_start_year=2028,
    )
    participation = participation_create(
        actor=admin,
        programme=programme,
        organisation=organisation,
        municipalities=[Municipality.objects.get(organisation=organisation)],
        contacts=CONTACTS,
    )
    participation.status = "approved"
    participation.save()
    return demand_for_participation(participation=participation)


PERIOD = {"opens_date": "01-02-2035", "closes_date": "01-03-2035"}
CONSULTATION_POSTS = {
    "programmas/<slug:programme_slug>/marktconsultaties": {"title": "Nieuw", **PERIOD},
    "marktconsultaties/<slug:consultation>/beheer": {
        "action": "details",
        "details-title": "Gewijzigd",
        **{f"details-{k}": v for k, v in PERIOD.items()},
    },
    "marktconsultaties/<slug:consultation>/vragenlijst": {
        "action": "section",
        "section-title": "Extra",
    },
}


def fill(route: str, method: str, world) -> tuple[str, dict]:
    args = dict(world["args"])
    if route.startswith("api/v1/programmes/"):
        args["slug"] = args["programme_slug"]
        args["snapshot_id"] = args["snapshot"]
        args["run_id"] = args["run"]
    if route.startswith("programmas/<slug:programme_slug>/aggregatie"):
        args["programme_slug"] = "gt-test"
        args["request_id"] = "00000000-0000-4000-8000-000000000000"
    if route.startswith(("deelnames/", "api/v1/participations/")):
        args["public_id"] = args["participation"]
    if route.startswith(("inventarisatie/", "api/v1/demands/")):
        args["public_id"] = args["demand"]
    if route == "deelnames/<uuid:public_id>/inventarisatie":
        from municipalities.models import Demand

        args["public_id"] = Demand.objects.get(public_id=args["demand"]).participation.public_id
    if route.startswith("organisaties/<slug:slug>/aanvragen"):
        args["slug"] = world["personas"]["supplier_x"].organisation.slug
        args["public_id"] = args["join_request"]
    if "uitnodigingen/" in route:
        args["public_id"] = str(world["invitation"].public_id)
    elif "leden/" in route:
        args["public_id"] = str(world["membership"].public_id)
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), route)
    data: dict = {}
    if route == "organisaties/<slug:slug>/uitnodigen":
        data = {"email": "nieuw@aadorp.nl", "role": "viewer"}
    elif route == "organisatie-wisselen":
        data = {"organisation": str(world["org_a"].public_id)}
    elif route in (
        "programmas/<slug:programme_slug>/tijdlijn/<slug:kind>/wijzigen",
        "inventarisatie/<uuid:public_id>/verlengen",
    ):
        data = {"date": "15-06-2035", "time": "17:00", "reason": "Verlengd op verzoek."}
    elif route == "api/v1/demands/<uuid:public_id>/submit":
        from municipalities.models import Demand

        data = {"revision": Demand.objects.get(public_id=args["demand"]).revision}
    elif route in CONSULTATION_POSTS:
        data = CONSULTATION_POSTS[route]
    elif part_posts := next((m.POSTS[route] for m in PART_MODULES if route in m.POSTS), None):
        data = part_posts
    elif route == "i18n/setlang/":
        data = {"language": "en", "next": "/"}
    return path, data


def request(client: Client, method: str, path: str, data: dict):
    # Every request runs in a savepoint that is rolled back, so no persona changes what the
    # next one sees.
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif method == "POST":
            response = client.post(path, data)
        else:
            response = client.generic(method, path)
        transaction.set_rollback(True)
    return response


def matrix_failures(world, matrix=MATRIX, globs=GLOBS) -> list[str]:
    failures = []
    clients = {
        key: world["personas"][fixture].client() for key, fixture in PERSONA_FIXTURES.items()
    }
    rows = [(route, method, expected, None) for route, method, expected in matrix]
    rows += [(glob, method, expected, sample) for glob, sample, method, expected in globs]
    for route, method, expected, sample in rows:
        path, data = (sample, {}) if sample else fill(route, method, world)
        for persona, status in zip(PERSONAS, expected, strict=True):
            got = request(clients[persona], method, path, data).status_code
            if got != status:
                failures.append(f"{method} {path} as {persona}: expected {status}, got {got}")
    return failures


def test_permission_matrix(world):
    failures = matrix_failures(world)
    assert not failures, "\n".join(failures)


def test_the_matrix_catches_a_leak(world, monkeypatch):
    """The harness itself: with tenant scoping broken, the matrix fails for the other tenants."""
    from portal.models import OrganisationQuerySet

    monkeypatch.setattr(OrganisationQuerySet, "visible_to", lambda self, user: self)
    rows = [row for row in MATRIX if row[0] == "organisaties/<slug:slug>/"]
    failures = matrix_failures(world, rows, [])
    assert any("as edB: expected 404, got 200" in f for f in failures), failures
    assert any("as supX: expected 404, got 200" in f for f in failures), failures


def list_slugs(client: Client, url: str) -> set[str] | None:
    # The largest page the API serves (a larger limit is refused with a 400).
    response = client.get(url + ("?limit=200" if url.startswith("/api/") else ""))
    if response.status_code != 200:
        return None
    if url.startswith("/api/"):
        return {row.get("slug") or row["organisation"] for row in response.json()["results"]}
    return {org.slug for org in response.context["organisations"]}


def test_lists_return_only_the_callers_rows(world):
    from municipalities.models import Demand, Participation
    from portal.models import Organisation
    from tests.permission_matrix import LIST_SCOPES

    every = {
        "/organisaties/": set(Organisation.objects.values_list("slug", flat=True)),
        "/api/v1/organisations": set(Organisation.objects.values_list("slug", flat=True)),
        "/api/v1/participations": set(
            Participation.objects.values_list("organisation__slug", flat=True)
        ),
        "/api/v1/demands": set(
            Demand.objects.values_list("participation__organisation__slug", flat=True)
        ),
    }
    failures = []
    for url, scopes in LIST_SCOPES:
        for persona, scope in zip(PERSONAS, scopes, strict=True):
            fixture = world["personas"][PERSONA_FIXTURES[persona]]
            got = list_slugs(fixture.client(), url)
            own = {fixture.organisation.slug} if fixture.organisation else set()
            expected = {"none": None, "empty": set(), "own": own, "all": every[url]}[scope]
            if got != expected:
                failures.append(f"{url} as {persona}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)
