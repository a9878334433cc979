"""What one supplier is told, all are told: a changed closing time and a newly published
questionnaire version reach every supplier taking part (a response, a question or a booked
talk), one mail per person per change, through the outbox after the commit. Before, neither
reached anyone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.services import clarifications, talks
from consultations.services import consultation as services
from consultations.services.responses import response_get_or_create
from consultations.tests.talks_helpers import day_at
from portal.models import AuditEvent, Organisation, OutboxMessage, Role
from tenders.tests.conftest import open_consultation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "mc-bericht"
TAKING_PART = {
    "verkoop@leverancier-x.nl",  # a response
    "verkoop@leverancier-y.nl",  # a question
    "gesprek@zwaluw.nl",  # a booked talk
    "beide@zwaluw.nl",  # a person of two suppliers taking part: one mail
}


@pytest.fixture
def consultation(project_team_user):
    return open_consultation(
        project_team_user, slug=SLUG, programme_slug="gt-bericht", question_key="r"
    )


@pytest.fixture
def taking_part(personas, consultation, project_team_user):
    response_get_or_create(actor=personas["supplier_x"].user, consultation=consultation)
    clarifications.clarification_ask(
        actor=personas["supplier_y"].user, consultation=consultation, text="Tablets ook?"
    )
    zwaluw = OrganisationFactory(name="Zwaluw ICT B.V.", kind=Organisation.Kind.SUPPLIER)
    booker = MembershipFactory(
        organisation=zwaluw, role=Role.EDITOR, user=UserFactory(email="gesprek@zwaluw.nl")
    ).user
    [slot] = talks.slots_create(
        actor=project_team_user,
        consultation=consultation,
        first_start=day_at(3, 10),
        length_minutes=45,
        count=1,
    )
    talks.slot_book(actor=booker, slot=slot)
    both = UserFactory(email="beide@zwaluw.nl")
    for organisation in (zwaluw, personas["supplier_x"].organisation):
        MembershipFactory(organisation=organisation, role=Role.VIEWER, user=both)
    # Not taking part: a supplier without a response, question or talk, and a former colleague.
    outsider = OrganisationFactory(name="Kievit B.V.", kind=Organisation.Kind.SUPPLIER)
    MembershipFactory(organisation=outsider, role=Role.ADMIN, user=UserFactory(email="k@kievit.nl"))
    MembershipFactory(
        organisation=zwaluw,
        role=Role.EDITOR,
        user=UserFactory(email="oud@zwaluw.nl", is_active=False),
    )
    return consultation


def _update(consultation, actor, closes_at):
    return services.consultation_update(
        actor=actor,
        consultation=consultation,
        title=consultation.title,
        introduction=consultation.introduction,
        opens_at=consultation.opens_at,
        closes_at=closes_at,
        base_url="https://portaal.example/",
    )


def test_a_changed_closing_time_mails_every_supplier_taking_part(
    taking_part, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = taking_part
    later = consultation.closes_at + timedelta(days=7)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _update(consultation, project_team_user, later)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(TAKING_PART)
    assert all(len(m.to) == 1 for m in mailoutbox)
    mail = mailoutbox[0]
    local = timezone.localtime(later)
    assert mail.subject == "Nieuwe sluitingstijd van Marktconsultatie werkplek"
    assert "heeft de sluitingstijd van de marktconsultatie" in mail.body
    assert "Nieuwe sluitingstijd: " in mail.body and "(Nederlandse tijd)" in mail.body
    assert f"{local.day} " in mail.body and f"{local:%H:%M} uur" in mail.body
    assert "Was: " in mail.body
    assert f"https://portaal.example/marktconsultaties/{SLUG}" in mail.body
    # Through the outbox: one row per person, sent after the commit.
    rows = OutboxMessage.objects.filter(subject=mail.subject)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(TAKING_PART)
    assert all(row.sent_at is not None for row in rows)
    event = AuditEvent.objects.filter(action="consultation.updated").latest("id")
    assert event.data["suppliers_mailed"] == len(TAKING_PART)


def test_saving_without_a_new_closing_time_mails_nobody(
    taking_part, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _update(taking_part, project_team_user, taking_part.closes_at)
    assert mailoutbox == []


def test_nothing_is_mailed_when_the_change_fails(
    taking_part, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    before = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _update(taking_part, project_team_user, taking_part.opens_at - timedelta(days=1))
    assert mailoutbox == [] and OutboxMessage.objects.count() == before


def test_a_new_questionnaire_version_mails_every_supplier_taking_part(
    taking_part, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = taking_part
    version = services.questionnaire_new_version(actor=project_team_user, consultation=consultation)
    section = version.sections.get()
    services.question_add(
        actor=project_team_user,
        version=version,
        section=section,
        type="yes_no",
        text="Levert u ook tablets?",
        key="tablets",
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.questionnaire_publish(
            actor=project_team_user, version=version, base_url="https://portaal.example/"
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(TAKING_PART)
    mail = mailoutbox[0]
    assert mail.subject == "Nieuwe versie van de vragenlijst van Marktconsultatie werkplek"
    assert "versie 2 van de vragenlijst" in mail.body
    assert f"https://portaal.example/marktconsultaties/{SLUG}/antwoorden" in mail.body
    assert "Leverancier" not in mail.body  # nobody's name


def test_a_version_published_before_the_consultation_mails_nobody(
    project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        open_consultation(project_team_user, slug="mc-nieuw", programme_slug="gt-nieuw")
    assert mailoutbox == []
