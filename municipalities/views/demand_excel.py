"""The demand inventory as Excel: download the pre-filled workbook, upload it, review the
imported figures, and only then take them over."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities import excel, selectors
from municipalities.models import Demand
from municipalities.selectors.demand_changes import demand_changes
from municipalities.services.demand import (
    DemandConflict,
    demand_save_and_submit,
    demand_save_draft,
)
from portal.tenancy import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 100


class DemandExcelForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx, at most 5 MB)"),
        help_text=gettext_lazy("Use the workbook you downloaded for this inventory."),
        error_messages={
            "required": gettext_lazy("Select an Excel file."),
            "empty": gettext_lazy("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _form_with_errors(messages: list[str]) -> DemandExcelForm:
    """An empty upload form that shows ``messages`` (when there is no file to blame)."""
    form = DemandExcelForm(data={})
    form.cleaned_data = {}
    form._errors = ErrorDict()
    for message in messages:
        form.add_error(None, message)
    return form


def _session_key(demand) -> str:
    return f"demand-excel-{demand.public_id}"


def _editable_demand(request: HttpRequest, public_id):
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    require(selectors.can_edit_demand(user=request.user, demand=demand))
    return demand


def _context(demand, **extra) -> dict:
    participation = demand.participation
    return {
        "demand": demand,
        "participation": participation,
        "programme": participation.programme,
        **extra,
    }


def _form_page(request, demand, form, problems=(), status=200, total=0) -> HttpResponse:
    return render(
        request,
        "municipalities/demand_excel_upload.html",
        _context(demand, form=form, problems=list(problems), problem_total=total),
        status=status,
    )


@login_required
@require_GET
def demand_excel_download(request: HttpRequest, public_id) -> HttpResponse:
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    response = HttpResponse(excel.demand_workbook(demand), content_type=XLSX)
    name = f"inventarisatie-{demand.participation.organisation.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def demand_excel_upload(request: HttpRequest, public_id) -> HttpResponse:
    demand = _editable_demand(request, public_id)
    if request.method == "GET":
        return _form_page(request, demand, DemandExcelForm())
    form = DemandExcelForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, demand, form, status=422)
    data, problems, downloaded_at = excel.parse_demand_upload(
        demand, form.cleaned_data["file"], actor=request.user
    )
    if problems:
        form.add_error(
            "file",
            _("The file has %(count)s problem(s). Nothing has been saved.")
            % {"count": len(problems)}
            if len(problems) > 1 or problems[0].cell
            else problems[0].message,
        )
        shown = problems if len(problems) > 1 or problems[0].cell else []
        # The first ones are enough to act on; a page of every problem of a hostile file
        # would cost more to render and read than the upload did.
        return _form_page(
            request, demand, form, shown[:SHOWN_PROBLEMS], status=422, total=len(shown)
        )
    request.session[_session_key(demand)] = {
        "revision": demand.revision,
        "data": excel.data_to_json(data),
    }
    warnings = selectors.plausibility_warnings(
        demand=demand, data=data, previous=selectors.demand_versions(demand=demand).first()
    )
    if downloaded_at is not None and downloaded_at < demand.revision:
        warnings.insert(
            0,
            _(
                "The inventory was changed in the portal after this file was downloaded. "
                "Taking over the file replaces those changes."
            ),
        )
    return render(
        request,
        "municipalities/demand_excel_review.html",
        _context(
            demand,
            changes=demand_changes(demand=demand, data=data),
            was_submitted=demand.status == Demand.Status.SUBMITTED,
            latest_version=selectors.demand_versions(demand=demand).first(),
            warnings=warnings,
        ),
    )


@login_required
@require_POST
def demand_excel_apply(request: HttpRequest, public_id) -> HttpResponse:
    demand = _editable_demand(request, public_id)
    stored = request.session.get(_session_key(demand))
    if not stored:
        form = _form_with_errors(
            [_("There is no uploaded file to take over. Upload the file again.")]
        )
        return _form_page(request, demand, form, status=422)
    data = excel.data_from_json(stored["data"])
    was_submitted = demand.status == Demand.Status.SUBMITTED
    submit = request.POST.get("action") == "submit"
    try:
        if submit:
            version = demand_save_and_submit(
                actor=request.user,
                demand=demand,
                revision=stored["revision"],
                data=data,
                source="excel",
            )
        else:
            demand_save_draft(
                actor=request.user,
                demand=demand,
                revision=stored["revision"],
                data=data,
                source="excel",
            )
    except DemandConflict as exc:
        del request.session[_session_key(demand)]
        return render(
            request,
            "municipalities/demand_excel_conflict.html",
            _context(demand, conflict=exc.messages),
            status=409,
        )
    except ValidationError as exc:
        del request.session[_session_key(demand)]
        return _form_page(request, demand, _form_with_errors(exc.messages), status=422)
    del request.session[_session_key(demand)]
    if submit:
        messages.success(
            request,
            _(
                "The figures from the Excel file have been taken over and submitted as "
                "version %(number)s."
            )
            % {"number": version.number},
        )
        return redirect(
            "municipalities:demand-submitted", public_id=demand.public_id, number=version.number
        )
    if was_submitted:
        # Not a green "saved": the inventory no longer counts as submitted.
        messages.warning(
            request,
            _(
                "The figures from the Excel file have been taken over. Your inventory is a draft "
                "again and no longer counts as submitted: submit it again before the deadline."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "The figures from the Excel file have been saved as a draft. Submit the "
                "inventory when it is complete."
            ),
        )
    return redirect("municipalities:demand-edit", public_id=demand.public_id)
