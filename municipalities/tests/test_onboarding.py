"""A person without an organisation asks to join one; its admins or the project team decide."""

import pytest
from django.test import Client
from django.urls import reverse

from municipalities.models import Municipality, OrganisationJoinRequest
from municipalities.selectors.onboarding import SEARCH_LIMIT, organisation_search
from portal.models import AuditEvent, Membership, Organisation, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeist(db):
    organisation = Organisation.objects.create(
        slug="gemeente-zeist", name="Gemeente Zeist", kind=Organisation.Kind.MUNICIPALITY
    )
    Municipality.objects.create(
        cbs_code="GM0355", name="Zeist", province="Utrecht", organisation=organisation
    )
    return organisation


@pytest.fixture
def newcomer(db):
    return UserFactory(email="nieuw@zeist.nl", name="Nina Nieuw")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ask(client, organisation, **data):
    return client.post(
        reverse("municipalities:join-request-create", args=[organisation.public_id]),
        {"function": "Inkoper", "message": "Ik doe de inkoop van werkplekken.", **data},
    )


def test_search_finds_by_name_and_by_cbs_code(zeist, newcomer):
    client = _client(newcomer)
    for query in ("zeis", "GM0355", "355", "gm 0355"):
        page = client.get(reverse("municipalities:organisation-search"), {"q": query})
        assert page.status_code == 200
        assert reverse("municipalities:join-request-create", args=[zeist.public_id]) in (
            page.content.decode()
        ), query
    page = client.get(reverse("municipalities:organisation-search"), {"q": "z"})
    assert page.status_code == 422


def test_search_is_bounded(db):
    Organisation.objects.bulk_create(
        Organisation(slug=f"gemeente-x{i}", name=f"Gemeente X{i}", kind="municipality")
        for i in range(60)
    )
    assert len(organisation_search(query="gemeente")) == SEARCH_LIMIT + 1


def test_without_an_administrator_the_project_team_decides(
    zeist, newcomer, personas, mailoutbox, django_capture_on_commit_callbacks
):
    team = personas["project_team"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(_client(newcomer), zeist)
    assert response.status_code == 302
    join_request = OrganisationJoinRequest.objects.get(user=newcomer)
    assert join_request.status == "pending"
    assert [m.to for m in mailoutbox] == [[team.user.email]]
    assert "Nina Nieuw" in mailoutbox[0].subject and "Zeist" in mailoutbox[0].subject
    assert "GT-portaal" in mailoutbox[0].body

    page = team.client().get(reverse("municipalities:join-request-list"))
    assert "nieuw@zeist.nl" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = team.client().post(
            reverse("municipalities:join-request-decide", args=[join_request.public_id]),
            {"decision": "approve", "role": "admin"},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, organisation=zeist)
    assert membership.role == Role.ADMIN
    assert mailoutbox[-1].to == [newcomer.email]
    assert "goedgekeurd" in mailoutbox[-1].subject or "approved" in mailoutbox[-1].subject
    assert AuditEvent.objects.filter(action="organisation.join_approved").count() == 1


def test_with_an_administrator_the_administrator_decides(
    zeist, newcomer, personas, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="beheer@zeist.nl")
    Membership.objects.create(user=admin, organisation=zeist, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(_client(newcomer), zeist)
    assert [m.to for m in mailoutbox] == [["beheer@zeist.nl"]]
    join_request = OrganisationJoinRequest.objects.get(user=newcomer)
    # Another organisation's administrator cannot see or decide it.
    other = personas["admin_a"].client()
    url = reverse("municipalities:join-request-decide", args=[join_request.public_id])
    assert other.post(url, {"decision": "approve"}).status_code == 404
    assert (
        "nieuw@zeist.nl"
        not in other.get(reverse("municipalities:join-request-list")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        _client(admin).post(url, {"decision": "decline"})
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert not Membership.objects.filter(user=newcomer, organisation=zeist).exists()
    assert mailoutbox[-1].to == [newcomer.email]


def test_a_supplier_cannot_ask_to_join_a_municipality(zeist, personas):
    response = _ask(personas["supplier_x"].client(), zeist)
    assert response.status_code == 422
    assert not OrganisationJoinRequest.objects.exists()


def test_asking_twice_makes_one_request_and_requests_are_bounded(zeist, newcomer):
    client = _client(newcomer)
    _ask(client, zeist)
    _ask(client, zeist)
    assert OrganisationJoinRequest.objects.count() == 1
    others = [
        Organisation.objects.create(
            slug=f"gemeente-y{i}", name=f"Gemeente Y{i}", kind="municipality"
        )
        for i in range(3)
    ]
    responses = [_ask(client, organisation) for organisation in others]
    assert [r.status_code for r in responses] == [302, 302, 422]
    assert OrganisationJoinRequest.objects.count() == 3


def test_the_page_for_someone_without_an_organisation_offers_to_ask(newcomer):
    page = _client(newcomer).get(reverse("portal:home"))
    assert reverse("municipalities:organisation-search") in page.content.decode()


def test_the_project_team_adds_a_joint_body_and_another_authority(zeist, personas):
    team = personas["project_team"].client()
    url = reverse("municipalities:authority-create")
    response = team.post(
        url, {"name": "Werkorganisatie Zeist-De Bilt", "kind": "joint_body", "cbs_codes": "355"}
    )
    assert response.status_code == 302
    body = Organisation.objects.get(name="Werkorganisatie Zeist-De Bilt")
    assert body.kind == "joint_body"
    assert list(body.covered_municipalities.values_list("municipality__cbs_code", flat=True)) == [
        "GM0355"
    ]
    response = team.post(url, {"name": "ICT Oost", "kind": "other_authority", "cbs_codes": ""})
    assert response.status_code == 422  # no KvK number or OIN
    response = team.post(
        url, {"name": "ICT Oost", "kind": "joint_body", "cbs_codes": "GM0355, GM9998"}
    )
    assert response.status_code == 422
    assert "GM9998" in response.content.decode()
    assert not Organisation.objects.filter(name="ICT Oost").exists()
    assert personas["admin_a"].client().get(url).status_code == 404


def test_removing_a_person_removes_their_requests_and_contact_rows(zeist, newcomer):
    from municipalities.models import BulkInvitation, OrganisationContact
    from portal.privacy import user_remove

    OrganisationJoinRequest.objects.create(organisation=zeist, user=newcomer, message="Hoi")
    OrganisationContact.objects.create(organisation=zeist, email="nieuw@zeist.nl", name="Nina")
    bulk = BulkInvitation.objects.create(
        report=[{"row": 2, "email": "nieuw@zeist.nl", "name": "Nina", "sent": True, "reason": ""}]
    )
    user_remove(actor=newcomer, user=newcomer)
    assert not OrganisationJoinRequest.objects.exists()
    assert not OrganisationContact.objects.exists()
    bulk.refresh_from_db()
    assert bulk.report == [{"row": 2, "email": "", "name": "", "sent": True, "reason": ""}]
