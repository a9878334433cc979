"""The demo's participants: every kind, consistent statuses, signed mandates that can be
downloaded, and demand in every category scaled by staff."""

import hashlib
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from demo.loader.demand import FLEET, staff
from demo.loader.organisations import PARTICIPANTS
from municipalities.models import (
    DemandCategoryOption,
    DemandVersionLine,
    MandateDocument,
    Municipality,
    Participation,
)
from portal.models import Organisation

pytestmark = pytest.mark.django_db
S = Participation.Status


def _participations():
    return Participation.objects.select_related("organisation").prefetch_related(
        "covered__municipality"
    )


def test_participants_of_every_kind_and_size(demo):
    participations = list(_participations())
    kinds = Counter(p.organisation.kind for p in participations)
    populations = [
        c.municipality.population
        for p in participations
        if p.organisation.kind == Organisation.Kind.MUNICIPALITY
        for c in p.covered.all()
    ]

    assert 20 <= len(participations) <= 40
    assert kinds[Organisation.Kind.JOINT_BODY] == 1
    assert kinds[Organisation.Kind.OTHER_AUTHORITY] == 1
    assert kinds[Organisation.Kind.MUNICIPALITY] == len(participations) - 2
    assert max(populations) > 300_000  # a large city
    assert sum(1 for p in populations if 50_000 <= p < 200_000) >= 10  # mid-sized
    assert sum(1 for p in populations if p < 20_000) >= 5  # small
    joint_body = next(p for p in participations if p.organisation.slug == "werkorganisatie-buch")
    assert sorted(c.municipality.cbs_code for c in joint_body.covered.all()) == [
        "GM0373",
        "GM0383",
        "GM0399",
        "GM0450",
    ]


def test_the_deelneming_is_an_authority_with_its_own_identifiers(demo):
    deelneming = Organisation.objects.get(kind=Organisation.Kind.OTHER_AUTHORITY)

    assert deelneming.is_buyer
    assert len(deelneming.kvk_number) == 8 and deelneming.kvk_number.isdigit()
    assert len(deelneming.oin) == 20 and deelneming.kvk_number in deelneming.oin
    assert deelneming.memberships.exists()
    # It joined in its own right, for its own staff, and may call off under every lot.
    participation = deelneming.participations.get()
    assert participation.own_staff and participation.seat_municipality.cbs_code == "GM0307"
    from tenders.models import LotAuthority

    rows = LotAuthority.objects.filter(participation=participation, snapshot__is_frozen=True)
    assert rows.count() == 2
    assert {(r.kind, r.scheme, r.identifier) for r in rows} == {
        ("other_authority", "oin", deelneming.oin)
    }
    assert all(r.has_demand and r.maximum_value > r.estimated_value > 0 for r in rows)


def test_statuses_as_a_few_weeks_after_the_demand_deadline(demo):
    statuses = Counter(_participations().values_list("status", flat=True))

    assert set(statuses) == {S.APPROVED, S.RETURNED, S.WITHDRAWN}
    assert statuses[S.APPROVED] > 20 and statuses[S.RETURNED] == statuses[S.WITHDRAWN] == 2
    for participation in _participations():
        has_demand = (
            participation.demand.versions.exists() if hasattr(participation, "demand") else False
        )
        if participation.status == S.APPROVED:
            assert participation.demand.status == "submitted" and has_demand
        else:
            assert not has_demand
        if participation.status == S.RETURNED:
            assert participation.return_reason and participation.decided_at
        if participation.status == S.WITHDRAWN:
            assert participation.withdrawal_reason and participation.withdrawn_at
            assert not participation.covered.filter(is_active=True).exists()


def test_every_participant_has_a_rendered_mandate_signed_by_the_named_signatory(demo):
    for participation in _participations():
        document = participation.mandate_documents.get()
        signature = participation.mandate_signatures.get()
        participant = next(p for p in PARTICIPANTS if p.slug == participation.organisation.slug)

        assert document.status == MandateDocument.Status.DONE
        with document.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
        assert signature.document == document and signature.sha256 == document.sha256
        assert document.signatory_name == signature.signatory_name == participant.signatory
        assert signature.signatory.email == participant.signatory_email
        assert signature.method == "portal" and signature.mfa_confirmed_at is not None


def test_an_approved_participant_downloads_its_mandate_and_the_signed_version(demo):
    participation = _participations().get(organisation__slug="gemeente-utrecht")
    document = participation.mandate_documents.get()
    signature = participation.mandate_signatures.get()
    client = Client()
    client.force_login(participation.organisation.memberships.get(role="admin").user)

    pdf = client.get(
        reverse(
            "municipalities:mandate-download",
            kwargs={"public_id": participation.public_id, "document_id": document.public_id},
        )
    )
    signed = client.get(
        reverse(
            "municipalities:signed-mandate-download",
            kwargs={"public_id": participation.public_id, "signature_id": signature.public_id},
        )
    )

    assert pdf.status_code == 200 and signed.status_code == 200
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == document.sha256
    assert b"".join(signed.streaming_content).startswith(b"%PDF")


def test_demand_in_every_category_scaled_by_staff(demo):
    lines = DemandVersionLine.objects.filter(version__snapshots__is_frozen=True)
    categories = set(lines.filter(quantity__gt=0).values_list("category__slug", flat=True))
    assert categories == set(FLEET)
    services = {s for o in DemandCategoryOption.objects.all() for s in o.services}
    assert services == {"delivery", "installation", "management", "take-back-data-erasure"}

    utrecht = Municipality.objects.get(cbs_code="GM0344")
    workplaces, employees = staff(utrecht)
    laptops = list(
        lines.filter(municipality=utrecht, category__slug="laptop")
        .order_by("year")
        .values_list("quantity", flat=True)
    )
    # About one laptop for most workplaces, a quarter replaced each year, one wave year.
    assert employees == round(utrecht.population / 100)
    assert workplaces == round(utrecht.population / 100 * 1.2)
    assert len(laptops) == 4
    assert sum(laptops) == pytest.approx(workplaces * 0.85, rel=0.01)
    assert max(laptops) == pytest.approx(workplaces * 0.85 / 4 * 1.3, abs=1)


@pytest.mark.parametrize(
    "name",
    [
        "tenders:programme-detail",
        "tenders:lot-list",
        "tenders:participation-overview",
        "tenders:demand-overview",
        "tenders:aggregation",
    ],
)
def test_the_project_team_pages_show_the_demo(demo, name):
    from demo.loader import USERS
    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(email=USERS[0].email))

    response = client.get(reverse(name, kwargs={"programme_slug": "gt-hardware-werkplek"}))

    assert response.status_code == 200


def test_a_participant_sees_its_approved_registration_and_submitted_demand(demo):
    participation = _participations().get(organisation__slug="werkorganisatie-buch")
    client = Client()
    client.force_login(participation.organisation.memberships.get(role="admin").user)

    page = client.get(
        reverse(
            "municipalities:participation-detail", kwargs={"public_id": participation.public_id}
        )
    )

    assert page.status_code == 200
    assert "Hanneke Kramer" in page.content.decode()
