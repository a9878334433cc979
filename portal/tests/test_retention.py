"""Retention periods (settings.RETENTION): each rule removes what is past its period and keeps
what is not, in batches, idempotently, audited with counts; every setting is in the processing
register. The worker test sends the periodic task through a real Celery worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from config.celery import app as celery_app
from portal.models import AuditEvent, Invitation, OutboxMessage, User
from portal.privacy import RETENTION_RULES, retention_apply
from suppliers.models import JoinRequest
from tests.factories import UserFactory

REGISTER = Path(settings.BASE_DIR) / "docs" / "privacy" / "verwerkingsregister.md"
SECOND = timedelta(seconds=1)


def days(key: str) -> timedelta:
    return timedelta(days=settings.RETENTION[key])


def make_rows(now, org, supplier, margin=SECOND):
    """One row just past and one just within each period (by ``margin``), by name."""
    rows = {}
    sent = days("outbox_sent_days")
    for name, at in (("outbox_old", now - sent - margin), ("outbox_new", now - sent + margin)):
        rows[name] = OutboxMessage.objects.create(kind="mail", recipient="a@b.nl", sent_at=at)
    rows["outbox_unsent"] = OutboxMessage.objects.create(
        kind="mail", recipient="a@b.nl", created_at=now - timedelta(days=999)
    )
    inv = days("unaccepted_invitations_days")
    for n, (name, expires) in enumerate(
        (("inv_old", now - inv - margin), ("inv_new", now - inv + margin))
    ):
        rows[name] = Invitation.objects.create(
            organisation=org, email=f"{name}@x.nl", token_hash=str(n) * 64, expires_at=expires
        )
    rows["inv_accepted"] = Invitation.objects.create(
        organisation=org,
        email="ja@x.nl",
        token_hash="9" * 64,
        expires_at=now - timedelta(days=999),
        accepted_at=now - timedelta(days=999),
    )
    jr = days("declined_join_requests_days")
    for name, at in (("jr_old", now - jr - margin), ("jr_new", now - jr + margin)):
        rows[name] = JoinRequest.objects.create(
            organisation=supplier,
            user=UserFactory(),
            status=JoinRequest.Status.DECLINED,
            decided_at=at,
        )
    acc = days("inactive_unverified_accounts_days")
    for name, at in (("acc_old", now - acc - margin), ("acc_new", now - acc + margin)):
        rows[name] = UserFactory(email=f"{name}@x.nl", date_joined=at, last_login=None)
        EmailAddress.objects.filter(user=rows[name]).update(verified=False)
    # Verified (the factory's address is), or logged in once: kept however old.
    rows["acc_verified"] = UserFactory(date_joined=now - timedelta(days=999), last_login=None)
    rows["acc_logged_in"] = UserFactory(
        date_joined=now - timedelta(days=999), last_login=now - timedelta(days=999)
    )
    EmailAddress.objects.filter(user=rows["acc_logged_in"]).update(verified=False)
    return rows


GONE = {"outbox_old", "inv_old", "jr_old", "acc_old"}


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_every_rule_removes_what_is_past_its_period(org_a, supplier_x):
    now = timezone.now()
    rows = make_rows(now, org_a, supplier_x)
    counts = retention_apply(now=now, batch=1)  # batches of one: the loop must go on
    assert {name for name, row in rows.items() if not exists(row)} == GONE
    assert counts["outbox_sent_days"] == 1
    assert counts["unaccepted_invitations_days"] == 1
    assert counts["declined_join_requests_days"] == 1
    assert counts["inactive_unverified_accounts_days"] == 1
    event = AuditEvent.objects.get(action="privacy.retention_applied")
    assert event.data["removed"] == counts
    # Idempotent: a second run removes nothing more.
    again = retention_apply(now=now)
    assert set(again.values()) == {0}
    assert {name for name, row in rows.items() if not exists(row)} == GONE


def test_every_setting_has_a_rule_and_a_line_in_the_register():
    text = REGISTER.read_text()
    for key in settings.RETENTION:
        assert key in RETENTION_RULES, key
        assert f"`{key}`" in text, key


@pytest.mark.celery
def test_the_worker_applies_the_retention_periods(celery_worker, org_a, supplier_x):
    now = timezone.now()
    # The worker takes its own "now", seconds later: the margin is an hour there.
    rows = make_rows(now, org_a, supplier_x, margin=timedelta(hours=1))
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["portal-retention-apply"]
    result = celery_app.tasks[entry["task"]].apply_async(**entry.get("options", {}))

    def done():
        return AuditEvent.objects.filter(action="privacy.retention_applied").first()

    event = celery_worker.wait_for(done, timeout=60, what="the retention task")
    assert result.id
    assert {name for name, row in rows.items() if not exists(row)} == GONE
    assert event.data["removed"]["outbox_sent_days"] == 1
    assert User.objects.filter(email="acc_new@x.nl").exists()
