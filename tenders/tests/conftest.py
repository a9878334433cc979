from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from municipalities.models import CoveredMunicipality, Municipality, Participation
from portal.models import Role
from tenders.models import Milestone, Programme
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def programme(db):
    programme = Programme.objects.create(
        slug="gt-hardware",
        name="GT Hardware – werkplek",
        status=Programme.Status.JOINING,
        contract_start_year=2028,
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.JOINING_DEADLINE,
        due_at=timezone.now() + timedelta(days=30),
    )
    return programme


@pytest.fixture
def towns(org_a, org_b):
    """Four municipalities: A and B have an organisation in the portal, C and D do not."""
    return {
        "a": Municipality.objects.create(
            cbs_code="GM9001",
            name="Aadorp",
            province="Utrecht",
            population=12000,
            organisation=org_a,
        ),
        "b": Municipality.objects.create(
            cbs_code="GM9002",
            name="Bedum",
            province="Groningen",
            population=9000,
            organisation=org_b,
        ),
        "c": Municipality.objects.create(
            cbs_code="GM9003", name="Cadorp", province="Utrecht", population=30000
        ),
        "d": Municipality.objects.create(
            cbs_code="GM9004", name="Dedorp", province="Utrecht", population=45000
        ),
    }


def participate(programme, organisation, municipalities, status=Participation.Status.DRAFT):
    """A participation in ``status`` covering ``municipalities`` (straight into the database:
    the workflow itself is the municipalities app's to test)."""
    now = timezone.now()
    participation = Participation.objects.create(
        programme=programme,
        organisation=organisation,
        status=status,
        submitted_at=now if status != Participation.Status.DRAFT else None,
        withdrawn_at=now if status == Participation.Status.WITHDRAWN else None,
    )
    CoveredMunicipality.objects.bulk_create(
        [
            CoveredMunicipality(
                participation=participation,
                municipality=m,
                programme=programme,
                is_active=status != Participation.Status.WITHDRAWN,
            )
            for m in municipalities
        ]
    )
    return participation


@pytest.fixture
def project_team_viewer(project_team):
    user = MembershipFactory(
        organisation=project_team, role=Role.VIEWER, user=UserFactory(email="lezer@vng.nl")
    ).user
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # MFA is required for the team
    return user


def open_consultation(
    actor,
    *,
    slug: str,
    programme_slug: str,
    question_key: str = "q1",
    question_text: str = "Refurbished?",
    programme_status: str = Programme.Status.DRAFT,
):
    """A published consultation that is open now (since yesterday, for 30 days), with a
    published questionnaire of one yes/no question."""
    from consultations.services import consultation as consultations

    programme = Programme.objects.create(
        slug=programme_slug, name="GT", status=programme_status, contract_start_year=2028
    )
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug=slug,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    consultations.question_add(
        actor=actor,
        version=version,
        section=section,
        type="yes_no",
        text=question_text,
        key=question_key,
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)
