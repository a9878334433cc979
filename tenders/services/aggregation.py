"""Aggregation of demand into lots: estimated and maximum quantities and values, in Celery.

- ``aggregation_request`` is coalesced: at most one run per programme is queued or running;
  a request while a run is going on marks exactly one follow-up run.
- ``aggregation_run`` (called by the task) computes every total in the database with GROUP BY
  over the rows of the included submitted versions, and stores an immutable snapshot that
  records exactly which versions it included.
- ``snapshot_freeze`` marks one snapshot as the frozen basis of the tender, with the list of
  participating authorities.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ReferencePrice
from municipalities.models import Demand, DemandVersion, DemandVersionLine, Participation
from portal import jobs
from portal.audit import audit
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import (
    AggregationRun,
    AggregationSnapshot,
    EuThreshold,
    Lot,
    Programme,
    SnapshotLotTotal,
    SnapshotTotal,
)

R = AggregationRun.Status
# Each run is computed by this task (tenders.tasks), sent by name after commit.
AGGREGATION_JOB = jobs.JobKind(
    AggregationRun,
    task_name="tenders.aggregation_run_task",
    requested_at_field="requested_at",
    claimed_at_field="started_at",
    # The task's hard limit (660 s), its longest retry countdown (120 s) and two minutes.
    lost_after=timedelta(minutes=15),
)
G4 = ("GM0363", "GM0599", "GM0518", "GM0344")  # Amsterdam, Rotterdam, Den Haag, Utrecht
SIZE_CLASSES = ("g4", "100k+", "50-100k", "20-50k", "<20k", "unknown")


def size_class_expression(prefix: str = "municipality__"):
    """The municipality size class by population, as a database expression (for GROUP BY)."""
    population = f"{prefix}population"
    return Case(
        When(**{f"{prefix}cbs_code__in": G4}, then=Value("g4")),
        When(**{f"{population}__gte": 100_000}, then=Value("100k+")),
        When(**{f"{population}__gte": 50_000}, then=Value("50-100k")),
        When(**{f"{population}__gte": 20_000}, then=Value("20-50k")),
        When(**{f"{population}__isnull": False}, then=Value("<20k")),
        default=Value("unknown"),
        output_field=CharField(),
    )


def included_versions(*, programme: Programme):
    """The newest submitted version of every approved participant's demand that has not been
    returned for changes."""
    newest = (
        DemandVersion.objects.filter(demand=OuterRef("demand"))
        .order_by("-number")
        .values("number")[:1]
    )
    return DemandVersion.objects.filter(
        demand__participation__programme=programme,
        demand__participation__status=Participation.Status.APPROVED,
        number=Subquery(newest),
    ).exclude(demand__status=Demand.Status.RETURNED)


def threshold_on(day: date) -> Decimal | None:
    threshold = (
        EuThreshold.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )
    return threshold.amount if threshold else None


def prices_on(day: date) -> dict[int, Decimal]:
    """The reference unit price in force per category on ``day``."""
    prices: dict[int, Decimal] = {}
    for price in ReferencePrice.objects.filter(valid_from__lte=day).order_by(
        "category_id", "-valid_from", "-id"
    ):
        prices.setdefault(price.category_id, price.unit_price)
    return prices


# --- Requesting runs ------------------------------------------------------------------------


def aggregation_request(
    *, programme: Programme, reason: str, actor: User | None = None
) -> AggregationRun:
    """Ask for a run. Coalesced: returns the queued run if there is one; marks the running run
    for one follow-up; otherwise queues a new run (the task is sent after commit)."""
    with transaction.atomic():
        # NO KEY UPDATE: serialises requests, but lets the foreign-key checks (KEY SHARE) of a
        # run that is committing its snapshot through; FOR UPDATE deadlocked with that run.
        Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
        active = AggregationRun.objects.filter(
            programme=programme, status__in=[R.QUEUED, R.RUNNING]
        ).first()
        if active is not None and jobs.is_lost(
            AGGREGATION_JOB, active, older_than=AGGREGATION_JOB.lost_after
        ):
            # Never coalesce onto a run whose task was lost: every later request would wait on
            # it. It is failed with the reason, and a new run is queued below.
            jobs.mark_failed(AGGREGATION_JOB, pk=active.pk, error=str(_("The run was lost.")))
            active = None
        if active is not None and active.status == R.QUEUED:
            return active
        if active is not None:
            if not active.follow_up_requested:
                active.follow_up_requested = True
                active.save(update_fields=["follow_up_requested"])
            return active
        run = AggregationRun.objects.create(
            programme=programme,
            reason=reason[:100],
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        jobs.enqueue_on_commit(AGGREGATION_JOB.task_name, run.pk)
        return run


def aggregation_stuck(*, run: AggregationRun | None) -> bool:
    """Whether the run is stuck (its task was lost): the team may retry it before the sweep
    sends it again."""
    return run is not None and jobs.is_lost(AGGREGATION_JOB, run)


def aggregation_requeue_lost(*, older_than: timedelta) -> list[int]:
    """Runs still queued or running after ``older_than`` (longer than the task with all its
    retries may take) lost their task, for example with the broker's data: queue them again.
    The task is idempotent and a run computes one snapshot at most."""
    return jobs.requeue_lost(AGGREGATION_JOB, older_than=older_than)


@transaction.atomic
def aggregation_request_by_team(*, actor: User, programme: Programme) -> AggregationRun:
    require(is_project_team_editor(user=actor))
    run = aggregation_request(programme=programme, reason="requested", actor=actor)
    audit(actor=actor, action="aggregation.requested", target=programme)
    return run


@transaction.atomic
def aggregation_retry(*, actor: User, run: AggregationRun) -> AggregationRun:
    require(is_project_team_editor(user=actor))
    if aggregation_stuck(run=run):
        # A stuck run is not waited on: it is failed with the reason and a new run is queued.
        jobs.mark_failed(AGGREGATION_JOB, pk=run.pk, error=str(_("The run was lost.")))
    return aggregation_request(programme=run.programme, reason="retry", actor=actor)


# --- Running ------------------------------------------------------------------------------


def aggregation_run(*, run_id: int) -> AggregationSnapshot | None:
    """Compute one snapshot. Idempotent: a run that is done returns its snapshot."""
    run, claimed = jobs.claim(AGGREGATION_JOB, pk=run_id, started_at=timezone.now(), error="")
    if not claimed:
        return AggregationSnapshot.objects.filter(run=run).first()
    with transaction.atomic():
        snapshot = _compute_snapshot(run)
        run = jobs.lock(AGGREGATION_JOB, pk=run_id)
        follow_up = run.follow_up_requested
        jobs.mark_done(AGGREGATION_JOB, run, finished_at=timezone.now(), follow_up_requested=False)
    if follow_up:
        aggregation_request(programme=run.programme, reason="follow-up")
    return snapshot


def aggregation_mark_failed(*, run_id: int, error: str) -> None:
    run = jobs.mark_failed(AGGREGATION_JOB, pk=run_id, error=error, finished_at=timezone.now())
    # A request that came in during the failed run still deserves its run.
    if run is not None and run.follow_up_requested:
        aggregation_request(programme=run.programme, reason="follow-up")


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _compute_snapshot(run: AggregationRun) -> AggregationSnapshot:
    programme = run.programme
    today = timezone.localdate()
    versions = list(included_versions(programme=programme).values_list("pk", flat=True))
    snapshot = AggregationSnapshot.objects.create(
        programme=programme, run=run, threshold_amount=threshold_on(today)
    )
    snapshot.included_versions.set(versions)
    lots = list(Lot.objects.filter(programme=programme).prefetch_related("categories"))
    lot_of = {c.pk: lot for lot in lots for c in lot.categories.all()}
    prices = prices_on(today)
    lines = DemandVersionLine.objects.filter(version_id__in=versions)
    # GROUP BY category, year, province, size class: the sums are made by the database.
    grouped = (
        lines.values("category_id", "year", "municipality__province")
        .annotate(
            size_class=size_class_expression(),
            total=Sum("quantity"),
            participants=Count("version__demand__participation", distinct=True),
        )
        .order_by()
    )
    SnapshotTotal.objects.bulk_create(
        [
            SnapshotTotal(
                snapshot=snapshot,
                lot=lot_of.get(row["category_id"]),
                category_id=row["category_id"],
                year=row["year"],
                province=row["municipality__province"],
                size_class=row["size_class"],
                quantity=row["total"] or 0,
                participants=row["participants"],
                unit_price=prices.get(row["category_id"]),
            )
            for row in grouped
        ],
        batch_size=2000,
    )
    # Per lot and year: quantities per category (summed by the database), then values.
    per_category = lines.values("category_id", "year").annotate(total=Sum("quantity")).order_by()
    participants = {
        (row["version__demand__participation__id"], row["category_id"])
        for row in lines.values("version__demand__participation__id", "category_id")
        .distinct()
        .order_by()
    }
    threshold = snapshot.threshold_amount
    rows = []
    for lot in lots:
        categories = {c.pk for c in lot.categories.all()}
        headroom = Decimal(1) + lot.headroom_percent / Decimal(100)
        lot_participants = len({p for p, c in participants if c in categories})
        by_year: dict[int, tuple[int, Decimal]] = {}
        for row in per_category:
            if row["category_id"] not in categories:
                continue
            quantity, value = by_year.get(row["year"], (0, Decimal(0)))
            price = prices.get(row["category_id"], Decimal(0))
            by_year[row["year"]] = (quantity + row["total"], value + price * row["total"])
        term_quantity = sum(q for q, _v in by_year.values())
        term_value = sum((v for _q, v in by_year.values()), Decimal(0))
        for year, (quantity, value) in [*sorted(by_year.items()), (0, (term_quantity, term_value))]:
            maximum_value = _money(value * headroom)
            rows.append(
                SnapshotLotTotal(
                    snapshot=snapshot,
                    lot=lot,
                    year=year,
                    quantity=quantity,
                    maximum_quantity=int(
                        (Decimal(quantity) * headroom).to_integral_value(rounding=ROUND_HALF_UP)
                    ),
                    estimated_value=_money(value),
                    maximum_value=maximum_value,
                    participants=lot_participants,
                    above_threshold=threshold is not None and maximum_value > threshold,
                )
            )
    SnapshotLotTotal.objects.bulk_create(rows)
    return snapshot


# --- Freezing -----------------------------------------------------------------------------


@transaction.atomic
def snapshot_freeze(*, actor: User, snapshot: AggregationSnapshot) -> AggregationSnapshot:
    """Mark ``snapshot`` as the frozen basis of the tender, with the participating
    authorities. Only one snapshot per programme can be frozen."""
    require(is_project_team_editor(user=actor))
    snapshot = AggregationSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if snapshot.is_frozen:
        return snapshot
    if AggregationSnapshot.objects.filter(programme=snapshot.programme, is_frozen=True).exists():
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Another snapshot of this programme is already frozen."))
    authorities = sorted(
        {
            (
                line.municipality.cbs_code,
                str(line.municipality),
                line.version.demand.participation.organisation.name,
            )
            for line in DemandVersionLine.objects.filter(
                version__in=snapshot.included_versions.all()
            ).select_related("municipality", "version__demand__participation__organisation")
        }
    )
    snapshot.authorities = [
        {"cbsCode": code, "name": name, "participant": participant}
        for code, name, participant in authorities
    ]
    snapshot.is_frozen = True
    snapshot.frozen_at = timezone.now()
    snapshot.frozen_by = actor
    try:
        snapshot.save(update_fields=["authorities", "is_frozen", "frozen_at", "frozen_by"])
    except IntegrityError as exc:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Another snapshot of this programme is already frozen.")) from exc
    audit(
        actor=actor,
        action="aggregation.frozen",
        target=snapshot.programme,
        snapshot=str(snapshot.public_id),
        authorities=len(snapshot.authorities),
    )
    return snapshot
