"""The participant's demand inventory: the grid, check and submit, history and differences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from municipalities import selectors
from municipalities.demand_data import (
    MAX_REVISION,
    Cell,
    DemandData,
    Problem,
    parse_count,
    validate_lines,
)
from municipalities.models import Participation
from municipalities.services import demand as demand_services
from municipalities.services.demand import DemandConflict
from portal.idempotency import AlreadyDone
from portal.tenancy import require


@login_required
@require_http_methods(["GET", "POST"])
def demand_start(request: HttpRequest, public_id) -> HttpResponse:
    """From a participation to its demand inventory (approved participations only). A GET
    goes to the inventory once it has been started and otherwise shows the start page; only
    the POST (the button) starts it."""
    participation = selectors.participation_get_for_user(user=request.user, public_id=public_id)
    if participation.status != Participation.Status.APPROVED:
        raise Http404
    if request.method == "POST":
        try:
            demand = demand_services.demand_start(actor=request.user, participation=participation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("municipalities:participation-detail", public_id=public_id)
        return redirect("municipalities:demand-edit", public_id=demand.public_id)
    demand_id = selectors.demand_started(participation=participation)
    if demand_id is not None:
        return redirect("municipalities:demand-edit", public_id=demand_id)
    return render(
        request,
        "municipalities/demand_start.html",
        {
            "participation": participation,
            "programme": participation.programme,
            "organisation": participation.organisation,
            "can_start": selectors.can_edit_participation(
                user=request.user, participation=participation
            ),
        },
    )


def _posted_revision(request: HttpRequest) -> int:
    """The revision the form was based on; -1 (a conflict) when it is missing or not a number."""
    value, error = parse_count(request.POST.get("revision"), required=False, maximum=MAX_REVISION)
    return -1 if error or value is None else value


def _field(prefix: str, *parts) -> str:
    return "-".join([prefix, *(str(p) for p in parts)])


def _parse_grid(request: HttpRequest, demand) -> tuple[DemandData, list[Problem], dict]:
    """Read the posted grid. Returns clean data, problems keyed to field names, and the raw
    values (so that nothing the user typed is lost when there are problems)."""
    municipalities, categories, years = selectors.demand_scope(demand)
    services = set(selectors.service_slugs())
    post = request.POST
    raw: dict[str, str] = {}
    cells = {}
    data = DemandData()
    problems: list[Problem] = []
    for municipality in municipalities:
        m = municipality.pk
        for category in categories:
            c = category.pk
            for year in years:
                names = [_field(kind, m, c, year) for kind in ("q", "min", "max")]
                for name in names:
                    raw[name] = post.get(name, "")
                cells[(m, c, year)] = tuple(Cell(name, raw[name]) for name in names)
            chosen = [s for s in post.getlist(_field("s", m, c)) if s in services]
            remark = post.get(_field("r", m, c), "").strip()[:500]
            raw[_field("r", m, c)] = remark
            raw[_field("s", m, c)] = chosen
            data.options[(m, c)] = (chosen, remark)
        profile = []
        for kind in ("w", "e"):
            name = _field(kind, m)
            raw[name] = post.get(name, "")
            value, error = parse_count(raw[name], required=False)
            if error:
                problems.append(Problem(name, error))
            profile.append(value)
        data.profiles[m] = (profile[0], profile[1])
    lines, line_problems = validate_lines(cells)
    data.lines = lines
    return data, problems + line_problems, raw


def _decorate(sections: list[dict], raw: dict, errors: dict) -> list[dict]:
    """Give every input its name, the value to show (what was typed, when re-showing after
    an error) and its error."""

    def value(name, current):
        if name in raw:
            return raw[name]
        return "" if current is None else current

    for section in sections:
        m = section["municipality"].pk
        section["profile"] = [
            {
                "name": _field(kind, m),
                "label": label,
                "value": value(_field(kind, m), section[key]),
                "error": errors.get(_field(kind, m)),
            }
            for kind, key, label in (
                ("w", "workplaces", _("Number of workplaces")),
                ("e", "employees", _("Number of employees")),
            )
        ]
        for row in section["rows"]:
            c = row["category"].pk
            row["remark_name"] = _field("r", m, c)
            row["service_name"] = _field("s", m, c)
            if row["service_name"] in raw:
                for option in row["services"]:
                    option["chosen"] = option["service"].slug in raw[row["service_name"]]
            row["remark"] = value(row["remark_name"], row["remark"])
            for cell in row["cells"]:
                for kind, key in (("q", "quantity"), ("min", "min"), ("max", "max")):
                    name = _field(kind, m, c, cell["year"])
                    cell[f"{key}_name"] = name
                    cell[f"{key}_value"] = value(name, cell[key])
                    cell[f"{key}_error"] = errors.get(name)
    return sections


def _grid_context(request, demand, *, data=None, raw=None, errors=None) -> dict:
    versions = list(selectors.demand_versions(demand=demand)[:1])
    return {
        "demand": demand,
        "participation": demand.participation,
        "programme": demand.participation.programme,
        "sections": _decorate(
            selectors.demand_grid(demand=demand, data=data), raw or {}, errors or {}
        ),
        "years": demand.participation.programme.years,
        "can_edit": selectors.can_edit_demand(user=request.user, demand=demand),
        "frozen_reason": selectors.frozen_reason(programme=demand.participation.programme),
        "latest_version": versions[0] if versions else None,
    }


def _labelled_errors(problems: list[Problem], demand) -> list[dict]:
    """Error summary entries: the message prefixed with what the field is, linked to it."""
    municipalities, categories, _years = selectors.demand_scope(demand)
    names = {str(m.pk): str(m) for m in municipalities}
    categories_by_id = {str(c.pk): c.name for c in categories}
    labels = {"q": "", "min": _("minimum"), "max": _("maximum")}
    entries = []
    for problem in problems:
        parts = problem.location.split("-")
        if parts[0] in labels and len(parts) == 4:
            what = f"{names.get(parts[1], '')}, {categories_by_id.get(parts[2], '')} {parts[3]}"
            if labels[parts[0]]:
                what += f" ({labels[parts[0]]})"
        elif parts[0] in ("w", "e") and len(parts) == 2:
            what = f"{names.get(parts[1], '')}: " + (
                _("number of workplaces") if parts[0] == "w" else _("number of employees")
            )
        else:
            what = ""
        entries.append(
            {
                "id": f"f-{problem.location}" if problem.location else "",
                "message": f"{what}: {problem.message}" if what else problem.message,
            }
        )
    return entries


@login_required
def demand_edit(request: HttpRequest, public_id) -> HttpResponse:
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    if request.method != "POST":
        return render(request, "municipalities/demand_edit.html", _grid_context(request, demand))
    # Only the editor half of the rule here: a closed inventory is refused by the save, whose
    # reason the form shows (422) next to what was typed, instead of a bare 403.
    require(selectors.demand_edit_check(user=request.user, demand=demand).is_editor)
    data, problems, raw = _parse_grid(request, demand)
    context_errors = {p.location: p.message for p in problems}
    if not problems:
        revision = _posted_revision(request)
        try:
            demand_services.demand_save_draft(
                actor=request.user, demand=demand, revision=revision, data=data
            )
        except DemandConflict as exc:
            problems = [Problem("", " ".join(exc.messages))]
        except ValidationError as exc:
            problems = [Problem("", message) for message in exc.messages]
        else:
            if request.POST.get("action") == "check":
                return redirect("municipalities:demand-check", public_id=public_id)
            messages.success(request, _("Your draft has been saved."))
            return redirect("municipalities:demand-edit", public_id=public_id)
    context = _grid_context(request, demand, data=data, raw=raw, errors=context_errors)
    context["error_list"] = _labelled_errors(problems, demand)
    return render(request, "municipalities/demand_edit.html", context, status=422)


def _check_context(request, demand) -> dict:
    data = selectors.working_data(demand)
    versions = list(selectors.demand_versions(demand=demand)[:1])
    previous = versions[0] if versions else None
    context = _grid_context(request, demand, data=data)
    context["warnings"] = selectors.plausibility_warnings(
        demand=demand, data=data, previous=previous
    )
    return context


@login_required
def demand_check(request: HttpRequest, public_id) -> HttpResponse:
    """Check your answers (with plausibility warnings), then submit a new version."""
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    # Only the editor half of the rule here: a closed inventory is refused by the submit, whose
    # reason the page shows (422), instead of a bare 403.
    require(selectors.demand_edit_check(user=request.user, demand=demand).is_editor)
    if request.method == "POST":
        revision = _posted_revision(request)
        try:
            version = demand_services.demand_submit(
                actor=request.user, demand=demand, revision=revision
            )
        except AlreadyDone as done:
            # The same submit sent twice: show the version the first one made.
            version = demand.versions.get(pk=done.object_id)
            messages.info(
                request,
                _(
                    "This was already done: your inventory was submitted once, "
                    "as version %(number)s."
                )
                % {"number": version.number},
            )
        except ValidationError as exc:
            context = _check_context(request, demand)
            context["error_list"] = [{"id": "", "message": m} for m in exc.messages]
            return render(request, "municipalities/demand_check.html", context, status=422)
        return redirect(
            "municipalities:demand-submitted", public_id=public_id, number=version.number
        )
    return render(request, "municipalities/demand_check.html", _check_context(request, demand))


@login_required
@require_GET
def demand_submitted(request: HttpRequest, public_id, number: int) -> HttpResponse:
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    version = selectors.demand_versions(demand=demand).filter(number=number).first()
    if version is None:
        raise Http404
    return render(
        request,
        "municipalities/demand_submitted.html",
        {
            "demand": demand,
            "version": version,
            "participation": demand.participation,
            "programme": demand.participation.programme,
        },
    )


@login_required
@require_GET
def demand_history(request: HttpRequest, public_id) -> HttpResponse:
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "municipalities/demand_history.html",
        {
            "demand": demand,
            "participation": demand.participation,
            "programme": demand.participation.programme,
            # Who submitted which version when: not each version's JSON copy of its lines.
            "versions": selectors.demand_versions(demand=demand).defer("snapshot"),
        },
    )


@login_required
@require_GET
def demand_diff(request: HttpRequest, public_id) -> HttpResponse:
    """The difference between any two versions (?van=1&naar=3; 0 means 'nothing yet')."""
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    versions = {
        v.number: v for v in selectors.demand_versions(demand=demand).prefetch_related("lines")
    }
    try:
        older_number = int(request.GET.get("van", "0"))
        newer_number = int(request.GET.get("naar", max(versions, default=0)))
    except ValueError as exc:
        raise Http404 from exc
    if (older_number and older_number not in versions) or newer_number not in versions:
        raise Http404
    older = versions.get(older_number)
    newer = versions[newer_number]
    return render(
        request,
        "municipalities/demand_diff.html",
        {
            "demand": demand,
            "participation": demand.participation,
            "programme": demand.participation.programme,
            "older": older,
            "newer": newer,
            "versions": sorted(versions.values(), key=lambda v: v.number),
            "rows": selectors.demand_diff(older=older, newer=newer),
        },
    )
