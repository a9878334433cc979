# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Subscriptions by a person's e-mail address: in their data download, gone when they are
removed; unconfirmed and ended ones go after their retention period."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.privacy import retention_apply, user_remove
from tenders.models import Subscription
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db


def test_subscriptions_are_exported_and_removed_with_the_person(setup, personas):
    tender = published_tender(setup, personas)
    person = personas["editor_b"]
    Subscription.objects.create(tender=tender, email=person.user.email)
    Subscription.objects.create(tender=tender, email="iemand@anders.nl")
    response = person.client().post("/account/mijn-gegevens/downloaden")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("gegevens.json"))
    rows = data["parts"]["subscriptions"]["rows"]
    assert [(r["tender"], r["email"]) for r in rows] == [(tender.reference, person.user.email)]

    user_remove(actor=person.user, user=person.user)
    assert list(Subscription.objects.values_list("email", flat=True)) == ["iemand@anders.nl"]


def test_unconfirmed_and_ended_subscriptions_go_after_their_period(setup, personas, settings):
    tender = published_tender(setup, personas)
    now = timezone.now()
    days = settings.RETENTION["subscriptions_unconfirmed_days"]
    ended = settings.RETENTION["subscriptions_unsubscribed_days"]

    def sub(email, **fields):
        return Subscription.objects.create(tender=tender, email=email, **fields)

    old = sub("oud@x.nl", created_at=now - timedelta(days=days, seconds=1))
    sub("net@x.nl", created_at=now - timedelta(days=days) + timedelta(seconds=1))
    sub("bevestigd@x.nl", created_at=now - timedelta(days=400), confirmed_at=now)
    sub(
        "afgemeld@x.nl",
        created_at=now - timedelta(days=400),
        confirmed_at=now - timedelta(days=400),
        unsubscribed_at=now - timedelta(days=ended, seconds=1),
    )
    counts = retention_apply(now=now)
    assert counts["subscriptions_unconfirmed_days"] == 1
    assert counts["subscriptions_unsubscribed_days"] == 1
    assert not Subscription.objects.filter(pk=old.pk).exists()
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "bevestigd@x.nl",
        "net@x.nl",
    ]
