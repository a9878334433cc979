from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from municipalities.models import JointBodyMunicipality, MandateDocument, Municipality
from tenders.models import Milestone, Programme

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def programme(db):
    programme = Programme.objects.create(
        slug="gt-hardware",
        name="GT Hardware – werkplek",
        status=Programme.Status.JOINING,
        contract_start_year=2028,
    )
    now = timezone.now()
    Milestone.objects.create(
        programme=programme, kind=Milestone.Kind.JOINING_DEADLINE, due_at=now + timedelta(days=30)
    )
    Milestone.objects.create(
        programme=programme, kind=Milestone.Kind.FREEZE, due_at=now + timedelta(days=90)
    )
    return programme


@pytest.fixture
def municipalities(org_a, org_b, joint_body):
    a = Municipality.objects.create(
        cbs_code="GM9001", name="Aadorp", province="Utrecht", organisation=org_a
    )
    b = Municipality.objects.create(
        cbs_code="GM9002", name="Bedum", province="Groningen", organisation=org_b
    )
    c = Municipality.objects.create(cbs_code="GM9003", name="Cadorp", province="Utrecht")
    d = Municipality.objects.create(cbs_code="GM9004", name="Dedorp", province="Utrecht")
    for m in (a, c, d):
        JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=m)
    return {"a": a, "b": b, "c": c, "d": d}


CONTACTS = {
    "procurement": {"name": "Ilse Inkoper", "email": "inkoop@aadorp.nl", "phone": ""},
    "ict_workplace": {"name": "", "email": "", "phone": ""},
    "contract_management": {"name": "", "email": "", "phone": ""},
}


def record_authority(
    participation,
    *,
    actor,
    signer,
    basis="mayor",
    name="Burgemeester Aadorp",
    function="burgemeester",
    decision_reference="B&W 2026/17",
):
    """Record the college's decision and the signer, as the participant does on its page."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from municipalities.services.signing import signing_authority_set

    return signing_authority_set(
        actor=actor,
        participation=participation,
        basis=basis,
        signer=signer,
        signer_name=name,
        signer_function=function,
        decision_date=date(2026, 1, 13),
        decision_reference=decision_reference,
        decision_file=SimpleUploadedFile("besluit.pdf", MINIMAL_PDF, "application/pdf"),
        designation_file=(
            SimpleUploadedFile("aanwijzing.pdf", MINIMAL_PDF, "application/pdf")
            if basis == "designated"
            else None
        ),
    )


@pytest.fixture
def participation_a(programme, municipalities, editor_a, admin_a, org_a):
    """A draft registration of Aadorp whose college decided to take part; the mayor (admin_a
    in the portal) signs."""
    from municipalities.services.participations import participation_create

    participation = participation_create(
        actor=editor_a,
        programme=programme,
        organisation=org_a,
        municipalities=[municipalities["a"]],
        contacts=CONTACTS,
    )
    record_authority(participation, actor=editor_a, signer=admin_a)
    return participation


@pytest.fixture
def ready_document(participation_a, editor_a):
    document = MandateDocument.objects.create(
        participation=participation_a,
        version=1,
        status=MandateDocument.Status.DONE,
        signatory_name="Burgemeester Aadorp",
        signatory_function="burgemeester",
        signer_basis="mayor",
        created_by=editor_a,
        sha256="0" * 64,
    )
    document.file.save("mandaat.pdf", ContentFile(MINIMAL_PDF))
    import hashlib

    document.sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
    document.save()
    return document
