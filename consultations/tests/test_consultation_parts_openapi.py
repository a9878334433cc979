"""Consultation API: the OpenAPI document has the paths, responses and schemas of the
follow-up parts (clarification questions, the report, the review, file answers and
talks)."""

from __future__ import annotations

import json

import pytest

from consultations.tests.parts_api_helpers import _media_root as _media_root

pytestmark = pytest.mark.django_db


def test_openapi_document_has_the_new_paths(personas):
    response = (
        personas["anonymous"].client().get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")
    )
    assert response.status_code == 200
    schema = json.loads(response.content)
    base = "/consultations/{consultation}"
    expected = {
        f"{base}/clarifications": {"get"},
        f"{base}/my-clarifications": {"get", "post"},
        f"{base}/clarification-requests": {"get"},
        f"{base}/clarification-requests/{{clarification}}": {"get"},
        f"{base}/clarification-requests/{{clarification}}/publish": {"post"},
        f"{base}/clarification-requests/{{clarification}}/reject": {"post"},
        f"{base}/reports": {"get", "post"},
        f"{base}/reports/{{report}}": {"get"},
        f"{base}/reports/{{report}}/retry": {"post"},
        f"{base}/reports/{{report}}/publish": {"post"},
        f"{base}/reports/{{report}}/unpublish": {"post"},
        f"{base}/review/questions": {"get"},
        f"{base}/review/questions/{{question_key}}": {"get"},
        f"{base}/review/answers/{{submitted_response}}/{{question_key}}": {"get", "put"},
        f"{base}/my-response/files/{{file_question}}": {"put", "delete"},
        f"{base}/talk-slots": {"get"},
        f"{base}/talk-slots/{{slot}}/book": {"post"},
        f"{base}/talk-slots/{{slot}}/cancel": {"post"},
    }
    paths = schema["paths"]
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) & {"get", "put", "post", "patch", "delete"} == methods, path
    create = paths[f"{base}/reports"]["post"]
    assert {"202", "400", "403", "404", "409"} <= set(create["responses"])
    assert create["responses"]["409"]["content"]["application/problem+json"]
    create_body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    retry = paths[f"{base}/reports/{{report}}/retry"]["post"]
    assert {"202", "403", "404", "409"} <= set(retry["responses"])
    upload_body = paths[f"{base}/my-response/files/{{file_question}}"]["put"]["requestBody"]
    assert "multipart/form-data" in upload_body["content"]
    components = schema["components"]["schemas"]
    assert components["ClarificationStatusEnum"]["enum"] == ["open", "published", "rejected"]
    assert set(components["ConsultationReportStatusEnum"]["enum"]) == {
        "pending",
        "rendering",
        "done",
        "failed",
    }
    assert "downloadUrl" in components["Answer"]["properties"]
    assert "changeNote" in components[create_body.rsplit("/", 1)[1]]["properties"]
    assert "changeNote" in components["ConsultationReport"]["properties"]
