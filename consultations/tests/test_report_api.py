"""Consultation API, the anonymised report: the published version public, the others the
project team's; requested (only after closing and once every open answer is reviewed),
published, taken off and retried through the services, refusals as 409; a change note
from the second version on; 404 outside the project team, 403 for a viewer of the
project team; and a constant query count of the list."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from consultations.models import ConsultationReport
from consultations.tests.parts_api_helpers import (
    API,
    EVERYONE_ELSE,
    count_queries,
    invalid,
    post,
    problem,
    results,
)
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from consultations.tests.parts_api_helpers import reviewed_world as reviewed_world
from consultations.tests.parts_api_helpers import team_viewer as team_viewer
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

R = ConsultationReport.Status


def make_report(consultation, number, status=R.DONE, published=False) -> ConsultationReport:
    report = ConsultationReport(
        consultation=consultation,
        number=number,
        status=status,
        published_at=timezone.now() if published else None,
        error="OSError: WeasyPrint gave up" if status == R.FAILED else "",
    )
    if status == R.DONE:
        report.sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
        report.generated_at = timezone.now()
        report.file.save(f"verslag-{number}.pdf", ContentFile(MINIMAL_PDF), save=False)
    report.save()
    return report


def test_the_published_report_is_public_the_others_are_the_project_teams(personas, consultation):
    draft = make_report(consultation, 1)
    published = make_report(consultation, 2, published=True)
    make_report(consultation, 3, status=R.PENDING)
    team = results(personas["project_team"].client().get(f"{API}/reports"))
    assert [(r["number"], r["status"], bool(r["publishedAt"])) for r in team] == [
        (3, "pending", False),
        (2, "done", True),
        (1, "done", False),
    ]
    assert (team[0]["sha256"], team[0]["downloadUrl"], team[0]["generatedAt"]) == (
        None,
        None,
        None,
    )
    for persona in ("anonymous", "editor_a", "supplier_x", "supplier_y"):
        client = personas[persona].client()
        [row] = results(client.get(f"{API}/reports"))
        assert (row["id"], row["number"]) == (str(published.public_id), 2), persona
        assert row["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
        problem(client.get(f"{API}/reports/{draft.public_id}"), 404)
        detail = client.get(f"{API}/reports/{published.public_id}")
        assert detail.status_code == 200
    download = personas["anonymous"].client().get(row["downloadUrl"])
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == row["sha256"]
    detail = personas["project_team"].client().get(f"{API}/reports/{draft.public_id}")
    assert detail.json()["downloadUrl"].endswith(f"/verslag/{draft.public_id}/download")


def test_requesting_a_report_needs_a_closed_consultation(personas, consultation):
    body = problem(post(personas["project_team"].client(), f"{API}/reports"), 409)
    assert body["detail"] == (
        "Het verslag kan worden gemaakt nadat de marktconsultatie is gesloten."
    )
    assert not ConsultationReport.objects.exists()


def test_a_report_is_refused_while_reviews_are_missing_then_accepted(
    personas, reviewed_world, project_team_user
):
    item, x = reviewed_world
    client = personas["project_team"].client()
    body = problem(post(client, f"{API}/reports"), 409)
    assert body["detail"] == (
        "1 open antwoord is nog niet beoordeeld. Beoordeel alle open antwoorden voordat u "
        "het verslag maakt."
    )
    assert not ConsultationReport.objects.exists()
    from consultations.services.review import answer_review

    answer_review(
        actor=project_team_user,
        answer=x.answers.get(question_key="visie"),
        include=True,
        redacted_text="Een leverancier werkt circulair.",
    )
    response = post(client, f"{API}/reports")
    assert response.status_code == 202, response.content
    data = response.json()
    assert (data["number"], data["status"], data["downloadUrl"]) == (1, "pending", None)
    assert response["Location"] == f"http://testserver{API}/reports/{data['id']}"
    assert client.get(response["Location"]).json() == data
    assert AuditEvent.objects.filter(action="consultation_report.requested").count() == 1


@pytest.mark.parametrize("persona", EVERYONE_ELSE + ["supplier_y"])
def test_report_actions_are_404_outside_the_project_team(personas, reviewed_world, persona):
    item, _x = reviewed_world
    report = make_report(item, 1)
    failed = make_report(item, 2, status=R.FAILED)
    client = personas[persona].client()
    problem(post(client, f"{API}/reports"), 404)
    problem(post(client, f"{API}/reports/{report.public_id}/publish"), 404)
    problem(post(client, f"{API}/reports/{failed.public_id}/retry"), 404)
    report.refresh_from_db()
    failed.refresh_from_db()
    assert report.published_at is None and failed.status == R.FAILED
    assert ConsultationReport.objects.count() == 2


def test_a_project_team_viewer_reads_reports_but_cannot_change_them(
    personas, reviewed_world, team_viewer
):
    item, _x = reviewed_world
    report = make_report(item, 1)
    viewer = team_viewer
    assert len(results(viewer.get(f"{API}/reports"))) == 1
    problem(post(viewer, f"{API}/reports"), 403)
    problem(post(viewer, f"{API}/reports/{report.public_id}/publish"), 403)
    failed = make_report(item, 2, status=R.FAILED)
    problem(post(viewer, f"{API}/reports/{failed.public_id}/retry"), 403)
    report.refresh_from_db()
    failed.refresh_from_db()
    assert report.published_at is None and failed.status == R.FAILED


def test_publishing_and_taking_off_a_report(personas, consultation):
    old = make_report(consultation, 1, published=True)
    new = make_report(consultation, 2)
    pending = make_report(consultation, 3, status=R.PENDING)
    client = personas["project_team"].client()
    response = post(client, f"{API}/reports/{new.public_id}/publish")
    assert response.status_code == 200, response.content
    assert response.json()["publishedAt"]
    [public] = results(personas["anonymous"].client().get(f"{API}/reports"))
    assert public["number"] == 2
    old.refresh_from_db()
    assert old.published_at is None
    body = problem(post(client, f"{API}/reports/{pending.public_id}/publish"), 409)
    assert body["detail"] == "Alleen een verslag dat klaar is, kan worden gepubliceerd."
    response = post(client, f"{API}/reports/{new.public_id}/unpublish")
    assert (response.status_code, response.json()["publishedAt"]) == (200, None)
    assert results(personas["anonymous"].client().get(f"{API}/reports")) == []
    body = problem(post(client, f"{API}/reports/{new.public_id}/unpublish"), 409)
    assert body["detail"] == "Dit verslag is niet gepubliceerd."
    assert AuditEvent.objects.filter(action="consultation_report.unpublished").count() == 1


def review_x(x, actor):
    from consultations.services.review import answer_review

    answer_review(
        actor=actor,
        answer=x.answers.get(question_key="visie"),
        include=True,
        redacted_text="Een leverancier werkt circulair.",
    )


def test_a_later_version_needs_a_change_note(personas, reviewed_world, project_team_user):
    item, x = reviewed_world
    review_x(x, project_team_user)
    client = personas["project_team"].client()
    first = post(client, f"{API}/reports")
    assert first.status_code == 202, first.content
    assert (first.json()["number"], first.json()["changeNote"]) == (1, "")

    for body in ({}, {"changeNote": "  "}):
        assert invalid(post(client, f"{API}/reports", body)) == {
            "changeNote": "Geef aan wat er in deze versie anders is."
        }
    assert set(invalid(post(client, f"{API}/reports", {"changeNote": "x" * 201}))) == {"changeNote"}
    assert ConsultationReport.objects.count() == 1

    second = post(client, f"{API}/reports", {"changeNote": " Antwoord ingekort. "})
    assert second.status_code == 202, second.content
    data = second.json()
    assert (data["number"], data["changeNote"]) == (2, "Antwoord ingekort.")
    assert client.get(second["Location"]).json()["changeNote"] == "Antwoord ingekort."
    assert ConsultationReport.objects.get(number=2).change_note == "Antwoord ingekort."


def test_retrying_a_failed_report(personas, consultation, django_capture_on_commit_callbacks):
    failed = make_report(consultation, 1, status=R.FAILED)
    done = make_report(consultation, 2)
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, f"{API}/reports/{failed.public_id}/retry")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1  # the render task
    data = response.json()
    assert (data["id"], data["number"], data["status"]) == (str(failed.public_id), 1, "pending")
    assert response["Location"] == f"http://testserver{API}/reports/{failed.public_id}"
    failed.refresh_from_db()
    assert (failed.status, failed.error) == (R.PENDING, "")
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1

    # Now pending, and the other one done: neither is retried.
    for report in (failed, done):
        body = problem(post(client, f"{API}/reports/{report.public_id}/retry"), 409)
        assert body["detail"] == "Alleen een versie die is mislukt, kan opnieuw worden gemaakt."
    done.refresh_from_db()
    assert done.status == R.DONE
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1


def test_report_list_has_a_constant_number_of_queries(personas, consultation):
    make_report(consultation, 1, published=True)
    clients = {p: personas[p].client() for p in ("anonymous", "project_team")}
    few = {p: count_queries(c, f"{API}/reports") for p, c in clients.items()}
    for number in range(2, 8):
        make_report(consultation, number, status=R.DONE if number % 2 else R.FAILED)
    many = {p: count_queries(c, f"{API}/reports") for p, c in clients.items()}
    assert few == many
    assert len(results(clients["project_team"].get(f"{API}/reports"))) == 7
