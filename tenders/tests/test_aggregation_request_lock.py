"""A change that asks for an aggregation run coalesces onto the queued run only while it holds
that run's row: a worker cannot claim the run before the change commits, so the run it then
computes includes the change. (Without the lock, a run claimed in that moment computed its
snapshot without the change, and no follow-up was marked.)"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from portal import jobs
from tenders.models import AggregationRun
from tenders.services.aggregation import AGGREGATION_JOB, aggregation_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_run_cannot_be_claimed_until_the_change_that_joined_it_commits(programme):
    run = aggregation_request(programme=programme, reason="first")
    joined, release, done = threading.Event(), threading.Event(), threading.Event()

    def change_that_asks_for_a_run():
        try:
            with transaction.atomic():
                assert aggregation_request(programme=programme, reason="second").pk == run.pk
                joined.set()
                release.wait(timeout=30)  # the rest of the change, still uncommitted
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=change_that_asks_for_a_run)
    thread.start()
    try:
        assert joined.wait(timeout=30)
        # The worker's claim waits for the change (here it gives up after 300 ms).
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            jobs.claim(AGGREGATION_JOB, pk=run.pk)
        assert AggregationRun.objects.get(pk=run.pk).status == "queued"
    finally:
        release.set()
        done.wait(timeout=30)
        thread.join(timeout=30)
    # Once the change has committed, the claim goes through.
    claimed, ok = jobs.claim(AGGREGATION_JOB, pk=run.pk)
    assert ok and claimed.status == "running"
