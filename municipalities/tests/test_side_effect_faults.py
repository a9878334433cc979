"""A saved request never answers an error because a side effect failed: with the mail server
refusing, returning a demand is stored, answers a redirect, keeps the mail for later and still
announces the change (tenders queues a new aggregation run)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from catalog.services import catalog_load_reference
from municipalities.models import Demand, Participation
from municipalities.services.demand import demand_for_participation, demand_submit
from portal import outbox
from portal.models import OutboxMessage
from portal.tests.test_outbox import smtp_refused  # noqa: F401
from tenders.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(participation_a, programme, editor_a):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() + timedelta(days=10),
    )
    participation_a.refresh_from_db()
    demand = demand_for_participation(participation=participation_a)
    demand_submit(actor=editor_a, demand=demand, revision=demand.revision)
    return Demand.objects.get(pk=demand.pk)


def test_returning_a_demand_with_the_mail_server_down(
    personas,
    submitted,
    editor_a,
    smtp_refused,  # noqa: F811
    settings,
):
    # Read through the app registry: municipalities does not import tenders.
    runs = apps.get_model("tenders", "AggregationRun").objects
    runs.update(status="done")  # the run after the submit is finished: no coalescing
    runs_before = runs.count()

    response = (
        personas["project_team"]
        .client()
        .post(f"/inventarisatie/{submitted.public_id}/terugsturen", {"comment": "Te hoog."})
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Demand.Status.RETURNED
    pending = OutboxMessage.objects.filter(kind="mail", sent_at__isnull=True)
    assert editor_a.email in {m.recipient for m in pending}
    assert all("ConnectionRefusedError" in m.last_error for m in pending)
    # The domain event, registered after the mail, still ran.
    assert runs.count() == runs_before + 1

    # Delivery works again: the sweep sends each mail once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert outbox.sweep() == pending.count() > 0
    assert outbox.sweep() == 0
    assert editor_a.email in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == len({m.to[0] for m in mail.outbox})
