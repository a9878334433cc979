# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""At publication of the tender, every supplier that took part in the programme's market
consultation is told, one mail per person, through the ``tender.published`` domain event
(tenders does not import this app); suppliers that did not take part hear nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.services import consultation as consultations
from consultations.services.responses import response_get_or_create
from tenders.services.subscriptions import tender_published_announce
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def consultation_of(programme, actor):
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-agg",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    consultations.question_add(
        actor=actor, version=version, section=section, type="yes_no", text="?", key="q1"
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


def test_suppliers_of_the_market_consultation_are_told_at_publication(
    setup, personas, mailoutbox, django_capture_on_commit_callbacks
):
    item = consultation_of(setup["programme"], personas["project_team"].user)
    response_get_or_create(actor=personas["supplier_x"].user, consultation=item)
    colleague = MembershipFactory(
        organisation=personas["supplier_x"].organisation,
        role="viewer",
        user=UserFactory(email="collega@leverancier-x.nl"),
    ).user
    tender = published_tender(setup, personas)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tender_published_announce(tender=tender)
    assert callbacks, "the event waits for the commit"
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted([personas["supplier_x"].user.email, colleague.email])
    assert personas["supplier_y"].user.email not in recipients  # did not take part
    mail = mailoutbox[0]
    assert mail.subject == "De aanbesteding GT Agg is gepubliceerd"
    assert "meedeed aan de marktconsultatie" in mail.body
    assert "/aanbestedingen/VNG-GT-AGG" in mail.body


def test_nothing_is_sent_when_the_publication_is_rolled_back(
    setup, personas, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    item = consultation_of(setup["programme"], personas["project_team"].user)
    response_get_or_create(actor=personas["supplier_x"].user, consultation=item)
    tender = published_tender(setup, personas)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tender_published_announce(tender=tender)
        transaction.set_rollback(True)
    assert mailoutbox == []


def test_other_events_do_not_mail_the_suppliers(setup, personas, mailoutbox):
    from portal.signals import _send

    item = consultation_of(setup["programme"], personas["project_team"].user)
    response_get_or_create(actor=personas["supplier_x"].user, consultation=item)
    tender = published_tender(setup, personas)
    mailoutbox.clear()
    _send("tender.changed", instance=tender, actor=None)
    assert mailoutbox == []
