"""The project team's page of the tender's timeline: the moments in Dutch date and time, the
choices that set the minimum period for bids, and the legal periods' problems next to each
field (docs/legal/periods.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from tenders.forms_timeline import TenderTimelineForm
from tenders.selectors import programme as programme_selectors
from tenders.selectors.tender import tender_for_programme
from tenders.selectors.tender_timeline import tender_timeline_context
from tenders.services.tender_timeline import tender_timeline_edit


@login_required
def tender_timeline(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    tender = tender_for_programme(programme=programme, parts=())
    can_change = programme_selectors.can_change_programme(user=request.user)
    form = None
    if tender is not None:
        form = TenderTimelineForm(
            post_data(request), initial=TenderTimelineForm.initial_for(tender)
        )
    if request.method == "POST":
        require(can_change)
        if tender is None or form is None:
            raise Http404
        if form.is_valid():
            try:
                tender_timeline_edit(actor=request.user, tender=tender, **form.service_arguments())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The timeline of the tender has been saved."))
                return redirect("tenders:tender-timeline", programme_slug=programme.slug)
    context = tender_timeline_context(
        programme=programme, tender=tender, form=form, can_change=can_change
    )
    status = 422 if form is not None and form.errors else 200
    return render(request, "tenders/tender_timeline.html", context, status=status)
