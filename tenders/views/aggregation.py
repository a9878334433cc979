"""The project team's aggregation pages: the dashboard with the current snapshot and the status
of the last run, a snapshot's detail and freezing, the drill-down of one lot total to each
participant, the comparison of two snapshots and the exports.

Every URL answers 404 to everyone outside the project team, whatever the method, before the
method is checked: the aggregation is not to be discovered by municipalities or suppliers.
Actions (run, retry, freeze) are for the team's editors and admins; its viewers get 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.charts import Bar, horizontal_bar_chart
from portal.paged_rows import LIST_PAGE_SIZE
from portal.tenancy import require
from tenders.exports import aggregation_snapshot_csv
from tenders.models import AggregationRun, AggregationSnapshot, Programme
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors import programme as programme_selectors
from tenders.selectors.aggregation_drilldown import (
    aggregation_drilldown as aggregation_drilldown_selector,
)
from tenders.services.aggregation import (
    aggregation_request_by_team,
    aggregation_retry,
    aggregation_stuck,
)

# The badge of a job's status (an aggregation run, an export: the same four values).
RUN_BADGES = {
    AggregationRun.Status.QUEUED: "neutral",
    AggregationRun.Status.RUNNING: "active",
    AggregationRun.Status.DONE: "success",
    AggregationRun.Status.FAILED: "danger",
}
# Rows per page of the lists that grow with the participants (contributions, versions,
# authorities).
PAGE_SIZE = LIST_PAGE_SIZE
# Participants per page of a drill-down: each brings a line per municipality, category and
# (over the whole term) year, up to 24 lines for a municipality and more for a joint body.
DRILLDOWN_PAGE_SIZE = 10


def project_team_page(*methods: str) -> Callable:
    """Login, then the programme for the project team (404 for everyone else, also on a
    method the URL does not allow), then the method (405 for the team)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, programme_slug: str, **kwargs) -> HttpResponse:
            programme = programme_selectors.programme_get_for_project_team(
                user=request.user, slug=programme_slug
            )
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, programme, **kwargs)

        return wrapper

    return decorator


def _can_change(request: HttpRequest) -> bool:
    return programme_selectors.can_change_programme(user=request.user)


def _lot_charts(programme: Programme, summaries) -> list:
    """Per lot its totals and a bar chart of the quantity per contract year."""
    result = []
    for summary in summaries:
        quantities = {row.year: row.quantity for row in summary.years}
        chart = horizontal_bar_chart(
            chart_id=f"lot-{summary.lot.number}-chart",
            title=_("Quantity per year, lot %(number)s") % {"number": summary.lot.number},
            description=_("Estimated quantity per contract year for %(lot)s.")
            % {"lot": summary.lot},
            bars=[Bar(str(year), quantities.get(year, 0)) for year in programme.years],
        )
        result.append((summary, chart))
    return result


def _snapshot_context(programme: Programme, snapshot: AggregationSnapshot | None) -> dict:
    if snapshot is None:
        return {"snapshot": None}
    summaries = aggregation_selectors.aggregation_lot_summaries(snapshot=snapshot)
    return {
        "snapshot": snapshot,
        "lots": _lot_charts(programme, summaries),
        "breakdowns": [
            (
                aggregation_selectors.aggregation_by_province(snapshot=snapshot),
                _("Per province"),
                "province",
            ),
            (
                aggregation_selectors.aggregation_by_size_class(snapshot=snapshot),
                _("Per size class"),
                "size-class",
            ),
        ],
    }


def _run_context(request: HttpRequest, programme: Programme) -> dict:
    run = aggregation_selectors.aggregation_latest_run(programme=programme)
    return {
        "programme": programme,
        "run": run,
        "run_badge": RUN_BADGES.get(run.status, "neutral") if run else "",
        "is_active": run is not None and run.status in (run.Status.QUEUED, run.Status.RUNNING),
        "run_stuck": aggregation_stuck(run=run),
        "can_change": _can_change(request),
    }


@project_team_page("GET")
def aggregation_dashboard(request: HttpRequest, programme: Programme) -> HttpResponse:
    context = _run_context(request, programme)
    if request.htmx:
        return render(request, "tenders/aggregation_dashboard.html#run-status", context)
    snapshot = aggregation_selectors.aggregation_current_snapshot(programme=programme)
    context.update(_snapshot_context(programme, snapshot))
    context["snapshots"] = aggregation_selectors.aggregation_snapshots(programme=programme)
    return render(request, "tenders/aggregation_dashboard.html", context)


@project_team_page("POST")
def aggregation_request(request: HttpRequest, programme: Programme) -> HttpResponse:
    require(lambda: _can_change(request))
    aggregation_request_by_team(actor=request.user, programme=programme)
    messages.success(request, _("The aggregation has been requested. This page shows its status."))
    return redirect("tenders:aggregation", programme_slug=programme.slug)


@project_team_page("POST")
def aggregation_retry_run(request: HttpRequest, programme: Programme, run: uuid.UUID):
    found = aggregation_selectors.aggregation_run_get(programme=programme, public_id=run)
    require(lambda: _can_change(request))
    aggregation_retry(actor=request.user, run=found)
    messages.success(request, _("The aggregation has been requested again."))
    return redirect("tenders:aggregation", programme_slug=programme.slug)


@project_team_page("GET")
def aggregation_drilldown(
    request: HttpRequest, programme: Programme, snapshot: uuid.UUID, lot_number: int, year: int
) -> HttpResponse:
    found = aggregation_selectors.aggregation_snapshot_get(programme=programme, public_id=snapshot)
    if year != 0 and year not in programme.years:
        raise Http404
    lot = aggregation_selectors.aggregation_lot_get(snapshot=found, number=lot_number)
    total = found.lot_totals.filter(lot=lot, year=year).first()
    # The sums cover every participant; the table shows one page of them.
    drilldown, page = aggregation_drilldown_selector(
        snapshot=found,
        lot=lot,
        year=year,
        page_number=request.GET.get("pagina"),
        page_size=DRILLDOWN_PAGE_SIZE,
    )
    return render(
        request,
        "tenders/aggregation_drilldown.html",
        {
            "programme": programme,
            "snapshot": found,
            "lot": lot,
            "year": year,
            "total": total,
            "drilldown": drilldown,
            "page": page,
        },
    )


def _snapshot_param(programme: Programme, value: str) -> AggregationSnapshot:
    try:
        public_id = uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc
    return aggregation_selectors.aggregation_snapshot_get(programme=programme, public_id=public_id)


@project_team_page("GET")
def aggregation_compare(request: HttpRequest, programme: Programme) -> HttpResponse:
    snapshots = list(aggregation_selectors.aggregation_snapshots(programme=programme))
    old_id, new_id = request.GET.get("van", ""), request.GET.get("naar", "")
    old = new = None
    rows = []
    if old_id and new_id:
        old, new = _snapshot_param(programme, old_id), _snapshot_param(programme, new_id)
        rows = aggregation_selectors.aggregation_compare(old=old, new=new)
    return render(
        request,
        "tenders/aggregation_compare.html",
        {
            "programme": programme,
            "snapshots": snapshots,
            "old": old,
            "new": new,
            "rows": rows,
            # Suggest the two newest snapshots, the older one as "from".
            "default_old": snapshots[1] if len(snapshots) > 1 else None,
            "default_new": snapshots[0] if snapshots else None,
        },
    )


def _export_name(programme: Programme, snapshot: AggregationSnapshot, extension: str) -> str:
    created = timezone.localtime(snapshot.created_at)
    return f"aggregatie-{programme.slug}-{created:%Y-%m-%d-%H%M}.{extension}"


@project_team_page("GET")
def aggregation_export_csv(request: HttpRequest, programme: Programme, snapshot: uuid.UUID):
    found = aggregation_selectors.aggregation_snapshot_get(programme=programme, public_id=snapshot)
    response = HttpResponse(
        aggregation_snapshot_csv(snapshot=found), content_type="text/csv; charset=utf-8"
    )
    filename = _export_name(programme, found, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
