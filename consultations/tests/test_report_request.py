"""The anonymised report of a market consultation, requested through the services: only
after closing and after every open answer was reviewed, only by the project team's
editors; suppliers as fixed pseudonyms for exactly the submitted responses, assigned in a
random order; one published version at a time; a change note from the second version on;
and the retry of a failed version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.models import ConsultationReport, ConsultationResponse
from consultations.selectors import report_document as document
from consultations.services import report as services
from consultations.tasks import report_render_task
from consultations.tests.report_helpers import (
    NOTE_REQUIRED,
    REVIEWS,
    R,
    build_consultation,
    done_report,
    failed_report,
    review_all,
)
from consultations.tests.report_helpers import _media_root as _media_root
from consultations.tests.report_helpers import reviewed as reviewed
from consultations.tests.report_helpers import world as world
from portal.models import AuditEvent

# --- Rules of the request ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open_consultation_gets_no_report(project_team_user):
    consultation, _ = build_consultation(project_team_user)
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=consultation)
    assert "gesloten" in exc.value.messages[0]
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_unreviewed_open_answers_refuse_the_report_with_their_count(world, project_team_user):
    consultation = world["consultation"]
    # Five open answers of submitted responses (the draft's do not count); review two.
    review_all(consultation, project_team_user, dict(list(REVIEWS.items())[:2]))
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=consultation)
    assert exc.value.messages == [
        "3 open antwoorden zijn nog niet beoordeeld. Beoordeel alle open antwoorden voordat u "
        "het verslag maakt."
    ]
    assert not ConsultationReport.objects.exists()

    review_all(consultation, project_team_user, dict(list(REVIEWS.items())[2:]))
    report = services.report_request(actor=project_team_user, consultation=consultation)
    assert report.status == R.PENDING and report.number == 1
    event = AuditEvent.objects.get(action="consultation_report.requested")
    assert event.actor == project_team_user and event.data["responses"] == 3


@pytest.mark.django_db
def test_only_project_team_editors_request_and_publish(
    reviewed, project_team_viewer, personas, project_team_user
):
    consultation = reviewed["consultation"]
    for actor in (project_team_viewer, personas["supplier_x"].user, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.report_request(actor=actor, consultation=consultation)
    report = services.report_request(actor=project_team_user, consultation=consultation)
    ConsultationReport.objects.filter(pk=report.pk).update(status=R.DONE)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=project_team_viewer, report=report)
    report.refresh_from_db()
    assert not report.is_published


# --- Pseudonyms -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pseudonym_letters_continue_after_z():
    assert [document.pseudonym_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


@pytest.mark.django_db
def test_pseudonyms_cover_exactly_the_submitted_responses(reviewed, project_team_user):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    submitted = ConsultationResponse.objects.filter(status="submitted")
    assert set(report.pseudonyms) == {str(pk) for pk in submitted.values_list("pk", flat=True)}
    assert sorted(report.pseudonyms.values()) == ["A", "B", "C"]
    draft = ConsultationResponse.objects.get(organisation__slug="grutto")
    assert str(draft.pk) not in report.pseudonyms


@pytest.mark.django_db
def test_pseudonyms_are_assigned_in_a_random_order(reviewed, project_team_user):
    # Not by name or by time of answering: ten requests do not all agree (chance 6^-9).
    mappings = {
        tuple(
            sorted(
                services.report_request(
                    actor=project_team_user,
                    consultation=reviewed["consultation"],
                    change_note=f"Poging {attempt}",
                ).pseudonyms.items()
            )
        )
        for attempt in range(10)
    }
    assert len(mappings) > 1
    assert list(
        ConsultationReport.objects.order_by("number").values_list("number", flat=True)
    ) == list(range(1, 11))


# --- Publishing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_switches_the_published_report(world, project_team_user):
    consultation = world["consultation"]
    first = done_report(consultation, 1, project_team_user)
    second = done_report(consultation, 2, project_team_user)
    pending = ConsultationReport.objects.create(consultation=consultation, number=3)

    services.report_publish(actor=project_team_user, report=first)
    services.report_publish(actor=project_team_user, report=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_published and first.published_by is None
    assert second.is_published and second.published_by == project_team_user
    events = AuditEvent.objects.filter(action="consultation_report.published").order_by("id")
    assert [e.data["replaces"] for e in events] == [None, 1]

    with pytest.raises(ValidationError):
        services.report_publish(actor=project_team_user, report=pending)
    services.report_unpublish(actor=project_team_user, report=second)
    assert not ConsultationReport.objects.filter(published_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        services.report_unpublish(actor=project_team_user, report=second)


# --- Change notes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_note_is_required_from_the_second_version(reviewed, project_team_user):
    consultation = reviewed["consultation"]
    first = services.report_request(actor=project_team_user, consultation=consultation)
    assert (first.number, first.change_note) == (1, "")

    for note in ("", "   \n "):
        with pytest.raises(ValidationError) as exc:
            services.report_request(
                actor=project_team_user, consultation=consultation, change_note=note
            )
        assert exc.value.message_dict == {"change_note": [NOTE_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        services.report_request(
            actor=project_team_user, consultation=consultation, change_note="x" * 201
        )
    assert exc.value.message_dict == {
        "change_note": ["Gebruik hoogstens 200 tekens (u gebruikte er 201)."]
    }
    assert ConsultationReport.objects.count() == 1

    second = services.report_request(
        actor=project_team_user,
        consultation=consultation,
        change_note="  Antwoord van Leverancier B ingekort.  ",
    )
    second.refresh_from_db()
    assert (second.number, second.change_note) == (2, "Antwoord van Leverancier B ingekort.")
    events = AuditEvent.objects.filter(action="consultation_report.requested").order_by("id")
    assert [e.data["change_note"] for e in events] == ["", "Antwoord van Leverancier B ingekort."]


@pytest.mark.django_db
def test_a_first_version_may_have_a_change_note(reviewed, project_team_user):
    report = services.report_request(
        actor=project_team_user, consultation=reviewed["consultation"], change_note=" Concept "
    )
    report.refresh_from_db()
    assert report.change_note == "Concept"


# --- Retry ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_retrying_a_failed_version_renders_the_same_version(
    reviewed, project_team_user, django_capture_on_commit_callbacks
):
    report = failed_report(reviewed["consultation"], project_team_user)
    pseudonyms = dict(report.pseudonyms)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retried = services.report_retry(actor=project_team_user, report=report)
    assert len(callbacks) == 1  # the render task, queued after the commit
    retried.refresh_from_db()
    assert (retried.pk, retried.number, retried.status, retried.error) == (
        report.pk, 1, R.PENDING, "",
    )  # fmt: skip
    assert retried.pseudonyms == pseudonyms
    event = AuditEvent.objects.get(action="consultation_report.retried")
    assert event.actor == project_team_user and event.data["number"] == 1
    assert "WeasyPrint gave up" in event.data["error"]

    result = report_render_task.apply(args=(report.pk,))  # what the worker runs
    assert result.successful()
    retried.refresh_from_db()
    assert retried.status == R.DONE and retried.sha256 and retried.generated_at
    assert ConsultationReport.objects.count() == 1


@pytest.mark.django_db
def test_only_a_failed_version_is_retried(reviewed, project_team_user):
    consultation = reviewed["consultation"]
    pending = services.report_request(actor=project_team_user, consultation=consultation)
    done = done_report(consultation, 2, project_team_user)
    for report, status in ((pending, R.PENDING), (done, R.DONE)):
        with pytest.raises(ValidationError) as exc:
            services.report_retry(actor=project_team_user, report=report)
        assert exc.value.messages == [
            "Alleen een versie die is mislukt, kan opnieuw worden gemaakt."
        ]
        report.refresh_from_db()
        assert report.status == status
    assert not AuditEvent.objects.filter(action="consultation_report.retried").exists()


@pytest.mark.django_db
def test_only_project_team_editors_retry(
    reviewed, project_team_user, project_team_viewer, personas
):
    report = failed_report(reviewed["consultation"], project_team_user)
    for actor in (project_team_viewer, personas["supplier_x"].user, personas["admin_a"].user):
        with pytest.raises(PermissionDenied):
            services.report_retry(actor=actor, report=report)
    report.refresh_from_db()
    assert report.status == R.FAILED and report.error
