"""An outdated response is not moved by a save through the API: the answer operations refuse
it (409) and point to my-response/upgrade, which shows what changes and moves it (audited)."""

from __future__ import annotations

import pytest

from consultations.services import consultation as consultations
from consultations.tests.test_responses_api import (
    COMPLETE,
    MINE,
    SUBMIT,
    english,
    invalid,
    problem,
    put,
    supplier_viewer,
)
from consultations.tests.test_responses_api import _catalogue as _catalogue
from consultations.tests.test_responses_api import consultation as consultation
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db
UPGRADE = f"{MINE}/upgrade"


def _publish_version_2(consultation, actor):
    draft = consultations.questionnaire_new_version(actor=actor, consultation=consultation)
    consultations.question_remove(actor=actor, question=draft.questions.get(key="visie"))
    consultations.questionnaire_publish(actor=actor, version=draft)


def test_answering_an_outdated_response_is_refused_with_a_pointer_to_the_upgrade(
    personas, consultation, project_team_user
):
    client = english(personas["supplier_x"].client())
    assert put(client, COMPLETE).status_code == 200
    assert client.post(SUBMIT).status_code == 200
    _publish_version_2(consultation, project_team_user)
    data = client.get(MINE).json()
    assert (data["version"], data["newestVersion"], data["status"]) == (1, 2, "submitted")
    for refused in (put(client, {"naam": "Laptop 15"}), client.post(SUBMIT)):
        detail = problem(refused, 409)["detail"]
        assert "my-response/upgrade" in detail
    data = client.get(MINE).json()  # nothing moved, nothing changed
    assert (data["version"], data["status"]) == (1, "submitted")
    assert {a["questionKey"]: a["value"] for a in data["answers"]}["naam"] == "Laptop 14"
    assert not AuditEvent.objects.filter(action="response.upgraded").exists()


def test_the_upgrade_shows_what_changes_and_moves_the_response(
    personas, consultation, project_team_user, supplier_x
):
    client = personas["supplier_x"].client()
    assert problem(client.get(UPGRADE), 404)  # no response yet
    assert put(client, COMPLETE).status_code == 200
    assert problem(client.get(UPGRADE), 409)  # already the newest version
    _publish_version_2(consultation, project_team_user)
    summary = client.get(UPGRADE).json()
    assert (summary["fromVersion"], summary["toVersion"]) == (1, 2)
    assert [q["questionKey"] for q in summary["removed"]] == ["visie"]
    assert [(q["questionKey"], q["answer"]) for q in summary["dropped"]] == [("visie", "Circulair")]
    # A viewer reads, does not move; a confirmation of another version is refused.
    viewer_client = supplier_viewer(supplier_x)
    assert viewer_client.get(UPGRADE).status_code == 200
    problem(viewer_client.post(UPGRADE, {"toVersion": 2}, content_type="application/json"), 403)
    problem(client.post(UPGRADE, {"toVersion": 1}, content_type="application/json"), 409)
    assert "toVersion" in invalid(client.post(UPGRADE, {}, content_type="application/json"))
    moved = client.post(UPGRADE, {"toVersion": 2}, content_type="application/json")
    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert (data["version"], data["newestVersion"], data["status"]) == (2, 2, "draft")
    assert {a["questionKey"] for a in data["answers"]} == {"naam", "rol", "refurb"}
    event = AuditEvent.objects.get(action="response.upgraded")
    assert (event.data["from_version"], event.data["to_version"]) == (1, 2)
    assert event.data["dropped"] == ["visie"]
    # Moved: answering works again, and visie (gone from version 2) is refused.
    assert put(client, {"naam": "Laptop 15", "rol": "Reseller", "refurb": True}).status_code == 200
    assert list(invalid(put(client, {**COMPLETE, "visie": "Circulair"}))) == ["/answers/visie"]
    problem(client.post(UPGRADE, {"toVersion": 2}, content_type="application/json"), 409)
