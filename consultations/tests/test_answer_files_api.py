"""Consultation API, file answers: the upload (a multipart PUT) and its download URL for
the supplier, the project team (audited) and the review; validation errors at ``file``;
removing a file answer; and the roles and the deadline."""

from __future__ import annotations

import hashlib

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from consultations.models import ConsultationResponse
from consultations.services import responses
from consultations.tests.parts_api_helpers import API, SLUG, close, invalid, member, pdf, problem
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def upload(client, key="brochure", file=None, fields=None):
    """A multipart PUT, as a browser or an HTTP library sends an upload."""
    body = encode_multipart(BOUNDARY, fields if fields is not None else {"file": file or pdf()})
    return client.put(f"{API}/my-response/files/{key}", body, content_type=MULTIPART_CONTENT)


def test_uploading_a_file_answer_and_its_download_url(personas, consultation, project_team_user):
    x = personas["supplier_x"].client()
    response = upload(x)
    assert response.status_code == 200, response.content
    [answer] = [a for a in response.json()["answers"] if a["questionKey"] == "brochure"]
    assert answer["hasFile"] is True
    assert answer["value"]["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    own = ConsultationResponse.objects.get(organisation=personas["supplier_x"].organisation)
    assert answer["downloadUrl"] == (
        f"http://testserver/marktconsultaties/{SLUG}/antwoorden/{own.public_id}/bestanden/brochure"
    )
    download = x.get(answer["downloadUrl"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert personas["supplier_y"].client().get(answer["downloadUrl"]).status_code == 404
    # Other answers have no download.
    responses.response_save(
        actor=personas["supplier_x"].user, response=own, answers={"rol": "Reseller", "refurb": "ja"}
    )
    mine = x.get(f"{API}/my-response").json()
    assert {a["questionKey"]: a["downloadUrl"] is None for a in mine["answers"]} == {
        "rol": True,
        "refurb": True,
        "brochure": False,
    }
    # The project team's reading of the response links to the same (audited) download.
    team = personas["project_team"].client()
    detail = team.get(f"/api/v1/consultations/{SLUG}/responses/{own.public_id}").json()
    [file_answer] = [a for a in detail["answers"] if a["questionKey"] == "brochure"]
    assert file_answer["downloadUrl"] == answer["downloadUrl"]
    assert team.get(file_answer["downloadUrl"]).status_code == 200
    assert AuditEvent.objects.filter(action="response.file_read").count() == 1
    # The review shows the file with the same link.
    responses.response_submit(actor=personas["supplier_x"].user, response=own)
    row = team.get(f"{API}/review/questions/brochure").json()["answers"][0]
    assert (row["hasFile"], row["downloadUrl"]) == (True, answer["downloadUrl"])


def test_a_bad_upload_is_400_at_file_and_stores_nothing(personas, consultation):
    x = personas["supplier_x"].client()
    errors = invalid(upload(x, file=pdf("brochure.pdf", b"geen pdf")))
    assert list(errors) == ["file"]
    assert invalid(upload(x, key="rol")) == {"file": "Deze vraag heeft geen bestand als antwoord."}
    assert invalid(upload(x, key="bestaat-niet")) == {
        "file": "Deze vraag hoort niet bij de vragenlijst."
    }
    assert invalid(upload(x, fields={"bestand": "brochure.pdf"})) == {
        "file": "Kies een pdf-bestand."
    }
    assert not ConsultationResponse.objects.filter(answers__question_key="brochure").exists()


def test_removing_a_file_answer(personas, consultation):
    x = personas["supplier_x"].client()
    assert upload(x).status_code == 200
    response = x.delete(f"{API}/my-response/files/brochure")
    assert response.status_code == 204
    mine = x.get(f"{API}/my-response").json()
    assert [a["questionKey"] for a in mine["answers"]] == []
    assert x.delete(f"{API}/my-response/files/brochure").status_code == 204  # nothing left
    problem(personas["supplier_y"].client().delete(f"{API}/my-response/files/brochure"), 404)


def test_file_uploads_follow_the_roles_and_the_deadline(personas, consultation, project_team_user):
    viewer = member(personas["supplier_x"].organisation, Role.VIEWER, "kijker@lev-x.nl")
    problem(upload(viewer), 403)
    problem(viewer.delete(f"{API}/my-response/files/brochure"), 403)
    for persona in ("admin_a", "project_team"):
        problem(upload(personas[persona].client()), 404)
    close(consultation, project_team_user)
    body = problem(upload(personas["supplier_x"].client()), 409)
    assert body["detail"] == "Deze marktconsultatie is gesloten."
    assert not ConsultationResponse.objects.exists()
