"""The market consultation itself: created, published and closed by the project team, its
documents (PDF only, with their SHA-256), the public announcement and the download of its
documents, and management pages that are the project team's alone."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Consultation
from consultations.services import consultation as services
from consultations.tests.consultation_helpers import _catalogue as _catalogue
from consultations.tests.consultation_helpers import _media as _media
from consultations.tests.consultation_helpers import build, draft_of
from consultations.tests.consultation_helpers import consultation as consultation
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- Services ---------------------------------------------------------------------------------


def test_consultation_publish_needs_a_published_questionnaire(consultation, project_team_user):
    with pytest.raises(ValidationError):
        services.consultation_publish(actor=project_team_user, consultation=consultation)
    version = build(consultation, project_team_user)
    services.questionnaire_publish(actor=project_team_user, version=version)
    services.consultation_publish(actor=project_team_user, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="consultation.published").count() == 1


def test_consultation_period_must_end_after_it_opens(programme, project_team_user):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(
            actor=project_team_user,
            programme=programme,
            title="X",
            opens_at=now,
            closes_at=now - timedelta(days=1),
        )
    assert "closes_date" in exc.value.message_dict


def test_document_upload_accepts_a_pdf_with_its_sha256(consultation, project_team_user):
    document = services.document_upload(
        actor=project_team_user,
        consultation=consultation,
        title="Concept PvE",
        file=SimpleUploadedFile("pve.pdf", PDF, "application/pdf"),
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    with document.file.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not a pdf", b"", b"%PDF-1.4 but no end marker"], ids=str
)
def test_document_upload_refuses_anything_but_a_pdf(consultation, project_team_user, content):
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=project_team_user,
            consultation=consultation,
            title="Brochure",
            file=SimpleUploadedFile("brochure.pdf", content, "application/pdf"),
        )
    assert "file" in exc.value.message_dict
    assert not consultation.documents.exists()


def test_document_upload_refuses_a_file_over_the_size_cap(
    consultation, project_team_user, settings
):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=project_team_user,
            consultation=consultation,
            title="Groot",
            file=SimpleUploadedFile("groot.pdf", PDF + b" " * 200, "application/pdf"),
        )
    assert "file" in exc.value.message_dict


def test_services_refuse_project_team_viewers(consultation, project_team_viewer, editor_a):
    for actor in (project_team_viewer, editor_a):
        with pytest.raises(PermissionDenied):
            services.section_add(actor=actor, version=draft_of(consultation), title="X")
        with pytest.raises(PermissionDenied):
            services.consultation_publish(actor=actor, consultation=consultation)


# --- Views ------------------------------------------------------------------------------------


def published(consultation, actor) -> Consultation:
    version = build(consultation, actor)
    services.questionnaire_publish(actor=actor, version=version)
    services.document_upload(
        actor=actor,
        consultation=consultation,
        title="Concept PvE",
        file=SimpleUploadedFile("pve.pdf", PDF, "application/pdf"),
    )
    return services.consultation_publish(actor=actor, consultation=consultation)


def test_project_team_creates_a_consultation(personas, programme):
    client = personas["project_team"].client()
    url = f"/programmas/{programme.slug}/marktconsultaties"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Marktconsultatie printers",
            "introduction": "Over printers.",
            "opens_date": "01-02-2027",
            "opens_time": "09:00",
            "closes_date": "01-03-2027",
            "closes_time": "",
        },
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/marktconsultaties/{consultation.slug}/beheer"
    assert consultation.slug == "marktconsultatie-printers"
    local = timezone.localtime(consultation.closes_at)
    assert (local.day, local.month, local.hour) == (1, 3, 17)
    assert consultation.versions.get().number == 1


def test_create_form_keeps_input_and_shows_errors(personas, programme):
    client = personas["project_team"].client()
    response = client.post(
        f"/programmas/{programme.slug}/marktconsultaties",
        {"title": "Mijn titel", "opens_date": "31-02-2027", "closes_date": ""},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Mijn titel"' in html and 'value="31-02-2027"' in html
    assert "portal-error-summary" in html
    assert 'href="#id_closes_date"' in html
    assert not Consultation.objects.exists()


def test_document_upload_page(personas, consultation):
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/beheer"
    bad = client.post(
        url,
        {
            "action": "document",
            "document-title": "Brochure",
            "document-file": SimpleUploadedFile("x.pdf", b"GIF89a", "application/pdf"),
        },
    )
    assert bad.status_code == 422
    assert "document-file" in bad.content.decode() and "Brochure" in bad.content.decode()
    good = client.post(
        url,
        {
            "action": "document",
            "document-title": "Concept PvE",
            "document-file": SimpleUploadedFile("pve.pdf", PDF, "application/pdf"),
        },
    )
    assert good.status_code == 302
    assert consultation.documents.get().sha256 == hashlib.sha256(PDF).hexdigest()


def test_publish_page(personas, consultation, project_team_user):
    client = personas["project_team"].client()
    url = f"/marktconsultaties/{consultation.slug}/publiceren"
    client.post(url)
    consultation.refresh_from_db()
    assert consultation.status == "draft"  # no published questionnaire yet
    services.questionnaire_publish(
        actor=project_team_user, version=build(consultation, project_team_user)
    )
    assert client.post(url).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "published"


def test_public_page_visibility(personas, consultation, project_team_user):
    url = f"/marktconsultaties/{consultation.slug}"
    anonymous = personas["anonymous"].client()
    assert anonymous.get(url).status_code == 404
    assert personas["supplier_x"].client().get(url).status_code == 404
    assert personas["project_team"].client().get(url).status_code == 200
    published(consultation, project_team_user)
    response = anonymous.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Marktconsultatie werkplek" in html and "Wij horen graag uw visie." in html
    assert 'href="/leveranciers/registreren"' in html
    assert 'href="/accounts/login/"' in html
    assert "<time datetime=" in html


def test_public_document_download(personas, consultation, project_team_user):
    document = services.document_upload(
        actor=project_team_user,
        consultation=consultation,
        title="Concept PvE",
        file=SimpleUploadedFile("pve.pdf", PDF, "application/pdf"),
    )
    url = f"/marktconsultaties/{consultation.slug}/documenten/{document.public_id}"
    anonymous = personas["anonymous"].client()
    assert anonymous.get(url).status_code == 404  # draft
    assert personas["project_team"].client().get(url).status_code == 200
    published(consultation, project_team_user)
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    other = f"/marktconsultaties/{consultation.slug}/documenten/{consultation.public_id}"
    assert anonymous.get(other).status_code == 404


def test_programme_page_links_to_published_consultations(personas, consultation, programme):
    anonymous = personas["anonymous"].client()
    link = f'href="/marktconsultaties/{consultation.slug}"'
    assert link not in anonymous.get(f"/programmas/{programme.slug}").content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(status="published")
    assert link in anonymous.get(f"/programmas/{programme.slug}").content.decode()


def management_requests(consultation, programme):
    base = f"/marktconsultaties/{consultation.slug}"
    return [
        ("get", f"/programmas/{programme.slug}/marktconsultaties", {}),
        ("post", f"/programmas/{programme.slug}/marktconsultaties", {"title": "X"}),
        ("get", f"{base}/beheer", {}),
        ("post", f"{base}/beheer", {"action": "details"}),
        ("post", f"{base}/publiceren", {}),
        ("get", f"{base}/vragenlijst", {}),
        ("post", f"{base}/vragenlijst", {"action": "section", "section-title": "X"}),
        ("post", f"{base}/vragenlijst/vragen/product/verwijderen", {}),
    ]


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "joint_body", "supplier_x"])
def test_management_pages_are_404_outside_the_project_team(
    personas, consultation, programme, project_team_user, persona
):
    build(consultation, project_team_user)
    client = personas[persona].client()
    for method, url, data in management_requests(consultation, programme):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)


def test_management_pages_send_anonymous_to_the_login(personas, consultation, programme):
    client = personas["anonymous"].client()
    for method, url, data in management_requests(consultation, programme):
        assert getattr(client, method)(url, data).status_code == 302, (method, url)


def test_project_team_viewer_reads_but_every_post_is_403(
    consultation, programme, project_team_user, project_team_viewer
):
    from django.test import Client

    build(consultation, project_team_user)
    client = Client()
    client.force_login(project_team_viewer)
    for method, url, data in management_requests(consultation, programme):
        expected = 200 if method == "get" else 403
        assert getattr(client, method)(url, data).status_code == expected, (method, url)
    page = client.get(f"/marktconsultaties/{consultation.slug}/vragenlijst").content.decode()
    assert 'value="section"' not in page
    assert draft_of(consultation).questions.count() == 9


# --- Closing ----------------------------------------------------------------------------------


def test_close_only_after_the_deadline_and_idempotent(
    personas, consultation, project_team_user, project_team_viewer
):
    with pytest.raises(ValidationError, match="Alleen een gepubliceerde"):
        services.consultation_close(actor=project_team_user, consultation=consultation)
    published(consultation, project_team_user)
    with pytest.raises(ValidationError, match="sluitingsdatum voorbij"):
        services.consultation_close(actor=project_team_user, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(hours=1)
    )
    consultation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.consultation_close(actor=project_team_viewer, consultation=consultation)
    closed = services.consultation_close(actor=project_team_user, consultation=consultation)
    assert (closed.status, closed.closed_by) == ("closed", project_team_user)
    again = services.consultation_close(actor=project_team_user, consultation=consultation)
    assert again.closed_at == closed.closed_at
    assert AuditEvent.objects.filter(action="consultation.closed").count() == 1


def test_close_button_on_the_management_page(personas, consultation, project_team_user):
    published(consultation, project_team_user)
    client = personas["project_team"].client()
    manage = f"/marktconsultaties/{consultation.slug}/beheer"
    assert "Marktconsultatie sluiten" not in client.get(manage).content.decode()
    refused = client.post(f"/marktconsultaties/{consultation.slug}/sluiten", follow=True)
    assert "kan worden gesloten als de sluitingsdatum voorbij is" in refused.content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(hours=1)
    )
    assert "Marktconsultatie sluiten" in client.get(manage).content.decode()
    done = client.post(f"/marktconsultaties/{consultation.slug}/sluiten", follow=True)
    assert "De marktconsultatie is gesloten." in done.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    public = personas["anonymous"].client().get(f"/marktconsultaties/{consultation.slug}")
    assert "Deze marktconsultatie is gesloten." in public.content.decode()
    # A closed consultation's announcement and documents no longer change.
    html = client.get(manage).content.decode()
    assert "Aankondiging wijzigen" not in html and "Document toevoegen" not in html
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=project_team_user,
            consultation=consultation,
            title="Laat",
            file=SimpleUploadedFile("laat.pdf", PDF, "application/pdf"),
        )
    assert consultation.documents.count() == 1


def test_public_page_takes_a_logged_in_supplier_to_its_answers(
    personas, consultation, project_team_user
):
    published(consultation, project_team_user)
    url = f"/marktconsultaties/{consultation.slug}"
    answers = f"/marktconsultaties/{consultation.slug}/antwoorden"
    supplier = personas["supplier_x"].client().get(url).content.decode()
    assert f'href="{answers}">Vragenlijst beantwoorden' in supplier
    assert "Registreren als leverancier" not in supplier
    for persona in ("anonymous", "editor_a"):
        html = personas[persona].client().get(url).content.decode()
        assert "Vragenlijst beantwoorden" not in html
    # Registration is offered to a visitor, not to a municipality's member (it would refuse).
    assert "Registreren als leverancier" in personas["anonymous"].client().get(url).content.decode()
    assert (
        "Registreren als leverancier" not in personas["editor_a"].client().get(url).content.decode()
    )


def test_dutch_content_is_marked_dutch_on_the_english_page(
    personas, consultation, project_team_user
):
    """A reader of the English side gets the consultation's own (Dutch) text marked lang="nl",
    so that a screen reader pronounces it as Dutch."""
    published(consultation, project_team_user)
    client = personas["anonymous"].client()
    client.cookies["portal_language"] = "en"
    html = client.get(f"/marktconsultaties/{consultation.slug}").content.decode()
    assert '<html lang="en"' in html
    assert 'lang="nl">Wij horen graag uw visie.' in html
