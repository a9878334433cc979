"""The mandate page shows one state at a time: never "signed" next to "nothing generated yet",
never "one of two ways" once one way is done, and only the form that moves the mandate on.
The signer's name and function are asked once (who may sign) and then reused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conftest import TOTP_SECRET, totp_code
from municipalities.models import MandateDocument, MandateSignature
from municipalities.selectors import MandateState, mandate_state
from municipalities.services.mandates import mandate_sign, mandate_upload_signed
from municipalities.tests.conftest import MINIMAL_PDF

pytestmark = pytest.mark.django_db
S = MandateState


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _scan():
    return SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf")


def _document(participation, status=MandateDocument.Status.DONE):
    authority = participation.signing_authority
    document = MandateDocument.objects.create(
        participation=participation,
        version=1,
        status=status,
        signatory_name=authority.signer_name,
        signatory_function=authority.signer_function,
        signer_basis=authority.basis,
        sha256="1" * 64,
    )
    if status == MandateDocument.Status.DONE:
        document.file.save("mandaat.pdf", SimpleUploadedFile("m.pdf", MINIMAL_PDF))
    return document


def _arrange(state, participation, editor_a, admin_a):
    """Bring ``participation`` (whose signer is admin_a) into ``state``."""
    if state == S.AUTHORITY:
        participation.signing_authority.delete()
        participation.refresh_from_db()
    elif state == S.GENERATING:
        _document(participation, MandateDocument.Status.QUEUED)
    elif state == S.FAILED:
        _document(participation, MandateDocument.Status.FAILED)
    elif state == S.OUTDATED:
        document = _document(participation)
        mandate_upload_signed(actor=admin_a, participation=participation, file=_scan())
        MandateDocument.objects.filter(pk=document.pk).update(
            outdated_at=timezone.now(), outdated_reason="de gemeenten zijn gewijzigd"
        )
    elif state == S.SIGN:
        _document(participation)
    elif state == S.CHECK:
        _document(participation)
        mandate_upload_signed(actor=editor_a, participation=participation, file=_scan())
    elif state == S.SIGNED:
        _document(participation)
        TOTP.activate(admin_a, TOTP_SECRET)
        mandate_sign(
            actor=admin_a,
            participation=participation,
            document=participation.mandate_documents.get(),
            code=totp_code(),
        )


ALL_STATES = [
    S.AUTHORITY,
    S.GENERATE,
    S.GENERATING,
    S.FAILED,
    S.OUTDATED,
    S.SIGN,
    S.CHECK,
    S.SIGNED,
]


def _page(client, participation) -> str:
    response = client.get(reverse("municipalities:mandate", args=[participation.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("viewer", ["editor_a", "admin_a"])
def test_each_state_shows_one_coherent_state(
    personas, participation_a, editor_a, admin_a, state, viewer
):
    _arrange(state, participation_a, editor_a, admin_a)
    from municipalities.models import Participation

    participation = Participation.objects.get(pk=participation_a.pk)
    assert mandate_state(participation=participation) == state

    page = _page(personas[viewer].client(), participation)
    public_id = participation.public_id

    assert "twee manieren" not in page  # "Kies een van de twee manieren." is gone
    complete = _("The mandate is complete")
    nothing_yet = _("No mandate has been generated yet.")
    assert (complete in page) == (state == S.SIGNED), state
    assert (nothing_yet in page) == (state == S.GENERATE), state
    assert (_("The signed mandate is being checked") in page) == (state == S.CHECK)
    # Only the form that moves the mandate on is offered.
    sign_url = reverse("municipalities:mandate-sign", args=[public_id])
    upload_url = reverse("municipalities:mandate-upload", args=[public_id])
    assert (upload_url in page) == (state == S.SIGN), state
    if state != S.SIGN:
        assert sign_url not in page
    generate = (_("Generate mandate"), _("Generate a new version"))
    offers_generate = any(f">{label}</button>" in page for label in generate)
    assert offers_generate == (state in (S.GENERATE, S.OUTDATED)), state
    # The signer's details: a visible form only while they are missing, a disclosure after.
    visible_form = re.search(r'<details[^>]*>.*name="authority-signer_name"', page, re.S) is None
    assert visible_form == (state == S.AUTHORITY), state
    assert f'data-state="{state}"' in page


def test_the_designated_signer_is_offered_signing_and_nothing_contradicts_it(
    personas, participation_a, editor_a, admin_a
):
    _arrange(S.SIGN, participation_a, editor_a, admin_a)
    TOTP.activate(admin_a, TOTP_SECRET)

    page = _page(personas["admin_a"].client(), participation_a)

    assert reverse("municipalities:mandate-sign", args=[participation_a.public_id]) in page
    assert _("Or upload the signed scan") in page
    assert _("Possible once the mandate has been generated.") not in page


def _asked(page: str) -> list[str]:
    """The names of the inputs on the page that ask for a name or a function."""
    names = re.findall(r'<(?:input|textarea)[^>]*name="([^"]+)"', page)
    return [n for n in names if re.search(r"name|function|functie|naam", n)]


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_signers_name_and_function_are_asked_once(
    personas, participation_a, editor_a, admin_a, state
):
    _arrange(state, participation_a, editor_a, admin_a)

    page = _page(personas["editor_a"].client(), participation_a)

    assert sorted(_asked(page)) == ["authority-signer_function", "authority-signer_name"]
    # Once recorded they are shown, not asked again: the form waits in a closed disclosure.
    closed = re.search(
        r"<details(?![^>]*\bopen\b)[^>]*>.*authority-signer_name.*</details>", page, re.S
    )
    assert (closed is not None) == (state != S.AUTHORITY), state


def test_generating_and_signing_reuse_the_recorded_name_and_function(
    personas, participation_a, editor_a, admin_a, django_capture_on_commit_callbacks
):
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    page = _page(client, participation_a)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key is not None
    with django_capture_on_commit_callbacks():
        response = client.post(url, {"idempotency_key": key.group(1)})
    assert response.status_code == 302
    document = MandateDocument.objects.get(participation=participation_a)
    assert (document.signatory_name, document.signatory_function) == (
        "Burgemeester Aadorp",
        "burgemeester",
    )
    MandateDocument.objects.filter(pk=document.pk).update(status=MandateDocument.Status.DONE)
    document.refresh_from_db()
    document.file.save("mandaat.pdf", SimpleUploadedFile("m.pdf", MINIMAL_PDF))
    TOTP.activate(admin_a, TOTP_SECRET)
    signed = (
        personas["admin_a"]
        .client()
        .post(
            reverse("municipalities:mandate-sign", args=[participation_a.public_id]),
            {"code": totp_code()},
        )
    )
    assert signed.status_code == 302
    signature = MandateSignature.objects.get()
    assert (signature.signatory_name, signature.signatory_function) == (
        "Burgemeester Aadorp",
        "burgemeester",
    )


def test_the_status_box_reloads_the_page_once_the_mandate_is_made(
    personas, participation_a, editor_a, admin_a
):
    document = _document(participation_a, MandateDocument.Status.RUNNING)
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate-status", args=[participation_a.public_id])
    assert "HX-Refresh" not in client.get(url, headers={"HX-Request": "true"})
    MandateDocument.objects.filter(pk=document.pk).update(
        status=MandateDocument.Status.DONE, rendered_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_the_registration_page_says_the_mandate_is_under_way(
    personas, participation_a, editor_a, admin_a
):
    _arrange(S.SIGN, participation_a, editor_a, admin_a)

    page = (
        personas["editor_a"]
        .client()
        .get(reverse("municipalities:participation-detail", args=[participation_a.public_id]))
        .content.decode()
    )

    step = re.search(r'<span id="step-2-status">(.*?)</span></span>', page, re.S)
    assert step is not None
    assert _("In progress") in step.group(1)
    assert _("Not started") not in step.group(1)
