"""The project team's page of the change notice of a published tender: the form (reason and
the new values, errors next to the fields), then the pending notice that a second member
confirms or cancels, and the notices confirmed so far. 404 for everyone outside the team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import post_data
from portal.tenancy import require
from tenders.forms_change import ChangeNoticeForm
from tenders.models import Programme
from tenders.selectors.change import change_notice_context, change_notice_pending
from tenders.selectors.tender import tender_for_programme
from tenders.services.change import change_notice_decide, change_notice_request
from tenders.views.aggregation import _can_change, project_team_page


@project_team_page("GET", "POST")
def change_notice(request: HttpRequest, programme: Programme) -> HttpResponse:
    tender = tender_for_programme(programme=programme, parts=("requirements",))
    if tender is None:
        raise Http404
    can_change = _can_change(request)
    form = ChangeNoticeForm(post_data(request), tender=tender)
    status = 200
    if request.method == "POST":
        require(can_change)
        decision = request.POST.get("decision", "")
        if decision in ("confirm", "cancel"):
            return _decide(request, programme, tender, decision)
        if form.is_valid():
            try:
                change_notice_request(actor=request.user, tender=tender, **form.service_arguments())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "The change notice has been asked. A second member of the project team "
                        "confirms it; nothing changes until then."
                    ),
                )
                return redirect("tenders:change-notice", programme_slug=programme.slug)
        status = 422
    context = change_notice_context(tender=tender, can_change=can_change)
    return render(
        request,
        "tenders/change_notice.html",
        {**context, "programme": programme, "form": form},
        status=status,
    )


def _decide(request, programme, tender, decision: str) -> HttpResponse:
    pending = change_notice_pending(tender=tender)
    if pending is None:
        raise Http404
    try:
        notice = change_notice_decide(
            actor=request.user,
            notice=pending,
            confirm=decision == "confirm",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Change notice %(number)s has been published.") % {"number": notice.number}
            if decision == "confirm"
            else _("The change notice has been cancelled."),
        )
    return redirect("tenders:change-notice", programme_slug=programme.slug)
