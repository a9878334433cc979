"""Freezing a calculation and lifting the freeze: the checks shown before the confirmation,
the decisions on participants without demand, and the unfreeze with four eyes."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import add_service_errors
from portal.tenancy import require
from tenders.models import AggregationSnapshot, Programme, UnfreezeRequest
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors.freeze import freeze_check, freeze_decision_choices, unfreeze_pending
from tenders.services.freeze import snapshot_freeze, unfreeze_decide, unfreeze_request
from tenders.views.aggregation import (
    PAGE_SIZE,
    _can_change,
    _snapshot_context,
    project_team_page,
)


class FreezeForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that this snapshot becomes the basis of the tender: its estimated and "
            "maximum quantities and values and its list of participating authorities are final."
        ),
        error_messages={"required": gettext_lazy("Confirm that you want to freeze this snapshot.")},
    )

    def __init__(self, *args, without_demand=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One decision per approved participant without submitted demand.
        fields = {}
        for participation in without_demand:
            fields[f"decision_{participation.public_id}"] = forms.ChoiceField(
                label=_("%(organisation)s has no submitted demand")
                % {"organisation": participation.organisation},
                choices=freeze_decision_choices(),
                widget=forms.RadioSelect,
                error_messages={
                    "required": gettext_lazy("Choose what happens to this participant.")
                },
            )
        if fields:
            fields["exclusion_reason"] = forms.CharField(
                label=gettext_lazy("Reason for leaving participants out"),
                help_text=gettext_lazy("Needed when you leave a participant out; it is recorded."),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields = {**fields, **self.fields}

    def decisions(self) -> dict[str, str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            name.removeprefix("decision_"): value
            for name, value in data.items()
            if name.startswith("decision_") and value
        }


class UnfreezeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for lifting the freeze"),
        help_text=gettext_lazy(
            "Recorded in the audit trail; a second member of the project team confirms."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason for unfreezing.")},
    )


def render_snapshot(request, programme, snapshot, form=None, unfreeze_form=None, status=200):
    context = _snapshot_context(programme, snapshot)
    # Only one snapshot of a programme is frozen: a frozen one has no other to point to.
    other_frozen = (
        None
        if snapshot.is_frozen
        else aggregation_selectors.aggregation_frozen_snapshot(programme=programme)
    )
    check = None if snapshot.is_frozen else freeze_check(snapshot=snapshot)
    # Both lists grow with the participants: a page of each, each with its own parameter so
    # that paging one keeps the other where it is.
    versions = Paginator(
        aggregation_selectors.aggregation_included_versions(snapshot=snapshot), PAGE_SIZE
    ).get_page(request.GET.get("versies"))
    authorities = Paginator(
        aggregation_selectors.aggregation_lot_authorities(snapshot=snapshot), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    context.update(
        {
            "programme": programme,
            "versions": versions,
            "can_change": _can_change(request),
            "other_frozen": other_frozen,
            "check": check,
            "form": form or FreezeForm(without_demand=check.without_demand if check else ()),
            "unfreeze_form": unfreeze_form or UnfreezeForm(),
            "unfreeze_pending": unfreeze_pending(snapshot=snapshot),
            "lot_authorities": authorities,
            "versions_query": f"pagina={authorities.number}",
            "authorities_query": f"versies={versions.number}",
        }
    )
    return render(request, "tenders/aggregation_snapshot.html", context, status=status)


def _snapshot(programme: Programme, public_id: uuid.UUID) -> AggregationSnapshot:
    return aggregation_selectors.aggregation_snapshot_get(programme=programme, public_id=public_id)


@project_team_page("GET")
def aggregation_snapshot(request: HttpRequest, programme: Programme, snapshot: uuid.UUID):
    return render_snapshot(request, programme, _snapshot(programme, snapshot))


@project_team_page("POST")
def aggregation_freeze(request: HttpRequest, programme: Programme, snapshot: uuid.UUID):
    found = _snapshot(programme, snapshot)
    require(lambda: _can_change(request))
    check = freeze_check(snapshot=found)
    form = FreezeForm(request.POST, without_demand=check.without_demand)
    if form.is_valid():
        try:
            snapshot_freeze(
                actor=request.user,
                snapshot=found,
                decisions=form.decisions(),
                exclusion_reason=form.cleaned_data.get("exclusion_reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The snapshot has been frozen."))
            return redirect(
                "tenders:aggregation-snapshot", programme_slug=programme.slug, snapshot=snapshot
            )
    return render_snapshot(request, programme, found, form=form, status=422)


@project_team_page("POST")
def aggregation_unfreeze(request: HttpRequest, programme: Programme, snapshot: uuid.UUID):
    found = _snapshot(programme, snapshot)
    require(lambda: _can_change(request))
    form = UnfreezeForm(request.POST)
    if form.is_valid():
        try:
            unfreeze_request(actor=request.user, snapshot=found, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The unfreeze has been asked. A second member of the project team confirms it."),
            )
            return redirect(
                "tenders:aggregation-snapshot", programme_slug=programme.slug, snapshot=snapshot
            )
    return render_snapshot(request, programme, found, unfreeze_form=form, status=422)


@project_team_page("POST")
def aggregation_unfreeze_decide(
    request: HttpRequest, programme: Programme, snapshot: uuid.UUID, request_id: uuid.UUID
):
    found = _snapshot(programme, snapshot)
    require(lambda: _can_change(request))
    pending = get_object_or_404(UnfreezeRequest, snapshot=found, public_id=request_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        unfreeze_decide(actor=request.user, request=pending, confirm=confirm)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The freeze has been lifted.") if confirm else _("The unfreeze has been cancelled."),
        )
    return redirect(
        "tenders:aggregation-snapshot", programme_slug=programme.slug, snapshot=snapshot
    )
