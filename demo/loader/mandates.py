"""The mandate step of a participant, in one place so that it follows the mandate flow as that
changes: the buyer requests a version naming the signatory, the PDF is rendered at once
(the render service a worker would call, so its SHA-256 is the real file's), and the
signatory signs exactly that version in the portal with a TOTP code."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from demo.loader.organisations import DEMO_TOTP_SECRET, DemoParticipant
from municipalities.models import MandateDocument, MandateSignature, Participation
from municipalities.services.mandates import mandate_render, mandate_request, mandate_sign
from portal.models import User


def current_totp_code() -> str:
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


def mandate_complete(
    *,
    participation: Participation,
    participant: DemoParticipant,
    editor: User,
    signatory: User,
    requested_at: datetime,
    signed_at: datetime,
) -> MandateSignature:
    document = mandate_request(
        actor=editor,
        participation=participation,
        signatory_name=participant.signatory,
        signatory_function=participant.signatory_function,
    )
    # The document prints the day it was drawn up: the day of the story, not of the load.
    MandateDocument.objects.filter(pk=document.pk).update(created_at=requested_at)
    document = mandate_render(document_id=document.pk)
    MandateDocument.objects.filter(pk=document.pk).update(
        rendered_at=requested_at + timedelta(minutes=1)
    )
    signature = mandate_sign(
        actor=signatory,
        participation=participation,
        document=document,
        code=current_totp_code(),
        function=participant.signatory_function,
    )
    MandateSignature.objects.filter(pk=signature.pk).update(
        signed_at=signed_at, mfa_confirmed_at=signed_at
    )
    return signature
