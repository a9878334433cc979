"""HTML views of the tenders app: the public programme page and the project team's pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from municipalities.models import Province
from municipalities.selectors.deadline import demand_extension_refusal
from portal.charts import PALETTE, Bar, horizontal_bar_chart
from portal.forms import add_service_errors, post_data
from portal.paged_rows import LIST_PAGE_SIZE
from portal.spreadsheets import xlsx_response
from portal.tenancy import require
from tenders.exports import participation_overview_xlsx
from tenders.forms import MilestoneChangeForm, ProgrammeForm
from tenders.models import Milestone, Programme
from tenders.selectors import demand_follow_up
from tenders.selectors import demand_overview as demand_overview_selectors
from tenders.selectors import overview as overview_selectors
from tenders.selectors import programme as programme_selectors
from tenders.selectors import timeline as timeline_selectors
from tenders.services import demand_reminders as demand_reminder_services
from tenders.services import programme as services
from tenders.services import reminders as reminder_services
from tenders.services.reminders import MAX_SELECTED

STATUS_COLOURS = {
    overview_selectors.NOT_STARTED: PALETTE["grey"],
    "draft": PALETTE["purple"],
    "submitted": PALETTE["blue"],
    "approved": PALETTE["green"],
    "returned": PALETTE["orange"],
    "withdrawn": PALETTE["red"],
}
OVERVIEW_PAGE_SIZE = LIST_PAGE_SIZE
STATUS_BADGES = {
    overview_selectors.NOT_STARTED: "neutral",
    "draft": "neutral",
    "submitted": "active",
    "approved": "success",
    "returned": "warning",
    "withdrawn": "inactive",
}
DEMAND_BADGES = {
    overview_selectors.NOT_STARTED: "neutral",
    "draft": "neutral",
    "submitted": "active",
    "returned": "warning",
}


@require_GET
def programme_detail(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = programme_selectors.programme_get_for_user(user=request.user, slug=programme_slug)
    is_project_team = request.user.is_authenticated and request.user.is_project_team
    return render(
        request,
        "tenders/programme_detail.html",
        {
            "programme": programme,
            "is_project_team": is_project_team,
            "can_change": is_project_team
            and programme_selectors.can_change_programme(user=request.user),
            "milestone_changes": timeline_selectors.milestone_changes(programme),
        },
    )


def _overview_filters(request: HttpRequest) -> tuple[str, str]:
    province = request.GET.get("provincie", "")
    status = request.GET.get("status", "")
    return (
        province if province in Province.values else "",
        status if status in overview_selectors.STATUS_LABELS else "",
    )


@login_required
@require_GET
def participation_overview(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    province, status = _overview_filters(request)
    search = request.GET.get("zoeken", "")[:100]
    sort = request.GET.get("sorteren", "")
    descending = sort.startswith("-")
    sort = sort.removeprefix("-")
    if sort not in overview_selectors.SORTS:
        sort, descending = "", False
    overview = overview_selectors.participation_overview(
        programme=programme,
        province=province,
        status=status,
        search=search,
        sort=sort,
        descending=descending,
    )
    chart = horizontal_bar_chart(
        chart_id="participation-chart",
        title=_("Municipalities per status"),
        description=_("Number of municipalities per status for %(programme)s%(province)s.")
        % {"programme": programme.name, "province": f" ({province})" if province else ""},
        bars=[Bar(label, count, STATUS_COLOURS[key]) for key, label, count in overview.counts],
    )
    provinces = [
        (p, round(100 * p.participating / p.total, 1) if p.total else 0.0)
        for p in overview.provinces
    ]
    province_chart = horizontal_bar_chart(
        chart_id="province-chart",
        title=_("Share of municipalities taking part, per province (%)"),
        description=_(
            "Percentage of the municipalities of each province whose registration is submitted "
            "or approved."
        ),
        bars=[Bar(p.label, share, PALETTE["green"]) for p, share in provinces],
    )
    filters = {"provincie": province, "status": status, "zoeken": search.strip()}
    query = urlencode({k: v for k, v in filters.items() if v})
    sort_value = f"{'-' if descending else ''}{sort}" if sort else ""
    paging_query = urlencode({k: v for k, v in {**filters, "sorteren": sort_value}.items() if v})
    page = Paginator(overview.rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = list(page.object_list)
    return render(
        request,
        "tenders/participation_overview.html",
        {
            "programme": programme,
            "overview": overview,
            "page": page,
            "rows": [(row, STATUS_BADGES[row.status]) for row in rows],
            "chart": chart,
            "province_chart": province_chart,
            "province_counts": provinces,
            "provinces": Province.choices,
            "statuses": overview_selectors.OVERVIEW_STATUSES,
            "province": province,
            "status": status,
            "search": search.strip(),
            "sort": sort or "naam",
            "descending": descending,
            "sort_columns": _sort_columns(sort or "naam", descending),
            "query": query,
            "paging_query": paging_query,
            "back": f"{request.path}?{paging_query}&pagina={page.number}",
            "can_remind": programme_selectors.can_change_programme(user=request.user),
            "max_selected": MAX_SELECTED,
        },
    )


def _sort_columns(sort: str, descending: bool) -> dict[str, dict[str, str]]:
    """Per sortable column: the value its button sends and its aria-sort."""
    columns = {}
    for key in overview_selectors.SORTS:
        current = key == sort
        columns[key] = {
            "value": f"-{key}" if current and not descending else key,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
        }
    return columns


@login_required
@require_POST
def participation_remind(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """Remind the organisations behind the chosen municipalities (POST from the overview)."""
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    back = _back_to(request, reverse("tenders:participation-overview", args=[programme.slug]))
    try:
        result = reminder_services.reminders_send_selected(
            actor=request.user,
            programme=programme,
            cbs_codes=request.POST.getlist("gemeente")[: MAX_SELECTED + 1],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    _reminder_messages(request, result)
    return redirect(back)


def _back_to(request: HttpRequest, page_url: str) -> str:
    """Where a POST from a page goes back to: the page with its filters, nowhere else."""
    back = request.POST.get("terug", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not back.startswith(
        page_url
    ):
        return page_url
    return back


def _reminder_messages(request: HttpRequest, result: reminder_services.ReminderResult) -> None:
    if result.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d organisation: %(names)s.",
                "Reminders sent to %(count)d organisations: %(names)s.",
                len(result.sent),
            )
            % {"count": len(result.sent), "names": ", ".join(result.sent)},
        )
    if result.skipped:
        messages.warning(
            request,
            _("Not reminded: %(list)s.")
            % {"list": "; ".join(f"{name} ({reason})" for name, reason in result.skipped)},
        )


@login_required
@require_POST
def demand_remind(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """Remind the chosen participants to submit their demand (POST from the demand overview)."""
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    back = _back_to(request, reverse("tenders:demand-overview", args=[programme.slug]))
    try:
        result = demand_reminder_services.demand_reminders_send_selected(
            actor=request.user,
            programme=programme,
            participation_ids=request.POST.getlist("deelnemer")[: MAX_SELECTED + 1],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    _reminder_messages(request, result)
    return redirect(back)


@login_required
@require_GET
def participation_export(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    province, status = _overview_filters(request)
    workbook = participation_overview_xlsx(
        programme=programme,
        province=province,
        status=status,
        search=request.GET.get("zoeken", "")[:100],
    )
    return xlsx_response(
        workbook,
        filename=f"deelnemers-{programme.slug}-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


@login_required
def milestone_change(request: HttpRequest, programme_slug: str, kind: str) -> HttpResponse:
    milestone = programme_selectors.milestone_get_for_change(
        user=request.user, programme_slug=programme_slug, kind=kind
    )
    programme = milestone.programme
    # While the date cannot move the page says why instead of offering the form.
    refusal = timeline_selectors.milestone_change_refusal(programme, milestone.kind)
    current = timezone.localtime(milestone.due_at)
    form = MilestoneChangeForm(
        None if refusal else post_data(request),
        initial={"date": f"{current:%d-%m-%Y}", "time": f"{current:%H:%M}"},
    )
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.milestone_extend(
                actor=request.user,
                milestone=milestone,
                new_due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The date of “%(milestone)s” has been changed. "
                    "Participants are informed by e-mail."
                )
                % {"milestone": milestone.get_kind_display()},
            )
            return redirect("tenders:programme-detail", programme_slug=programme.slug)
    return render(
        request,
        "tenders/milestone_form.html",
        {
            "programme": programme,
            "milestone": milestone,
            "form": form,
            "refusal": refusal,
        },
        status=422 if form.errors or (refusal and request.method == "POST") else 200,
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_project_team:
        raise Http404
    require(programme_selectors.can_change_programme(user=request.user))
    form = ProgrammeForm(
        post_data(request),
        statuses=Programme.Status.choices,
        milestone_kinds=Milestone.Kind.choices,
        initial={"status": Programme.Status.DRAFT, "contract_years": 4, "extension_years": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user,
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                status=data["status"],
                contract_start_year=data["contract_start_year"],
                contract_years=data["contract_years"],
                extension_years=data["extension_years"],
                term_justification=data["term_justification"],
                authority_type=data["authority_type"],
                contract_type=data["contract_type"],
                milestones=data["milestones"],
            )
        except ValidationError as exc:
            # A milestone's problems go next to its date field.
            add_service_errors(
                form,
                ValidationError(
                    {
                        f"{key}_date" if key in Milestone.Kind.values else key: messages
                        for key, messages in exc.message_dict.items()
                    }
                ),
            )
        else:
            messages.success(request, _("The programme has been created."))
            return redirect("tenders:programme-detail", programme_slug=programme.slug)
    return render(
        request,
        "tenders/programme_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _demand_filters(request: HttpRequest) -> tuple[str, bool]:
    status = request.GET.get("status", "")
    return (
        status if status in demand_overview_selectors.DEMAND_STATUS_LABELS else "",
        request.GET.get("te-laat") == "1",
    )


@login_required
@require_GET
def demand_overview(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    status, late = _demand_filters(request)
    search = " ".join(request.GET.get("zoeken", "").split())[:100]
    overview = demand_overview_selectors.demand_overview(
        programme=programme, status=status, late=late, search=search
    )
    page = Paginator(overview.rows, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("pagina"))
    reminded = demand_follow_up.demand_reminder_dates(programme=programme)
    can_change = programme_selectors.can_change_programme(user=request.user)
    filters = {"status": status, "te-laat": "1" if late else "", "zoeken": search}
    paging_query = urlencode({k: v for k, v in filters.items() if v})
    query = urlencode({**{k: v for k, v in filters.items() if v}, "pagina": page.number})
    return render(
        request,
        "tenders/demand_overview.html",
        {
            "programme": programme,
            "overview": overview,
            "page": page,
            "rows": [
                (row, DEMAND_BADGES[row.status], reminded.get(row.organisation.pk, []))
                for row in page.object_list
            ],
            "paging_query": paging_query,
            "search": search,
            "statuses": demand_overview_selectors.DEMAND_STATUSES,
            "status": status,
            "late": late,
            "deadline": programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE),
            "can_extend": can_change,
            "extension_refusal": demand_extension_refusal(programme=programme),
            # Reminding needs a deadline and an open inventory (not frozen).
            "can_remind": can_change
            and programme.frozen_at is None
            and programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE) is not None,
            "max_selected": MAX_SELECTED,
            "back": f"{request.path}?{query}" if query else request.path,
        },
    )
