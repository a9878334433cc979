"""The pages of the anonymised report: the manage page tells how many reviews are missing,
makes a version and polls its status, asks for a change note from the second version on
and retries a failed version; a viewer of the project team sees the versions but changes
nothing; only the published version is public; and the manage page's query count does not
grow with the versions."""

from __future__ import annotations

import pytest
from django.test.utils import CaptureQueriesContext

from consultations.models import ConsultationReport
from consultations.services import report as services
from consultations.tests.report_helpers import (
    MANAGE,
    NOTE_REQUIRED,
    PUBLIC,
    SLUG,
    R,
    done_report,
    failed_report,
)
from consultations.tests.report_helpers import _media_root as _media_root
from consultations.tests.report_helpers import reviewed as reviewed
from consultations.tests.report_helpers import world as world
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent


@pytest.mark.django_db
def test_the_manage_page_tells_how_many_reviews_are_missing(world, personas):
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert "5 open antwoorden zijn nog niet beoordeeld." in page
    assert f'href="/marktconsultaties/{SLUG}/beoordeling/anonimiseren"' in page
    assert "Verslag maken" not in page

    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken", follow=True)
    assert "5 open antwoorden zijn nog niet beoordeeld." in response.content.decode()
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_the_page_counts_what_the_report_service_counts_in_one_query(world, personas):
    """The review part and the report part of the manage page both show the review's
    progress: one query counts it, and what blocks the report is what the service refuses on
    (open answers with a value and no review; an answer without a value blocks nothing)."""
    from django.db import connection

    from consultations.models import Answer, AnswerReview
    from consultations.selectors.report import open_answers_without_review

    consultation = world["consultation"]
    pending = list(open_answers_without_review(consultation=consultation).order_by("pk"))
    AnswerReview.objects.create(answer=pending[0], include=False)
    Answer.objects.filter(pk=pending[1].pk).update(value=None)
    client = personas["project_team"].client()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(MANAGE).content.decode()
    assert open_answers_without_review(consultation=consultation).count() == 3
    assert "3 open antwoorden zijn nog niet beoordeeld." in page
    counting = [q["sql"] for q in queries.captured_queries if "suppliers_answerreview" in q["sql"]]
    assert len(counting) == 1, counting


@pytest.mark.django_db
def test_generate_from_the_page_and_poll_its_status(reviewed, personas):
    client = personas["project_team"].client()
    assert "Verslag maken" in client.get(MANAGE).content.decode()

    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken")
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}#consultation-report"
    report = ConsultationReport.objects.get()
    status_url = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    fragment = client.get(status_url).content.decode()
    assert fragment.lstrip().startswith("<tr")
    assert 'hx-trigger="every 2s"' in fragment and "In de wachtrij" in fragment

    services.report_render(report_id=report.pk)
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment
    assert "Versie 1 downloaden (PDF)" in fragment and "Versie 1 publiceren" in fragment
    assert "Nieuwe versie van het verslag maken" in client.get(MANAGE).content.decode()


@pytest.mark.django_db
def test_a_viewer_of_the_project_team_sees_reports_but_cannot_generate_or_publish(
    reviewed, project_team_viewer, project_team_user
):
    from django.test import Client

    report = done_report(reviewed["consultation"], 1, project_team_user)
    client = Client()
    client.force_login(project_team_viewer)
    page = client.get(MANAGE).content.decode()
    assert "Versie 1 downloaden (PDF)" in page
    assert "Verslag maken" not in page and "Versie 1 publiceren" not in page
    assert client.post(f"/marktconsultaties/{SLUG}/verslag/maken").status_code == 403
    publish = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/publiceren"
    assert client.post(publish).status_code == 403
    assert not ConsultationReport.objects.filter(published_at__isnull=False).exists()


@pytest.mark.django_db
def test_only_the_published_report_is_public(world, personas, project_team_user):
    consultation = world["consultation"]
    report = done_report(consultation, 1, project_team_user)
    download = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/download"
    supplier = personas["supplier_x"].client()
    anonymous = personas["anonymous"].client()

    assert supplier.get(download).status_code == 404
    assert anonymous.get(download).status_code == 404
    assert "Verslag van de marktconsultatie" not in anonymous.get(PUBLIC).content.decode()
    team = personas["project_team"].client().get(download)
    assert team.status_code == 200 and "no-store" in team["Cache-Control"]
    assert b"".join(team.streaming_content) == MINIMAL_PDF

    response = (
        personas["project_team"]
        .client()
        .post(f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/publiceren")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published

    page = anonymous.get(PUBLIC).content.decode()
    assert "Verslag van de marktconsultatie" in page
    assert f'href="{download}"' in page
    got = anonymous.get(download)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert f'filename="verslag-{SLUG}-v1.pdf"' in got["Content-Disposition"]
    assert b"".join(got.streaming_content) == MINIMAL_PDF
    assert supplier.get(download).status_code == 200
    # A second, unpublished version stays the project team's.
    newer = done_report(consultation, 2, project_team_user)
    newer_download = f"/marktconsultaties/{SLUG}/verslag/{newer.public_id}/download"
    assert anonymous.get(newer_download).status_code == 404
    status = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    assert supplier.get(status).status_code == 404


@pytest.mark.django_db
def test_a_report_that_is_not_done_cannot_be_downloaded(world, personas):
    report = ConsultationReport.objects.create(consultation=world["consultation"], number=1)
    download = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/download"
    assert personas["project_team"].client().get(download).status_code == 404


@pytest.mark.django_db
def test_the_manage_page_query_count_does_not_grow_with_reports(world, personas):
    from django.db import connection

    client = personas["project_team"].client()
    done_report(world["consultation"], 1, personas["project_team"].user)
    client.get(MANAGE)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MANAGE).status_code == 200
    for number in range(2, 7):
        report = done_report(world["consultation"], number, personas["project_team"].user)
        ConsultationReport.objects.filter(pk=report.pk).update(
            change_note=f"Wijziging {number}", status=R.FAILED if number in (3, 5) else R.DONE
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(MANAGE)
    content = page.content.decode()
    assert "Versie 6 downloaden (PDF)" in content and "Wijziging 5" in content
    assert content.count("Opnieuw proberen") == 2
    assert len(many) == len(few)


# --- Change notes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_version_from_the_page_needs_a_change_note(reviewed, personas, project_team_user):
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert (
        '<label class="utrecht-form-label" for="id_report_change_note">Wat is er anders in '
        "deze versie? (niet verplicht)</label>" in page
    )
    client.post(f"/marktconsultaties/{SLUG}/verslag/maken")
    services.report_render(report_id=ConsultationReport.objects.get().pk)

    page = client.get(MANAGE).content.decode()
    assert "Wat is er anders in deze versie?</label>" in page
    assert 'aria-required="true"' in page and "id_report_change_note-error" not in page

    # Without a note: back to the page, the error in the messages and next to the field.
    response = client.post(f"/marktconsultaties/{SLUG}/verslag/maken", {"change_note": "  "})
    assert response.status_code == 302
    assert response["Location"] == f"{MANAGE}#consultation-report"
    page = client.get(response["Location"]).content.decode()
    assert (
        f'<p class="utrecht-form-field__error-message utrecht-form-field-error-message" '
        f'id="id_report_change_note-error">{NOTE_REQUIRED}</p>' in page
    )
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_report_change_note-hint id_report_change_note-error"' in page
    assert ConsultationReport.objects.count() == 1
    # The error is shown once: the page after that is clean again.
    assert NOTE_REQUIRED not in client.get(MANAGE).content.decode()

    response = client.post(
        f"/marktconsultaties/{SLUG}/verslag/maken",
        {"change_note": "Tekst van vraag 3.2 ingekort."},
        follow=True,
    )
    content = response.content.decode()
    assert "Versie 2 van het verslag wordt gemaakt." in content
    second = ConsultationReport.objects.get(number=2)
    assert second.change_note == "Tekst van vraag 3.2 ingekort."
    assert '<td class="utrecht-table__cell">Tekst van vraag 3.2 ingekort.</td>' in content
    status_url = f"/marktconsultaties/{SLUG}/verslag/{second.public_id}/status"
    assert "Tekst van vraag 3.2 ingekort." in client.get(status_url).content.decode()


# --- Retry ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_retry_from_the_page(reviewed, personas, project_team_user, project_team_viewer):
    from django.test import Client

    report = failed_report(reviewed["consultation"], project_team_user)
    retry = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/opnieuw"
    status_url = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/status"
    client = personas["project_team"].client()
    page = client.get(MANAGE).content.decode()
    assert "Het maken van het verslag is mislukt. Probeer het opnieuw." in page
    assert f'action="{retry}"' in page
    assert 'Opnieuw proberen<span class="visually-hidden"> (versie 1)</span>' in page
    fragment = client.get(status_url).content.decode()
    assert f'action="{retry}"' in fragment and "hx-trigger" not in fragment

    # A viewer of the project team sees the failure but cannot retry.
    viewer = Client()
    viewer.force_login(project_team_viewer)
    assert f'action="{retry}"' not in viewer.get(MANAGE).content.decode()
    assert f'action="{retry}"' not in viewer.get(status_url).content.decode()
    assert viewer.post(retry).status_code == 403
    report.refresh_from_db()
    assert report.status == R.FAILED

    response = client.post(retry, follow=True)
    assert response.redirect_chain == [(f"{MANAGE}#consultation-report", 302)]
    assert "Versie 1 van het verslag wordt opnieuw gemaakt." in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.error) == (R.PENDING, "")
    fragment = client.get(status_url).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and f'action="{retry}"' not in fragment

    # Once it is no longer failed, the retry is refused with a message.
    response = client.post(retry, follow=True)
    assert "Alleen een versie die is mislukt, kan opnieuw worden gemaakt." in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1


@pytest.mark.django_db
def test_a_stuck_version_is_retried_from_the_page(reviewed, personas, project_team_user):
    from datetime import timedelta

    from django.utils import timezone

    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    retry = f"/marktconsultaties/{SLUG}/verslag/{report.public_id}/opnieuw"
    client = personas["project_team"].client()
    # Just requested: the worker may still take it; no retry yet.
    assert f'action="{retry}"' not in client.get(MANAGE).content.decode()

    # Its task was lost: still pending long after it was requested.
    ConsultationReport.objects.filter(pk=report.pk).update(
        requested_at=timezone.now() - timedelta(minutes=6)
    )
    assert f'action="{retry}"' in client.get(MANAGE).content.decode()
    assert client.post(retry).status_code == 302
    report.refresh_from_db()
    assert report.status == R.PENDING
    assert f'action="{retry}"' not in client.get(MANAGE).content.decode()
