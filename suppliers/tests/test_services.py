import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import AuditEvent, Membership, Organisation, Role
from suppliers.models import JoinRequest, SupplierProfile
from suppliers.services import JOIN_REQUEST_ROLE, join_request_decide, supplier_register
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY = {
    "name": "Hardware Huis B.V.",
    "kvk_number": "12345678",
    "foreign_registration_number": "",
    "country": "NL",
    "street": "Stationsplein",
    "house_number": "1",
    "postcode": "3511ed",
    "city": "Utrecht",
    "vat_number": "NL000099998B57",
}


def register(user, **changes):
    return supplier_register(actor=user, **{**COMPANY, **changes})


def test_registering_creates_company_profile_and_admin_membership():
    user = UserFactory()
    organisation = register(user)
    assert organisation.kind == Organisation.Kind.SUPPLIER
    assert organisation.slug == "hardware-huis-bv"
    profile = organisation.supplier_profile
    assert profile.kvk_number == "12345678"
    assert profile.postcode == "3511 ED"
    assert profile.vat_number == "NL000099998B57"
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.ADMIN
    assert AuditEvent.objects.filter(action="supplier.registered", actor=user).count() == 1


def test_slug_is_unique_for_companies_with_the_same_name():
    first = register(UserFactory())
    second = register(UserFactory(), kvk_number="87654321")
    assert first.slug != second.slug


def test_foreign_supplier_registers_without_kvk_number():
    organisation = register(
        UserFactory(),
        country="DE",
        kvk_number="",
        foreign_registration_number="HRB 12345",
        postcode="10115",
        vat_number="DE136695976",
    )
    profile = organisation.supplier_profile
    assert profile.kvk_number is None
    assert (profile.country, profile.foreign_registration_number) == ("DE", "HRB 12345")


def test_existing_kvk_number_asks_to_join_instead(mailoutbox, django_capture_on_commit_callbacks):
    admin = UserFactory(email="admin@hardwarehuis.nl")
    organisation = register(admin)
    newcomer = UserFactory(email="nieuw@hardwarehuis.nl")
    with django_capture_on_commit_callbacks(execute=True):
        result = register(newcomer, name="Hardware Huis")
    assert isinstance(result, JoinRequest)
    assert result.organisation == organisation
    assert result.status == JoinRequest.Status.PENDING
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 1
    assert not Membership.objects.filter(user=newcomer).exists()
    assert [m.to for m in mailoutbox] == [["admin@hardwarehuis.nl"]]
    assert "nieuw@hardwarehuis.nl" in mailoutbox[0].body
    assert f"/organisaties/{organisation.slug}/aanvragen" in mailoutbox[0].body
    # Asking twice gives the same open request, not a second one.
    assert register(newcomer) == result


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kvk_number": ""}, "kvk_number"),
        ({"kvk_number": "1234"}, "kvk_number"),
        ({"postcode": ""}, "postcode"),
        ({"postcode": "1234 SS"}, "postcode"),
        ({"postcode": "0123 AB"}, "postcode"),
        ({"vat_number": "NL000099998B58"}, "vat_number"),
        ({"name": " "}, "name"),
        ({"country": "DE", "kvk_number": ""}, "foreign_registration_number"),
    ],
)
def test_bad_input_changes_nothing(changes, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        register(user, **changes)
    assert field in excinfo.value.message_dict
    assert not Organisation.objects.exists()
    assert not SupplierProfile.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_supplier_member_cannot_register_a_second_company(supplier_x_user):
    with pytest.raises(ValidationError):
        register(supplier_x_user)


def test_a_municipal_user_cannot_act_for_a_supplier(editor_a):
    with pytest.raises(PermissionDenied):
        register(editor_a)
    assert not SupplierProfile.objects.exists()


@pytest.fixture
def pending(db):
    admin = UserFactory(email="admin@hardwarehuis.nl")
    organisation = register(admin)
    join_request = register(UserFactory(email="nieuw@hardwarehuis.nl"))
    return admin, organisation, join_request


def test_admin_approves_and_requester_is_mailed(
    pending, mailoutbox, django_capture_on_commit_callbacks
):
    admin, organisation, join_request = pending
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decide(actor=admin, join_request=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == admin
    membership = Membership.objects.get(user=join_request.user, organisation=organisation)
    assert membership.role == JOIN_REQUEST_ROLE == Role.EDITOR
    assert [m.to for m in mailoutbox] == [["nieuw@hardwarehuis.nl"]]
    assert AuditEvent.objects.filter(action="supplier.join_approved").count() == 1


def test_admin_declines_and_no_membership_is_made(
    pending, mailoutbox, django_capture_on_commit_callbacks
):
    admin, organisation, join_request = pending
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decide(actor=admin, join_request=join_request, approve=False)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user=join_request.user).exists()
    assert [m.to for m in mailoutbox] == [["nieuw@hardwarehuis.nl"]]
    with pytest.raises(ValidationError):
        join_request_decide(actor=admin, join_request=join_request, approve=True)


def test_project_team_editor_may_decide(pending, project_team_user):
    _, _, join_request = pending
    join_request_decide(actor=project_team_user, join_request=join_request, approve=True)
    assert Membership.objects.filter(user=join_request.user).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_non_admin_member_and_other_supplier_may_not_decide(pending, supplier_y_user, role):
    _, organisation, join_request = pending
    member = MembershipFactory(organisation=organisation, role=role).user
    for actor in (member, supplier_y_user):
        with pytest.raises(PermissionDenied):
            join_request_decide(actor=actor, join_request=join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.is_pending
