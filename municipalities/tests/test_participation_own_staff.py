"""A joint body or another contracting authority (deelneming) joins in its own right, for its
own staff: also when the municipalities it acts for join themselves. Before, it could not."""

import pytest
from django.urls import reverse

from municipalities.models import CoveredMunicipality, Participation
from municipalities.selectors import demand_scope
from municipalities.services.demand import demand_for_participation
from municipalities.tests.test_participations import form_data
from portal.models import Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def create_url(programme):
    return reverse("municipalities:participation-create", args=[programme.slug])


def test_a_joint_body_joins_for_its_own_staff_when_its_municipality_joined_itself(
    personas, programme, municipalities, participation_a, joint_body
):
    joint_body.oin = "00000001234567890000"
    joint_body.save()
    client = personas["joint_body"].client()
    # Its municipality A joined itself: covering it again is refused ...
    refused = client.post(create_url(programme), form_data([municipalities["a"]]))
    assert refused.status_code == 422 and "doet al mee" in refused.content.decode()
    # ... joining for its own staff is not.
    response = client.post(
        create_url(programme),
        form_data([], joins_for="own_staff", seat_municipality=municipalities["a"].pk),
    )
    assert response.status_code == 302
    participation = Participation.objects.get(organisation=joint_body)
    assert participation.own_staff and participation.seat_municipality == municipalities["a"]
    assert not CoveredMunicipality.objects.filter(participation=participation).exists()
    # Its demand has one row: its own organisation, under the municipality where it sits.
    participation.status = Participation.Status.APPROVED
    participation.save()
    municipalities_in_scope, _categories, _years = demand_scope(
        demand_for_participation(participation=participation)
    )
    assert municipalities_in_scope == [municipalities["a"]]


def test_joining_for_own_staff_needs_the_seat(personas, programme, municipalities, joint_body):
    joint_body.kvk_number = "12345678"
    joint_body.save()
    response = (
        personas["joint_body"]
        .client()
        .post(create_url(programme), form_data([], joins_for="own_staff"))
    )
    assert response.status_code == 422
    assert "Kies de gemeente waar uw organisatie is gevestigd." in response.content.decode()
    assert not Participation.objects.filter(organisation=joint_body).exists()


def test_a_deelneming_joins_for_its_own_staff_and_needs_an_identifier(
    programme, municipalities, client
):
    deelneming = OrganisationFactory(
        name="Regionaal ICT-bedrijf", slug="regionaal-ict", kind=Organisation.Kind.OTHER_AUTHORITY
    )
    user = MembershipFactory(
        organisation=deelneming, role=Role.ADMIN, user=UserFactory(email="inkoop@ict.nl")
    ).user
    client.force_login(user)
    page = client.get(create_url(programme)).content.decode()
    assert "Gemeente waar uw organisatie is gevestigd" in page
    assert 'name="municipalities"' not in page and 'name="joins_for"' not in page
    data = form_data([], seat_municipality=municipalities["c"].pk)
    response = client.post(create_url(programme), data)
    assert response.status_code == 422
    assert "het OIN of KvK-nummer is nodig" in response.content.decode()
    deelneming.kvk_number = "87654321"
    deelneming.save()
    assert client.post(create_url(programme), data).status_code == 302
    participation = Participation.objects.get(organisation=deelneming)
    assert participation.own_staff and participation.seat_municipality == municipalities["c"]
