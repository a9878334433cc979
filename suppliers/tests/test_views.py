import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from portal.models import Membership, Organisation, Role
from suppliers.models import JoinRequest, SupplierProfile
from suppliers.services import supplier_register
from suppliers.tests.test_services import COMPANY
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/leveranciers/registreren"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_register_form_is_shown():
    response = client_for(UserFactory()).get(URL)
    assert response.status_code == 200
    assert b'name="kvk_number"' in response.content


def test_anonymous_is_sent_to_login():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_register_goes_to_the_verification_page():
    user = UserFactory()
    response = client_for(user).post(URL, COMPANY)
    organisation = Organisation.objects.get(kind=Organisation.Kind.SUPPLIER)
    assert response.status_code == 302
    # A new company is unverified: its next step is to show its KvK registration.
    assert response["Location"] == f"/leveranciers/{organisation.slug}/verificatie"
    assert Membership.objects.get(user=user).role == Role.ADMIN


def test_existing_kvk_goes_to_request_sent_page(mailoutbox, django_capture_on_commit_callbacks):
    admin = UserFactory(email="admin@hardwarehuis.nl")
    supplier_register(actor=admin, **COMPANY)
    client = client_for(UserFactory(email="nieuw@hardwarehuis.nl"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, COMPANY)
    assert response.status_code == 302
    assert response["Location"] == "/leveranciers/aanvraag-verstuurd"
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 1
    assert [m.to for m in mailoutbox] == [["admin@hardwarehuis.nl"]]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["join_request"] == JoinRequest.objects.get()


def test_bad_input_is_shown_next_to_the_field_and_kept():
    data = {**COMPANY, "postcode": "1234 SA", "kvk_number": "123"}
    response = client_for(UserFactory()).post(URL, data)
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"postcode", "kvk_number"}
    content = response.content.decode()
    assert 'id="id_postcode-error"' in content
    assert 'href="#id_kvk_number"' in content  # the error summary
    assert 'value="Hardware Huis B.V."' in content
    assert 'value="1234 SA"' in content
    assert not SupplierProfile.objects.exists()


def test_foreign_company_needs_no_kvk_number_nor_postcode():
    data = {
        **COMPANY,
        "country": "BE",
        "kvk_number": "",
        "postcode": "",
        "foreign_registration_number": "0403.019.261",
        "vat_number": "BE0403019261",
    }
    response = client_for(UserFactory()).post(URL, data)
    assert response.status_code == 302
    assert SupplierProfile.objects.get().kvk_number is None


def test_supplier_member_is_sent_to_own_company(supplier_x_user, supplier_x):
    response = client_for(supplier_x_user).post(URL, COMPANY)
    assert response.status_code == 302
    assert response["Location"] == f"/organisaties/{supplier_x.slug}/"
    assert not SupplierProfile.objects.exists()


@pytest.fixture
def company(db):
    admin = UserFactory(email="admin@hardwarehuis.nl")
    organisation = supplier_register(actor=admin, **COMPANY)
    join_request = supplier_register(actor=UserFactory(email="nieuw@hardwarehuis.nl"), **COMPANY)
    return admin, organisation, join_request


def test_admin_sees_and_approves_join_requests(company):
    admin, organisation, join_request = company
    client = client_for(admin)
    listing = client.get(f"/organisaties/{organisation.slug}/aanvragen")
    assert listing.status_code == 200
    assert b"nieuw@hardwarehuis.nl" in listing.content
    response = client.post(
        f"/organisaties/{organisation.slug}/aanvragen/{join_request.public_id}/goedkeuren"
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=join_request.user, organisation=organisation).exists()
    # Decided requests are gone from the list and cannot be decided again.
    again = client.post(
        f"/organisaties/{organisation.slug}/aanvragen/{join_request.public_id}/afwijzen"
    )
    assert again.status_code == 404


def test_admin_declines(company):
    admin, organisation, join_request = company
    response = client_for(admin).post(
        f"/organisaties/{organisation.slug}/aanvragen/{join_request.public_id}/afwijzen"
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_other_supplier_gets_404_and_non_admin_member_403(company, supplier_y_user):
    _, organisation, join_request = company
    viewer = MembershipFactory(organisation=organisation, role=Role.VIEWER).user
    base = f"/organisaties/{organisation.slug}/aanvragen"
    decide = f"{base}/{join_request.public_id}/goedkeuren"
    assert client_for(supplier_y_user).get(base).status_code == 404
    assert client_for(supplier_y_user).post(decide).status_code == 404
    assert client_for(viewer).get(base).status_code == 403
    assert client_for(viewer).post(decide).status_code == 403
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_join_requests_of_a_municipality_do_not_exist(admin_a, org_a):
    assert client_for(admin_a).get(f"/organisaties/{org_a.slug}/aanvragen").status_code == 404


def test_organisation_page_links_admins_to_join_requests(company):
    admin, organisation, _ = company
    response = client_for(admin).get(f"/organisaties/{organisation.slug}/")
    assert f"/organisaties/{organisation.slug}/aanvragen".encode() in response.content


def test_home_links_people_without_organisation_to_registration():
    response = client_for(UserFactory()).get("/")
    assert URL.encode() in response.content


def test_database_refuses_a_malformed_kvk_and_a_profile_without_registration(supplier_x):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierProfile.objects.create(
            organisation=supplier_x, kvk_number="1234", street="s", house_number="1", city="c"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupplierProfile.objects.create(
            organisation=supplier_x, kvk_number=None, street="s", house_number="1", city="c"
        )


def test_database_allows_one_pending_request_per_person(company):
    _, organisation, join_request = company
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinRequest.objects.create(organisation=organisation, user=join_request.user)


def test_a_buyer_is_told_why_registering_a_supplier_is_refused(editor_a):
    response = client_for(editor_a).get(URL)
    assert response.status_code == 403
    assert "mededingingsregels" in response.content.decode()
    response = client_for(editor_a).post(URL, COMPANY)
    assert response.status_code == 403
    assert not Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).exists()
