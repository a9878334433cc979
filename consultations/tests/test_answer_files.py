"""Files in a supplier's answers: a PDF per file question, checked by content (size, PDF
magic, no active content), stored with its SHA-256, replaced and removed while the
consultation is open, required at submit, carried over to a new questionnaire version, and
downloaded only by the supplier's own members and the project team (audited)."""

from __future__ import annotations

import hashlib
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from consultations.models import Answer, ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses as services
from portal.models import AuditEvent, Role
from tenders.models import Programme
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/marktconsultaties/mc-files/antwoorden"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
OTHER_PDF = PDF.replace(b"%%EOF", b"% tweede versie\n%%EOF")


def pdf_with(objects: bytes, trailer: bytes = b"") -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
        b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        + objects
        + b"\ntrailer<</Root 1 0 R"
        + trailer
        + b">>\n%%EOF\n"
    )


def object_stream(body: bytes) -> bytes:
    data = zlib.compress(b"3 0 " + body)
    return (
        b"4 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )


PDF_MESSAGE = "Het bestand moet een pdf-bestand zijn."
ACTIVE_MESSAGE = "Het pdf-bestand bevat JavaScript, bijlagen of andere actieve inhoud."
# An action is named (portal.pdf_actions).
SCRIPT_MESSAGE = "Het pdf-bestand bevat JavaScript."
LAUNCH_MESSAGE = "Het pdf-bestand bevat een actie die een programma start of een bestand opent."
BAD_FILES = {
    "text": ("notitie.txt", b"Dit is geen pdf.", PDF_MESSAGE),
    "renamed-exe": ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, PDF_MESSAGE),
    "no-end-marker": ("kapot.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", PDF_MESSAGE),
    "empty": ("leeg.pdf", b"", "Het bestand is leeg."),
    "too-big": ("groot.pdf", PDF + b"%" + b"0" * (1024 * 1024), "kleiner zijn dan 1 MB"),
    "javascript": (
        "brochure.pdf",
        pdf_with(b"3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"),
        SCRIPT_MESSAGE,
    ),
    "escaped-javascript": (
        "brochure.pdf",
        pdf_with(b"3 0 obj<</S/J#61vaScript/J#53(app.alert(1))>>endobj\n"),
        SCRIPT_MESSAGE,
    ),
    "javascript-in-object-stream": (
        "brochure.pdf",
        pdf_with(object_stream(b"<</S/JavaScript/JS(app.alert(1))>>")),
        ACTIVE_MESSAGE,
    ),
    "launch": (
        "brochure.pdf",
        pdf_with(b"3 0 obj<</S/Launch/F(cmd.exe)>>endobj\n"),
        LAUNCH_MESSAGE,
    ),
    "embedded-file": (
        "brochure.pdf",
        pdf_with(b"3 0 obj<</Type/EmbeddedFile/Length 3>>stream\nabc\nendstream\nendobj\n"),
        ACTIVE_MESSAGE,
    ),
    "encrypted": (
        "brochure.pdf",
        pdf_with(b"", trailer=b"/Encrypt 5 0 R"),
        "Het pdf-bestand is beveiligd met een wachtwoord of versleuteld.",
    ),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_BYTES = 1024 * 1024


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(content: bytes = PDF, name: str = "brochure.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def consultation(project_team_user):
    programme = Programme.objects.create(slug="gt-files", name="GT", contract_start_year=2028)
    actor = project_team_user
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-files",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in [
        {"type": "short_text", "text": "Productnaam?", "key": "naam"},
        {"type": "file", "text": "Productbrochure", "key": "brochure"},
        {"type": "file", "text": "Referenties", "key": "bijlage", "required": False},
    ]:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


@pytest.fixture
def response(personas, consultation):
    return services.response_get_or_create(
        actor=personas["supplier_x"].user, consultation=consultation
    )


def with_file(personas, response, key="brochure", content=PDF, name="brochure.pdf") -> Answer:
    return services.answer_file_attach(
        actor=personas["supplier_x"].user,
        response=response,
        question_key=key,
        file=upload(content, name),
    )


def file_url(response, key="brochure") -> str:
    return f"{URL}/{response.public_id}/bestanden/{key}"


# --- Upload ---------------------------------------------------------------------------------


def test_a_valid_pdf_is_stored_with_its_sha256(personas, response, settings):
    answer = with_file(personas, response, name="../../Brochure\x00 2026?.PDF")
    assert answer.value == {
        "name": "Brochure 2026.pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert answer.file.name.startswith(f"consultation-responses/{response.public_id}/")
    assert answer.file.name.endswith(".pdf") and "Brochure" not in answer.file.name
    assert [p.read_bytes() for p in stored_files(settings)] == [PDF]
    event = AuditEvent.objects.filter(action="response.saved").latest("pk")
    assert event.data["files"] == {"brochure": hashlib.sha256(PDF).hexdigest()}


def test_the_page_uploads_a_file_with_the_other_answers(personas, response, settings):
    client = personas["supplier_x"].client()
    page = client.get(URL)
    assert b'enctype="multipart/form-data"' in page.content
    assert b'type="file"' in page.content and b'name="brochure"' in page.content
    posted = client.post(URL, {"naam": "Laptop 14", "brochure": upload(), "save": "1"})
    assert posted.status_code == 302
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["naam"].value == "Laptop 14"
    assert answers["brochure"].value["sha256"] == hashlib.sha256(PDF).hexdigest()
    page = client.get(URL)
    assert file_url(response).encode() in page.content
    assert b"brochure.pdf" in page.content
    assert b"Bestand verwijderen" in page.content


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_in_dutch_and_nothing_changes(personas, response, settings, case):
    with_file(personas, response, content=OTHER_PDF)
    before = {a.question_key: (a.value, a.file.name) for a in response.answers.all()}
    files_before = stored_files(settings)
    name, content, message = BAD_FILES[case]
    page = (
        personas["supplier_x"]
        .client()
        .post(URL, {"naam": "Laptop 14", "brochure": upload(content, name), "save": "1"})
    )
    assert page.status_code == 422
    html = page.content.decode()
    error = html.split('id="id_brochure-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert 'value="Laptop 14"' in html  # the typed answers are kept on the page
    assert {a.question_key: (a.value, a.file.name) for a in response.answers.all()} == before
    assert stored_files(settings) == files_before


@pytest.mark.parametrize("case", ["javascript", "javascript-in-object-stream", "too-big"])
def test_the_service_refuses_a_bad_file_at_its_question(personas, response, case):
    name, content, message = BAD_FILES[case]
    with pytest.raises(ValidationError) as exc:
        services.response_save(
            actor=personas["supplier_x"].user,
            response=response,
            answers={"naam": "Laptop"},
            files={"bijlage": upload(content, name)},
        )
    assert list(exc.value.message_dict) == ["bijlage"]
    assert message in exc.value.message_dict["bijlage"][0]
    assert not response.answers.exists()


def test_a_real_pdf_with_object_streams_is_accepted(personas, response):
    from weasyprint import HTML

    content = HTML(string="<h1>Brochure</h1><p>Laptop 14, refurbished.</p>").write_pdf()
    assert b"/ObjStm" in content  # compressed object streams, as modern writers make them
    answer = with_file(personas, response, content=content)
    assert answer.value["size"] == len(content)


def test_a_file_only_answers_a_file_question(personas, response):
    user = personas["supplier_x"].user
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=user, response=response, files={"naam": upload()})
    assert exc.value.message_dict == {"naam": ["Deze vraag heeft geen bestand als antwoord."]}
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=user, response=response, answers={"brochure": "tekst"})
    assert exc.value.message_dict == {"brochure": ["Upload een pdf-bestand bij deze vraag."]}
    assert not response.answers.exists()


# --- Keep, replace, remove --------------------------------------------------------------------


def test_saving_a_draft_without_a_new_file_keeps_the_file(personas, response, settings):
    answer = with_file(personas, response)
    client = personas["supplier_x"].client()
    assert client.post(URL, {"naam": "Laptop 15", "save": "1"}).status_code == 302
    kept = response.answers.get(question_key="brochure")
    assert (kept.value, kept.file.name) == (answer.value, answer.file.name)
    assert len(stored_files(settings)) == 1


def test_replacing_a_file_deletes_the_old_one_after_commit(
    personas, response, settings, django_capture_on_commit_callbacks
):
    old = with_file(personas, response)
    old_path = Path(settings.MEDIA_ROOT) / old.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        client = personas["supplier_x"].client()
        posted = client.post(URL, {"brochure": upload(OTHER_PDF, "versie 2.pdf"), "save": "1"})
        assert posted.status_code == 302
        assert old_path.exists()  # still there until the change is committed
    for callback in callbacks:
        callback()
    new = response.answers.get(question_key="brochure")
    assert new.pk == old.pk and new.file.name != old.file.name
    assert new.value["name"] == "versie 2.pdf"
    assert new.value["sha256"] == hashlib.sha256(OTHER_PDF).hexdigest()
    assert not old_path.exists()
    assert [p.read_bytes() for p in stored_files(settings)] == [OTHER_PDF]


def test_remove_a_file_with_the_checkbox(
    personas, response, settings, django_capture_on_commit_callbacks
):
    with_file(personas, response)
    with_file(personas, response, key="bijlage", content=OTHER_PDF)
    client = personas["supplier_x"].client()
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(URL, {"brochure--verwijderen": "1", "save": "1"})
    assert posted.status_code == 302
    assert list(response.answers.values_list("question_key", flat=True)) == ["bijlage"]
    assert [p.read_bytes() for p in stored_files(settings)] == [OTHER_PDF]
    event = AuditEvent.objects.filter(action="response.saved").latest("pk")
    assert event.data["removed_files"] == ["brochure"]


def test_remove_through_the_service(
    personas, response, settings, django_capture_on_commit_callbacks
):
    with_file(personas, response)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_file_remove(
            actor=personas["supplier_x"].user, response=response, question_key="brochure"
        )
    assert not response.answers.exists()
    assert stored_files(settings) == []


def test_a_viewer_of_the_supplier_cannot_upload(personas, response, settings):
    viewer = MembershipFactory(
        organisation=personas["supplier_x"].organisation,
        role=Role.VIEWER,
        user=UserFactory(email="kijker@leverancier-x.nl"),
    ).user
    client = Client()
    client.force_login(viewer)
    page = client.get(URL)
    assert page.status_code == 200 and b'type="file"' not in page.content
    assert client.post(URL, {"brochure": upload(), "save": "1"}).status_code == 403
    assert stored_files(settings) == []


# --- Submit and deadline --------------------------------------------------------------------


def test_a_required_file_question_is_checked_on_submit_not_on_draft(personas, response):
    client = personas["supplier_x"].client()
    assert client.post(URL, {"naam": "Laptop 14", "save": "1"}).status_code == 302
    refused = client.post(URL, {"naam": "Laptop 14", "submit": "1"})
    assert refused.status_code == 422
    error = refused.content.decode().split('id="id_brochure-error"', 1)[1].split("</p>", 1)[0]
    assert "Beantwoord deze vraag." in error
    with pytest.raises(ValidationError) as exc:
        services.response_submit(actor=personas["supplier_x"].user, response=response)
    assert list(exc.value.message_dict) == ["brochure"]  # the optional file is not asked
    posted = client.post(URL, {"naam": "Laptop 14", "brochure": upload(), "submit": "1"})
    assert posted.status_code == 302
    response.refresh_from_db()
    assert response.status == ConsultationResponse.Status.SUBMITTED


def test_no_upload_after_the_deadline(personas, response, consultation, settings):
    with_file(personas, response)
    files_before = stored_files(settings)
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    user = personas["supplier_x"].user
    for write in (
        lambda: services.answer_file_attach(
            actor=user, response=response, question_key="bijlage", file=upload()
        ),
        lambda: services.answer_file_remove(actor=user, response=response, question_key="brochure"),
    ):
        with pytest.raises(ValidationError) as exc:
            write()
        assert exc.value.code == "closed"
    client = personas["supplier_x"].client()
    page = client.post(URL, {"bijlage": upload(), "brochure--verwijderen": "1", "save": "1"})
    assert page.status_code == 422
    assert "Deze marktconsultatie is gesloten." in page.content.decode()
    assert list(response.answers.values_list("question_key", flat=True)) == ["brochure"]
    assert stored_files(settings) == files_before
    page = client.get(URL)
    assert b'type="file"' not in page.content and b"Bestand verwijderen" not in page.content
    assert file_url(response).encode() in page.content  # the file can still be read


# --- Carry-over to a new questionnaire version ------------------------------------------------


def test_carry_over_keeps_file_answers_of_unchanged_questions(
    personas,
    response,
    consultation,
    project_team_user,
    settings,
    django_capture_on_commit_callbacks,
):
    brochure = with_file(personas, response)
    reference = with_file(personas, response, key="bijlage", content=OTHER_PDF)
    services.response_save(
        actor=personas["supplier_x"].user, response=response, answers={"naam": "Laptop"}
    )
    services.response_submit(actor=personas["supplier_x"].user, response=response)
    actor = project_team_user
    draft = consultations.questionnaire_new_version(actor=actor, consultation=consultation)
    # "bijlage" changes type: its file no longer answers the question.
    consultations.question_remove(actor=actor, question=draft.questions.get(key="bijlage"))
    consultations.question_add(
        actor=actor,
        version=draft,
        section=draft.sections.get(),
        type="long_text",
        text="Referenties (beschrijving)",
        key="bijlage",
        max_length=2000,
        required=False,
    )
    consultations.questionnaire_publish(actor=actor, version=draft)

    with django_capture_on_commit_callbacks(execute=True):
        upgraded = services.response_get_or_create(
            actor=personas["supplier_x"].user, consultation=consultation
        )
    assert upgraded.version == draft and upgraded.status == "draft"
    kept = upgraded.answers.get(question_key="brochure")
    assert (kept.value, kept.file.name) == (brochure.value, brochure.file.name)
    assert not upgraded.answers.filter(question_key="bijlage").exists()
    # The dropped answer's file stays: the submission to version 1 refers to it.
    submission = upgraded.submissions.get()
    assert submission.version != draft and submission.answers["bijlage"] == reference.value
    assert reference.file.name in submission.files
    assert (Path(settings.MEDIA_ROOT) / reference.file.name).read_bytes() == OTHER_PDF
    event = AuditEvent.objects.get(action="response.upgraded")
    assert event.data["dropped"] == ["bijlage"]
    # The kept file still satisfies the required question.
    services.response_submit(actor=personas["supplier_x"].user, response=upgraded)


# --- Download -------------------------------------------------------------------------------


def test_the_suppliers_members_download_the_file(personas, response):
    with_file(personas, response, name="Brochure «Laptop» 2026.pdf")
    viewer = MembershipFactory(
        organisation=personas["supplier_x"].organisation,
        role=Role.VIEWER,
        user=UserFactory(email="kijker@leverancier-x.nl"),
    ).user
    viewer_client = Client()
    viewer_client.force_login(viewer)
    for client in (personas["supplier_x"].client(), viewer_client):
        download = client.get(file_url(response))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == (
            'attachment; filename="brochure-brochure-laptop-2026.pdf"'
        )
        assert b"".join(download.streaming_content) == PDF
    assert not AuditEvent.objects.filter(action="response.file_read").exists()


@pytest.mark.parametrize("persona", ["supplier_y", "editor_a", "admin_a", "joint_body"])
def test_others_get_404_for_the_file(personas, response, persona):
    with_file(personas, response)
    assert personas[persona].client().get(file_url(response)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(personas, response):
    with_file(personas, response)
    download = Client().get(file_url(response))
    assert download.status_code == 302 and download["Location"].startswith("/accounts/login/")


def test_the_project_team_downloads_with_an_audit_event(personas, response):
    with_file(personas, response)
    download = personas["project_team"].client().get(file_url(response))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    event = AuditEvent.objects.get(action="response.file_read")
    assert event.actor == personas["project_team"].user
    assert event.target_id == str(response.public_id)
    assert event.data["question_key"] == "brochure"
    assert event.data["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_a_question_without_a_file_is_404(personas, response):
    with_file(personas, response)
    client = personas["supplier_x"].client()
    assert client.get(file_url(response, "bijlage")).status_code == 404
    assert client.get(file_url(response, "naam")).status_code == 404
    assert client.post(file_url(response)).status_code == 405


def test_the_project_teams_response_page_links_the_file(personas, response):
    with_file(personas, response, name="Brochure 2026.pdf")
    page = personas["project_team"].client().get(f"{URL}/{response.public_id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{file_url(response)}"' in html
    assert "Brochure 2026.pdf" in html
    assert "sha256" not in html and "{" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("offerte.pdf", "offerte.pdf"),
        ("C:\\Users\\jan\\Offerte Q3.PDF", "Offerte Q3.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ('a<b>c:"d|e?f*.pdf', "abcdef.pdf"),
        ("  \t.pdf", "bestand.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("Café\u202e.pdf", "Café.pdf"),
    ],
)
def test_the_file_name_is_sanitised(raw, clean):
    assert services.clean_file_name(raw) == clean
