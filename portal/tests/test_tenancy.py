"""A user of municipality A gets 404 on objects of municipality B; read-only roles get 403."""

import pytest
from django.urls import reverse

from portal.models import Organisation
from portal.paged_rows import LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_other_municipality_is_not_found(personas, org_b):
    client = personas["editor_a"].client()
    assert client.get(reverse("portal:organisation-detail", args=[org_b.slug])).status_code == 404
    assert client.get(reverse("portal:invitation-create", args=[org_b.slug])).status_code == 404
    assert client.get(f"/api/v1/organisations/{org_b.slug}").status_code == 404
    assert client.get(f"/api/v1/organisations/{org_b.slug}/members").status_code == 404


def test_not_found_looks_like_not_existing(personas, org_b):
    client = personas["editor_a"].client()
    hidden = client.get(f"/api/v1/organisations/{org_b.slug}")
    missing = client.get("/api/v1/organisations/bestaat-niet")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]


def test_own_organisation_is_visible(personas, org_a):
    client = personas["viewer_a"].client()
    response = client.get(reverse("portal:organisation-detail", args=[org_a.slug]))
    assert response.status_code == 200
    assert response.context["can_manage"] is False


@pytest.mark.parametrize("persona", ["viewer_a", "editor_a"])
def test_non_admin_member_may_not_invite(personas, org_a, persona):
    client = personas[persona].client()
    assert client.get(reverse("portal:invitation-create", args=[org_a.slug])).status_code == 403
    response = client.post(
        reverse("portal:invitation-create", args=[org_a.slug]),
        {"email": "x@aadorp.nl", "role": "viewer"},
    )
    assert response.status_code == 403


def test_project_team_sees_every_organisation(personas, org_a, org_b, supplier_x):
    client = personas["project_team"].client()
    for org in (org_a, org_b, supplier_x):
        assert client.get(reverse("portal:organisation-detail", args=[org.slug])).status_code == 200
    slugs = {row["slug"] for row in client.get("/api/v1/organisations").json()["results"]}
    assert {org_a.slug, org_b.slug, supplier_x.slug} <= slugs


def test_list_shows_only_own_organisations(personas, org_a, org_b, supplier_x):
    client = personas["editor_a"].client()
    response = client.get(reverse("portal:organisation-list"))
    assert [o.slug for o in response.context["organisations"]] == [org_a.slug]
    slugs = [row["slug"] for row in client.get("/api/v1/organisations").json()["results"]]
    assert slugs == [org_a.slug]


def test_supplier_never_sees_other_supplier(personas, supplier_y):
    client = personas["supplier_x"].client()
    url = reverse("portal:organisation-detail", args=[supplier_y.slug])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(personas, org_a):
    client = personas["anonymous"].client()
    response = client.get(reverse("portal:organisation-detail", args=[org_a.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(f"/api/v1/organisations/{org_a.slug}").status_code in (401, 403)


def test_member_removal_by_other_tenant_is_not_found(personas, org_a, viewer_a):
    membership = viewer_a.memberships.get()
    client = personas["editor_b"].client()
    url = reverse("portal:membership-remove", args=[org_a.slug, membership.public_id])
    assert client.post(url).status_code == 404
    assert viewer_a.memberships.exists()


def test_organisation_list_query_count_is_constant(personas, django_assert_max_num_queries):
    from tests.factories import OrganisationFactory

    client = personas["project_team"].client()
    client.get(reverse("portal:organisation-list"))  # warm up the session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("portal:organisation-list"))
    OrganisationFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:organisation-list"))
    assert response.context["page"].paginator.count == Organisation.objects.count() == 46
    assert len(response.context["organisations"]) == min(46, LIST_PAGE_SIZE)


def test_organisation_list_is_paginated_and_keeps_the_filter(personas):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(55)
    client = personas["project_team"].client()
    first = client.get(reverse("portal:organisation-list"), {"kind": "municipality"})
    assert first.context["page"].paginator.count == 57
    assert len(first.context["organisations"]) == LIST_PAGE_SIZE
    assert "?kind=municipality&amp;pagina=2" in first.content.decode()
    last_page = (57 - 1) // LIST_PAGE_SIZE + 1
    last = client.get(
        reverse("portal:organisation-list"), {"kind": "municipality", "pagina": last_page}
    )
    assert len(last.context["organisations"]) == 57 - (last_page - 1) * LIST_PAGE_SIZE


def test_membership_scoping_is_a_semi_join_without_distinct(editor_a, org_a, org_b):
    """``member_of``: the rows of the user's own organisations, each once, read with
    ``IN (SELECT …)`` instead of a join that needed ``DISTINCT`` over every wide row."""
    from portal.models import Membership
    from tests.factories import MembershipFactory

    # A second member of A: a join on A's memberships would give A twice without the filter.
    MembershipFactory(organisation=org_a)
    visible = Organisation.objects.visible_to(editor_a)
    assert list(visible) == [org_a]
    sql = str(visible.query).upper()
    assert "DISTINCT" not in sql and " IN (SELECT" in sql
    members = Membership.objects.visible_to(editor_a)
    assert {m.organisation_id for m in members} == {org_a.pk}
    assert members.count() == Membership.objects.filter(organisation=org_a).count() == 2
    assert org_b.pk not in {m.organisation_id for m in Membership.objects.visible_to(editor_a)}


def test_participations_demands_and_responses_are_scoped_without_distinct(editor_a):
    from consultations.models import ConsultationResponse, ResponseSubmission
    from municipalities.models import Demand, Participation

    for model in (Participation, Demand, ConsultationResponse, ResponseSubmission):
        sql = str(model.objects.visible_to(editor_a).query).upper()
        assert "DISTINCT" not in sql and "PORTAL_MEMBERSHIP" in sql, model


def _read_memberships(user, method: str):
    from django.test import RequestFactory

    from portal.active import memberships_of

    request = getattr(RequestFactory(), method.lower())("/")
    request.user = user
    request.session = {}
    memberships_of(request)
    return request


def test_a_read_only_request_scopes_with_the_ids_it_read(editor_a, org_a, org_b):
    """In a GET whose memberships were read already, the scoping names the organisations
    instead of asking the memberships again in a subquery (decision 0036)."""
    from municipalities.models import Participation

    _read_memberships(editor_a, "GET")
    visible = Organisation.objects.visible_to(editor_a)
    assert list(visible) == [org_a]
    sql = str(visible.query).upper()
    assert "PORTAL_MEMBERSHIP" not in sql and f"IN ({org_a.pk})" in sql
    assert "PORTAL_MEMBERSHIP" not in str(Participation.objects.visible_to(editor_a).query).upper()


def test_a_write_request_asks_the_memberships_again(editor_a, org_a, org_b):
    """A POST may change memberships: one added after the memberships were read is seen."""
    from tests.factories import MembershipFactory

    _read_memberships(editor_a, "POST")
    MembershipFactory(user=editor_a, organisation=org_b)
    visible = Organisation.objects.visible_to(editor_a)
    assert " IN (SELECT" in str(visible.query).upper()
    assert set(visible) == {org_a, org_b}


def test_a_user_without_organisations_sees_nothing_in_a_read_only_request(org_a):
    from municipalities.models import Participation
    from tests.factories import UserFactory

    nobody = UserFactory()
    _read_memberships(nobody, "GET")
    assert list(Organisation.objects.visible_to(nobody)) == []
    assert list(Participation.objects.visible_to(nobody)) == []


def test_a_page_of_a_member_reads_the_memberships_once(personas, org_a):
    """The memberships query of the request is the only one that reads the user's memberships:
    the page's own scoping names the organisations (it asked again in a subquery before)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas["editor_a"].client()
    url = reverse("portal:organisation-list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    user_id = personas["editor_a"].user.pk
    reading = [
        q["sql"]
        for q in queries.captured_queries
        if re.search(rf'"portal_membership"\."user_id" = {user_id}\b', q["sql"])
        or re.search(rf'FROM "portal_membership" \S+ WHERE \S+"user_id" = {user_id}\b', q["sql"])
    ]
    assert len(reading) == 1, "\n\n".join(reading)


def test_what_asks_for_a_membership_answers_from_the_memberships_read(
    editor_a, org_a, org_b, django_assert_num_queries
):
    """In a GET, "a member of a supplier?" and "the membership in this organisation" are
    answered from the memberships read at the start, with no query; the answers are the same
    as the database gives."""
    from portal.selectors import membership_for
    from portal.tenancy import is_member_of_a
    from suppliers.selectors import user_supplier_membership

    expected = membership_for(user=editor_a, organisation=org_a)
    _read_memberships(editor_a, "GET")
    with django_assert_num_queries(0):
        assert membership_for(user=editor_a, organisation=org_a) == expected
        assert membership_for(user=editor_a, organisation=org_b) is None
        assert is_member_of_a(editor_a, "municipality") is True
        assert is_member_of_a(editor_a, "supplier") is False
        assert user_supplier_membership(user=editor_a) is None


def test_a_write_request_asks_for_a_membership_again(supplier_x_user, supplier_x):
    """After the memberships of a POST were read, a membership added halfway is seen."""
    from portal.selectors import membership_for
    from portal.tenancy import is_member_of_a
    from suppliers.selectors import user_supplier_membership
    from tests.factories import MembershipFactory

    user = supplier_x_user
    user.memberships.all().delete()
    _read_memberships(user, "POST")
    added = MembershipFactory(user=user, organisation=supplier_x)
    assert is_member_of_a(user, "supplier") is True
    assert user_supplier_membership(user=user) == added
    assert membership_for(user=user, organisation=supplier_x) == added
