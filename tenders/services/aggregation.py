"""Aggregation of demand into lots: estimated and maximum quantities and values, in Celery.

- ``aggregation_request`` is coalesced: at most one run per programme is queued or running;
  a request while a run is going on marks exactly one follow-up run.
- ``aggregation_run`` (called by the task) computes every total in the database with GROUP BY
  over the rows of the included submitted versions, and stores an immutable snapshot that
  records exactly which versions it included.
- ``_apply_threshold`` tests the procurement against the EU threshold as the directive
  counts. Freezing is in ``tenders.services.freeze``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category
from municipalities.models import DemandVersionLine
from portal import jobs
from portal.audit import audit
from portal.db import insert_select
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import (
    AggregationRun,
    AggregationSnapshot,
    ContractType,
    Lot,
    Programme,
    SnapshotLotTotal,
    SnapshotTotal,
)
from tenders.selectors.basis import (
    included_versions,
    prices_on,
    threshold_date,
    threshold_on,
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
        # The active run's row is locked too (NO KEY UPDATE, which the foreign keys of its
        # snapshot do not wait for): a worker cannot claim a queued run between this request
        # and the commit of the change that asked for it. Without the lock, a run claimed and
        # computed in that moment missed the change and was not marked for a follow-up.
        active = (
            AggregationRun.objects.select_for_update(no_key=True)
            .filter(programme=programme, status__in=[R.QUEUED, R.RUNNING])
            .first()
        )
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
    with transaction.atomic():
        _commit_without_waiting_for_disk()
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


def round_money(value: Decimal) -> Decimal:
    """Half up to whole cents, as every stored amount of the aggregation."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _compute_snapshot(run: AggregationRun) -> AggregationSnapshot:
    """The snapshot, written by the database: the included versions and the grouped totals
    are ``INSERT … SELECT`` statements (no demand line travels to Python); only the lot
    totals (a few rows per lot) are made in Python from sums the database made."""
    programme = run.programme
    today = timezone.localdate()
    on = threshold_date(programme)
    _commit_without_waiting_for_disk()
    snapshot = AggregationSnapshot.objects.create(
        programme=programme,
        run=run,
        threshold_date=on,
        threshold_amount=threshold_on(
            on, authority_type=programme.authority_type, contract_type=programme.contract_type
        ),
    )
    included = AggregationSnapshot.included_versions.through
    insert_select(
        included,
        included_versions(programme=programme)
        .values(v_version=F("pk"))
        .annotate(v_snapshot=Value(snapshot.pk)),
        {"v_version": "demandversion", "v_snapshot": "aggregationsnapshot"},
    )
    # The lots with their categories in one query (a row per lot and category).
    lots: dict[int, Lot] = {}
    categories_of: dict[int, set[int]] = {}
    for row in Lot.objects.filter(programme=programme).annotate(category_pk=F("categories")):
        lots.setdefault(row.pk, row)
        categories_of.setdefault(row.pk, set())
        if row.category_pk is not None:
            categories_of[row.pk].add(row.category_pk)
    lot_of = {c: lot for lot, categories in categories_of.items() for c in categories}
    prices = prices_on(today)
    lines = DemandVersionLine.objects.filter(version__snapshots=snapshot)
    # GROUP BY category, year, province, size class, written by the database.
    insert_select(
        SnapshotTotal,
        lines.values("category_id", "year", "municipality__province")
        .annotate(
            t_size_class=size_class_expression(),
            t_quantity=Coalesce(Sum("quantity"), 0),
            t_participants=Count("version__demand__participation", distinct=True),
            t_snapshot=Value(snapshot.pk),
            t_lot=_by_category(lot_of, IntegerField()),
            t_price=_by_category(prices, DecimalField(max_digits=12, decimal_places=2)),
        )
        .order_by(),
        {
            "category_id": "category",
            "year": "year",
            "municipality__province": "province",
            "t_size_class": "size_class",
            "t_quantity": "quantity",
            "t_participants": "participants",
            "t_snapshot": "snapshot",
            "t_lot": "lot",
            "t_price": "unit_price",
        },
    )
    # Per lot and year: quantities per category (summed by the database from the grouped
    # totals), then values; the participants of each lot counted by the database.
    per_category = list(
        SnapshotTotal.objects.filter(snapshot=snapshot)
        .values("category_id", "year")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    participants = dict(
        lines.filter(category__lots__in=list(lots))
        .values_list("category__lots")
        .annotate(n=Count("version__demand__participation", distinct=True))
        .order_by()
    )
    rows = []
    for lot in lots.values():
        rows.extend(
            _lot_rows(
                snapshot,
                lot,
                categories_of[lot.pk],
                per_category,
                participants.get(lot.pk, 0),
                prices,
                programme.contract_years,
            )
        )
    _apply_threshold(snapshot, programme, rows)
    SnapshotLotTotal.objects.bulk_create(rows)
    demanded = {row["category_id"] for row in per_category if row["total"]}
    snapshot.unpriced_categories = [
        str(c) for c in Category.objects.filter(pk__in=demanded - prices.keys()).order_by("slug")
    ]
    snapshot.save(update_fields=["procurement_value", "above_threshold", "unpriced_categories"])
    return snapshot


def _by_category(values: dict, output_field) -> Case:
    """``values[category_id]`` of each row as a database expression (NULL when absent)."""
    return Case(
        *[When(category_id=key, then=Value(value)) for key, value in sorted(values.items())],
        default=Value(None),
        output_field=output_field,
    )


def _commit_without_waiting_for_disk() -> None:
    """The claim and the snapshot commit without waiting for their WAL to reach the disk
    (PostgreSQL's ``synchronous_commit = off`` for that transaction only). A crash of the
    database may lose the last such commit as a whole, never part of it: the run is then
    still queued or running, and the sweep sends it again (decision 0029)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _lot_rows(
    snapshot, lot, categories: set[int], per_category, lot_participants: int, prices, contract_years
) -> list:
    """The lot's rows per year and over the whole term (year 0, with its options' value)."""
    headroom = Decimal(1) + lot.headroom_percent / Decimal(100)
    by_year: dict[int, tuple[int, Decimal]] = {}
    for row in per_category:
        if row["category_id"] not in categories:
            continue
        quantity, value = by_year.get(row["year"], (0, Decimal(0)))
        price = prices.get(row["category_id"], Decimal(0))
        by_year[row["year"]] = (quantity + row["total"], value + price * row["total"])
    term_quantity = sum(q for q, _v in by_year.values())
    term_value = sum((v for _q, v in by_year.values()), Decimal(0))
    rows = []
    for year, (quantity, value) in [*sorted(by_year.items()), (0, (term_quantity, term_value))]:
        rows.append(
            SnapshotLotTotal(
                snapshot=snapshot,
                lot=lot,
                year=year,
                quantity=quantity,
                maximum_quantity=int(
                    (Decimal(quantity) * headroom).to_integral_value(rounding=ROUND_HALF_UP)
                ),
                estimated_value=round_money(value),
                maximum_value=round_money(value * headroom),
                participants=lot_participants,
            )
        )
    return rows


def _apply_threshold(snapshot: AggregationSnapshot, programme: Programme, rows: list) -> None:
    """The threshold test as 2014/24/EU art. 5 counts: the maximum value of all lots over the
    whole term including the extension options (5(1), 5(8)), ``>=`` the threshold; lots each
    under the small-lots limit and together at most 20 % of all lots may be exempt (5(10))."""
    terms = [row for row in rows if row.year == 0]
    for term in terms:
        yearly = term.maximum_value / max(programme.contract_years, 1)
        term.option_value = round_money(yearly * programme.extension_years)
    total = sum((t.maximum_value + t.option_value for t in terms), Decimal(0))
    snapshot.procurement_value = round_money(total)
    threshold = snapshot.threshold_amount
    snapshot.above_threshold = None if threshold is None else total >= threshold
    exempt = small_lots_exempt(
        {t.lot.pk: t.maximum_value + t.option_value for t in terms if t.maximum_value},
        total=total,
        limit=SMALL_LOT_LIMIT[ContractType(programme.contract_type)],
    )
    for row in rows:
        row.small_lot_exempt = row.year == 0 and row.lot.pk in exempt
        row.above_threshold = bool(snapshot.above_threshold) and row.lot.pk not in exempt


# 2014/24/EU art. 5(10): EUR 80,000 for supplies and services, EUR 1 million for works.
SMALL_LOT_LIMIT = {
    ContractType.SUPPLIES: Decimal(80_000),
    ContractType.SERVICES: Decimal(80_000),
    ContractType.WORKS: Decimal(1_000_000),
}


def small_lots_exempt(values: dict[int, Decimal], *, total: Decimal, limit: Decimal) -> set[int]:
    """The lots that may be awarded without the EU procedure: each under ``limit`` and
    together at most 20 % of the value of all lots. The smallest lots are taken first."""
    exempt: set[int] = set()
    used = Decimal(0)
    for key, value in sorted(values.items(), key=lambda item: (item[1], item[0])):
        if value >= limit or used + value > total * Decimal("0.20"):
            break
        exempt.add(key)
        used += value
    return exempt
