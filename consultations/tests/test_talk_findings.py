"""Points from the 1-on-1 talks reach every supplier through the report (equal treatment,
2014/24/EU art. 40/41): before, nothing learned in a talk reached the others. A point is
written in neutral words (the disclosure check), approved by a second project-team member,
and appears in the report only after that approval."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import TOTP_SECRET
from consultations.models import TalkFinding
from consultations.selectors import report_document as document
from consultations.services import report as report_services
from consultations.services import talk_findings as services
from consultations.tests.parts_api_helpers import invalid, post, problem, results
from consultations.tests.report_helpers import SUPPLIERS, pdf_text
from consultations.tests.report_helpers import _media_root as _media_root
from consultations.tests.report_helpers import reviewed as reviewed
from consultations.tests.report_helpers import world as world
from consultations.tests.talks_helpers import UserClient
from portal.models import AuditEvent, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

POINT = "Meerdere leveranciers kunnen binnen tien werkdagen leveren; de levertijd wordt een eis."
PAGE = "/marktconsultaties/mc-verslag/gesprekken/bevindingen"
API = "/api/v1/consultations/mc-verslag/talk-findings"


@pytest.fixture
def second_editor(project_team):
    user = MembershipFactory(
        organisation=project_team, role=Role.EDITOR, user=UserFactory(email="tweede@vng.nl")
    ).user
    TOTP.activate(user, TOTP_SECRET)  # MFA is required for the team
    return user


def test_a_point_appears_in_the_report_only_after_review(
    reviewed, project_team_user, second_editor
):
    consultation = reviewed["consultation"]
    finding = services.talk_finding_add(
        actor=project_team_user, consultation=consultation, text=POINT
    )
    before = report_services.report_request(actor=project_team_user, consultation=consultation)
    assert document.report_context(report=before)["talk_findings"] == []
    services.talk_finding_approve(actor=second_editor, finding=finding)
    after = report_services.report_request(
        actor=project_team_user, consultation=consultation, change_note="Punt uit de gesprekken."
    )
    assert document.report_context(report=after)["talk_findings"] == [POINT]
    # A version keeps what was approved when it was requested.
    assert document.report_context(report=before)["talk_findings"] == []
    text = pdf_text(report_services.report_render(report_id=after.pk).file.path)
    assert "Uit de marktgesprekken" in text and POINT in text
    old = pdf_text(report_services.report_render(report_id=before.pk).file.path)
    assert POINT not in old and "Er zijn geen punten uit de marktgesprekken opgenomen." in old
    events = AuditEvent.objects.filter(action__startswith="talk_finding").order_by("id")
    assert [e.action for e in events] == [
        "talk_finding.added",
        "talk_finding.approved",
    ]


def test_the_writer_cannot_approve_its_own_point(reviewed, project_team_user):
    finding = services.talk_finding_add(
        actor=project_team_user, consultation=reviewed["consultation"], text=POINT
    )
    with pytest.raises(ValidationError) as exc:
        services.talk_finding_approve(actor=project_team_user, finding=finding)
    assert exc.value.messages == [
        "Een ander lid van het projectteam keurt dit punt goed: u hebt het zelf geschreven."
    ]
    finding.refresh_from_db()
    assert not finding.is_approved


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zilvermeeuw Computers levert binnen tien dagen.", "de naam ‘Zilvermeeuw Computers’"),
        ("Een leverancier (KvK 7234 5678) levert snel.", "het KvK- of registratienummer 72345678"),
        ("Zie roerdomp-refurbished.nl voor een voorbeeld.", "het web- of maildomein"),
        ("Bram Kwakernaak noemde tien dagen.", "de naam van een persoon ‘Bram Kwakernaak’"),
    ],
)
def test_a_point_that_names_a_supplier_is_refused(world, project_team_user, text, found):
    with pytest.raises(ValidationError) as exc:
        services.talk_finding_add(
            actor=project_team_user, consultation=world["consultation"], text=text
        )
    [message] = exc.value.message_dict["text"]
    assert "Deze tekst maakt een leverancier die meedoet herkenbaar" in message
    assert found in message, message
    assert not TalkFinding.objects.exists()


def test_a_point_that_names_a_supplier_later_blocks_the_report(
    reviewed, project_team_user, second_editor
):
    finding = services.talk_finding_add(
        actor=project_team_user, consultation=reviewed["consultation"], text=POINT
    )
    services.talk_finding_approve(actor=second_editor, finding=finding)
    TalkFinding.objects.filter(pk=finding.pk).update(text=f"{SUPPLIERS[0]['name']} levert snel.")
    with pytest.raises(ValidationError) as exc:
        report_services.report_request(
            actor=project_team_user, consultation=reviewed["consultation"]
        )
    assert "Haal het uit het verslag." in exc.value.messages[0]


def test_only_project_team_editors_write_and_approve(
    personas, reviewed, project_team_user, project_team_viewer
):
    consultation = reviewed["consultation"]
    for actor in (project_team_viewer, personas["supplier_x"].user, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            services.talk_finding_add(actor=actor, consultation=consultation, text=POINT)


def test_the_page_for_the_project_team(personas, reviewed, project_team_viewer, second_editor):
    team = personas["project_team"].client()
    assert team.get(PAGE).status_code == 200
    refused = team.post(PAGE, {"text": "Zilvermeeuw Computers levert snel."})
    assert refused.status_code == 422
    assert 'id="id_text-error"' in refused.content.decode()
    assert team.post(PAGE, {"text": POINT}).status_code == 302
    finding = TalkFinding.objects.get()
    page = team.get(PAGE).content.decode()
    assert POINT in page and "Wacht op goedkeuring" in page
    assert f"{finding.public_id}/goedkeuren" not in page  # the writer cannot approve
    second = UserClient(second_editor)
    assert f"{finding.public_id}/goedkeuren" in second.get(PAGE).content.decode()
    assert second.post(f"{PAGE}/{finding.public_id}/goedkeuren").status_code == 302
    finding.refresh_from_db()
    assert finding.reviewed_by == second_editor
    viewer = UserClient(project_team_viewer)
    assert viewer.get(PAGE).status_code == 200
    assert viewer.post(PAGE, {"text": POINT}).status_code == 403
    for persona in ("supplier_x", "editor_a", "anonymous"):
        response = personas[persona].client().get(PAGE)
        assert response.status_code in (302, 404), persona
        assert POINT not in response.content.decode()


def test_the_api_for_the_project_team(personas, reviewed, second_editor):
    team = personas["project_team"].client()
    assert invalid(post(team, API, {"text": "Mail bram@kraanvogel-ict.nl."}))["text"].startswith(
        "Deze tekst maakt een leverancier die meedoet herkenbaar"
    )
    created = post(team, API, {"text": POINT})
    assert created.status_code == 201, created.content
    point_id = created.json()["id"]
    problem(post(team, f"{API}/{point_id}/approve"), 409)  # the writer
    approved = post(UserClient(second_editor), f"{API}/{point_id}/approve")
    assert approved.status_code == 200, approved.content
    [row] = results(team.get(API))
    assert (row["text"], row["approvedBy"]) == (POINT, second_editor.get_full_name())
    for persona in ("supplier_x", "editor_a"):
        problem(personas[persona].client().get(API), 404)
    assert personas["anonymous"].client().get(API).status_code in (401, 403)
