"""The mandate step of a participant, in one place so that it follows the mandate flow as that
changes: the buyer requests a version naming the signatory, the PDF is rendered at once
(the render service a worker would call, so its SHA-256 is the real file's), and the
signatory signs exactly that version in the portal with a TOTP code."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats
from weasyprint import HTML

from demo.loader.organisations import DEMO_TOTP_SECRET, DemoParticipant
from demo.totp import fresh_totp_code
from municipalities.models import (
    MandateDocument,
    MandateSeal,
    MandateSignature,
    Participation,
    SigningAuthority,
)
from municipalities.services.mandates import mandate_render, mandate_request, mandate_sign
from municipalities.services.signing import (
    mandate_seal_render,
    signing_authority_check,
    signing_authority_set,
)
from portal.models import Organisation, User

DECISION = """<html lang="nl"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif"><h1>{title}</h1><p>Kenmerk {reference}, {day}.</p>
<p>{body}</p></body></html>"""


def _pdf(title: str, reference: str, day, body: str) -> SimpleUploadedFile:
    html = DECISION.format(
        title=title, reference=reference, day=formats.date_format(day, "j F Y"), body=body
    )
    return SimpleUploadedFile(
        "besluit.pdf", HTML(string=html).write_pdf(), content_type="application/pdf"
    )


def signing_authority_record(
    *,
    participation: Participation,
    participant: DemoParticipant,
    editor: User,
    signatory: User,
    team: User,
    decided_on,
) -> SigningAuthority:
    """The college's (or board's) decision to join and who signs: the mayor of a municipality,
    the director of a joint body or deelneming by designation; checked by the project team."""
    organisation = participation.organisation
    reference = f"{participant.short.upper()}/{decided_on.year}/{participation.pk:04d}"
    mayor = organisation.kind == Organisation.Kind.MUNICIPALITY
    body = (
        f"Het college van burgemeester en wethouders van {organisation.name} besluit deel te "
        f"nemen aan {participation.programme.name} en de VNG te machtigen de aanbesteding "
        "namens hem uit te voeren (Gemeentewet art. 160)."
    )
    decision = _pdf(f"Besluit {organisation.name}", reference, decided_on, body)
    designation = None
    if not mayor:
        designation = _pdf(
            f"Aanwijzing ondertekenaar {organisation.name}",
            f"{reference}-A",
            decided_on,
            f"{participant.signatory}, {participant.signatory_function}, is aangewezen om de "
            "machtiging en volmacht te ondertekenen (Gemeentewet art. 171 lid 2).",
        )
    signing_authority_set(
        actor=editor,
        participation=participation,
        basis=SigningAuthority.Basis.MAYOR if mayor else SigningAuthority.Basis.DESIGNATED,
        signer=signatory,
        signer_name=participant.signatory,
        signer_function=participant.signatory_function,
        decision_date=decided_on,
        decision_reference=reference,
        decision_file=decision,
        designation_file=designation,
    )
    return signing_authority_check(actor=team, participation=participation)


def mandate_complete(
    *,
    participation: Participation,
    participant: DemoParticipant,
    editor: User,
    signatory: User,
    requested_at: datetime,
    signed_at: datetime,
) -> MandateSignature:
    document = mandate_request(actor=editor, participation=participation)
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
        code=fresh_totp_code(DEMO_TOTP_SECRET),
    )
    # The signed copy with its signature page (a worker makes it; the demo at once).
    for seal in MandateSeal.objects.filter(signature=signature):
        mandate_seal_render(seal_id=seal.pk)
    MandateSignature.objects.filter(pk=signature.pk).update(
        signed_at=signed_at, mfa_confirmed_at=signed_at
    )
    return signature
