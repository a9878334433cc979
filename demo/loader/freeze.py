"""The freeze: the project team aggregates the submitted demand (the run a worker would
compute, called at once) and freezes that snapshot as the basis of the tender, with its
authorities and values, on the freeze milestone."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from portal.models import User
from tenders.models import AggregationRun, AggregationSnapshot, Milestone, Programme
from tenders.services.aggregation import aggregation_request, aggregation_run
from tenders.services.freeze import snapshot_freeze


def freeze_load(*, programme: Programme, actor: User) -> AggregationSnapshot:
    frozen = AggregationSnapshot.objects.filter(programme=programme, is_frozen=True).first()
    if frozen is not None:
        return frozen
    # The submissions asked for a run already when they were committed; it is reused here.
    run = aggregation_request(programme=programme, reason="freeze", actor=actor)
    if run.status != AggregationRun.Status.QUEUED:
        raise ImproperlyConfigured(
            "A worker is computing the aggregation; load the demo before starting the worker."
        )
    snapshot = aggregation_run(run_id=run.pk)
    if snapshot is None:
        raise ImproperlyConfigured("The aggregation for the demo's freeze made no snapshot.")
    snapshot = snapshot_freeze(actor=actor, snapshot=snapshot)
    _date_freeze(programme=programme, run=run, snapshot=snapshot)
    return snapshot


def _date_freeze(
    *, programme: Programme, run: AggregationRun, snapshot: AggregationSnapshot
) -> None:
    """The team ran the aggregation in the morning of the freeze day and froze it at noon."""
    frozen_at = programme.milestones.get(kind=Milestone.Kind.FREEZE).due_at
    computed_at = frozen_at - timedelta(hours=2)
    AggregationRun.objects.filter(pk=run.pk).update(
        requested_at=computed_at,
        started_at=computed_at,
        finished_at=computed_at + timedelta(seconds=4),
    )
    AggregationSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=computed_at + timedelta(seconds=4), frozen_at=frozen_at
    )
    updates: dict[str, object] = {"status": Programme.Status.FROZEN}
    # The main line's freeze sets the programme's frozen_at; it gets the same moment.
    programme.refresh_from_db(fields=["frozen_at"])
    if programme.frozen_at is not None:
        updates["frozen_at"] = frozen_at
    Programme.objects.filter(pk=programme.pk).update(**updates)
