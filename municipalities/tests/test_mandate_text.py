"""The mandate's text says what the portal enforces and the law requires, read back from the
rendered PDF with pdftotext: no duplicated names, the signer and the decision it rests on,
revocation until the freeze, extensions only when the programme has them, the estimate and
maximum per lot (CJEU C-216/17, C-23/20); and the signed copy's signature page."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.urls import reverse

from conftest import TOTP_SECRET, totp_code
from municipalities.models import MandateSeal
from municipalities.selectors import signed_file_of
from municipalities.services.mandates import mandate_render, mandate_request, mandate_sign
from municipalities.services.signing import mandate_seal_render
from municipalities.tests.conftest import record_authority

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "celery_worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    # Lines wrap differently from the source, and running text may be hyphenated (U+2010 at
    # the end of a line): compare words.
    return " ".join(out.stdout.decode("utf-8").split()).replace("\u2010 ", "")


def page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def render(participation, actor):
    document = mandate_request(actor=actor, participation=participation)
    return mandate_render(document_id=document.pk)


def test_the_mandate_text_without_extensions(participation_a, editor_a):
    text = pdf_text(render(participation_a, editor_a).file.path)

    # The municipality is named once, with its code; not "Gemeente Aadorp, gemeente Aadorp".
    assert "Gemeente Aadorp (CBS-code GM9001, provincie Utrecht), te dezen" in text
    assert "gemeente Aadorp (" not in text
    # The signer recorded for the registration and the decision it rests on.
    assert "vertegenwoordigd door Burgemeester Aadorp, burgemeester, als burgemeester" in text
    assert "artikel 171, eerste lid, van de Gemeentewet" in text
    assert (
        "besluit van het college van burgemeester en wethouders (artikel 160 van de Gemeentewet) "
        "van 13 januari 2026, kenmerk B&W 2026/17" in text
    )
    # No extensions the programme does not have.
    assert "eventuele verlengingen" not in text
    assert "verlenging" not in text
    # Revocation as the portal enforces it: until the freeze, not until publication.
    assert "tot de publicatie" not in text
    assert (
        "De Volmachtgever kan deze machtiging en volmacht intrekken door zijn deelname in het "
        "portaal in te trekken, zolang de Gevolmachtigde de opgegeven behoefte van de deelnemers "
        "nog niet heeft bevroren" in text
    )
    assert "Vanaf het bevriezen kan de volmacht niet meer worden ingetrokken" in text
    # The estimate and the maximum, and what reaching the maximum means.
    assert "per perceel een geraamde en een maximale hoeveelheid of waarde" in text
    assert "bij het ondertekenen van deze volmacht zijn die cijfers nog niet bekend" in text
    assert "dan heeft de raamovereenkomst voor dat perceel geen werking meer" in text
    assert "C-216/17" in text and "C-23/20" in text


def test_the_mandate_text_with_extensions_and_a_designated_signer(
    participation_a, programme, editor_a, admin_a
):
    programme.extension_years = 2
    programme.save(update_fields=["extension_years"])
    record_authority(
        participation_a,
        actor=editor_a,
        signer=admin_a,
        basis="designated",
        name="P. Jansen",
        function="gemeentesecretaris",
    )

    text = pdf_text(render(participation_a, editor_a).file.path)

    assert "de verlengingsopties van in totaal ten hoogste 2 jaar" in text
    assert "eventuele verlengingen" not in text
    assert "vertegenwoordigd door P. Jansen, gemeentesecretaris" in text
    assert "aangewezen door de burgemeester op grond van artikel 171, tweede lid" in text


def test_the_signed_mandate_gets_a_signature_page_with_the_sha256_of_the_signed_version(
    personas, participation_a, editor_a, admin_a
):
    document = render(participation_a, editor_a)
    TOTP.activate(admin_a, TOTP_SECRET)
    signature = mandate_sign(
        actor=admin_a, participation=participation_a, document=document, code=totp_code()
    )
    seal = MandateSeal.objects.get(signature=signature)
    assert seal.status == MandateSeal.Status.QUEUED

    seal = mandate_seal_render(seal_id=seal.pk)

    assert seal.status == MandateSeal.Status.DONE
    text = pdf_text(seal.file.path)
    assert "Machtiging en volmacht" in text  # the signed version comes first
    page = text[text.rindex("Ondertekening Machtiging en volmacht voor") :]
    assert "Ondertekend door Burgemeester Aadorp" in page
    assert "Functie burgemeester" in page
    assert f"SHA-256 van de ondertekende versie {document.sha256}" in page
    assert "Bevestiging bevestigd met tweestapsverificatie" in page
    assert "(Nederlandse tijd)" in page
    assert page_count(seal.file.path) == page_count(document.file.path) + 1
    # The stored file's own SHA-256 is kept apart from that of the signed version.
    with seal.file.open("rb") as handle:
        stored = handle.read()
    signature.refresh_from_db()
    assert seal.sha256 == hashlib.sha256(stored).hexdigest() == signature.file_sha256
    assert signature.sha256 == document.sha256 != seal.sha256
    # Made once: a second delivery of the task changes nothing.
    assert mandate_seal_render(seal_id=seal.pk).sha256 == seal.sha256
    # The download hands out the sealed copy.
    assert signed_file_of(signature=signature).name == seal.file.name
    download = (
        personas["editor_a"]
        .client()
        .get(
            reverse(
                "municipalities:signed-mandate-download",
                args=[participation_a.public_id, signature.public_id],
            )
        )
    )
    assert b"".join(download.streaming_content) == stored


@pytest.mark.celery
def test_a_worker_makes_the_signed_copy(celery_worker, participation_a, editor_a, admin_a):
    document = render(participation_a, editor_a)
    TOTP.activate(admin_a, TOTP_SECRET)
    with transaction.atomic():
        signature = mandate_sign(
            actor=admin_a, participation=participation_a, document=document, code=totp_code()
        )
    seal = MandateSeal.objects.get(signature=signature)

    def finished():
        seal.refresh_from_db()
        if seal.status == MandateSeal.Status.FAILED:
            pytest.fail(f"Sealing failed: {seal.error}\n{celery_worker.log()}")
        return seal.status == MandateSeal.Status.DONE

    celery_worker.wait_for(finished, timeout=60, what="the signed copy")
    assert f"SHA-256 van de ondertekende versie {document.sha256}" in pdf_text(seal.file.path)
    assert "municipalities.mandate_seal_render_task[" in celery_worker.log(since_start_of_test=True)
