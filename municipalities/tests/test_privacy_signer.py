# ruff: noqa: F811 - the "mayor" fixture is imported from test_mandate_authority
"""Personal data of a mandate's signer: the authority is audited by pseudonym; a signer of a
registration in progress cannot be removed; a signature stays as evidence after removal and is
in the signer's data download."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from conftest import totp_code
from municipalities.models import Participation
from municipalities.services.mandates import mandate_sign
from municipalities.tests.conftest import record_authority
from municipalities.tests.test_mandate_authority import _media_root, mayor, rendered  # noqa: F401
from portal.models import AuditEvent
from portal.privacy import removal_blockers, user_remove

pytestmark = pytest.mark.django_db


def test_the_signer_is_audited_by_pseudonym_and_kept_while_the_registration_runs(
    participation_a, editor_a, mayor, client
):
    record_authority(participation_a, actor=editor_a, signer=mayor, name="A. de Vries")
    event = AuditEvent.objects.filter(action="mandate.authority_recorded").order_by("-pk").first()
    assert event.data["signer"] == str(mayor.public_id)
    assert "de Vries" not in json.dumps(event.data) and mayor.email not in json.dumps(event.data)

    reasons = removal_blockers(mayor)
    assert len(reasons) == 1 and participation_a.organisation.name in reasons[0]
    with pytest.raises(ValidationError):
        user_remove(actor=mayor, user=mayor)

    document = rendered(participation_a)
    signature = mandate_sign(
        actor=mayor, participation=participation_a, document=document, code=totp_code()
    )
    client.force_login(mayor)
    data = json.loads(
        zipfile.ZipFile(io.BytesIO(client.post("/account/mijn-gegevens/downloaden").content)).read(
            "gegevens.json"
        )
    )
    assert [s["signatory_name"] for s in data["parts"]["mandates_signed"]["rows"]] == [
        "A. de Vries"
    ]

    # Approved: the mandate is done; the signer may go, the signature stays as evidence.
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    assert removal_blockers(mayor) == []
    user_remove(actor=mayor, user=mayor)
    signature.refresh_from_db()
    assert signature.signatory_name == "A. de Vries"
    assert str(signature.signatory).startswith("Verwijderde gebruiker")
