"""1-on-1 talks of a market consultation: the supplier's page (book one free slot, cancel it,
read its minutes) and the project team's page (offer slots, remove free ones, cancel
bookings, attach minutes). Minutes are served to the project team and the booking supplier
only; for everybody else they do not exist (404)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from consultations.forms.talks import MinutesForm, SlotsForm
from consultations.models import Consultation
from consultations.selectors import talks as selectors_talks
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import reads
from consultations.services import talks as services
from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership
from tenders.selectors import programme as programme_selectors


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _manage_day(item: Consultation, starts_at) -> HttpResponse:
    """Back to the project team's talks, on the day of this moment (Dutch time)."""
    url = reverse("consultations:talks-manage", kwargs={"consultation": item.slug})
    return redirect(f"{url}?{urlencode({'dag': timezone.localdate(starts_at).isoformat()})}")


# --- Supplier ---------------------------------------------------------------------------------


@login_required
@require_GET
def talks_supplier(request: HttpRequest, consultation: str) -> HttpResponse:
    """The supplier's own booking and the free slots it can book; suppliers only."""
    membership = user_supplier_membership(user=request.user)
    if membership is None:
        raise Http404
    item = consultation_get(user=request.user, slug=consultation)
    talks = selectors_talks.talks_for_supplier(
        user=request.user, organisation=membership.organisation, consultation=item
    )
    own = talks["own_slot"]
    can_book = membership.can_edit and item.status == Consultation.Status.PUBLISHED
    return render(
        request,
        "consultations/talks/supplier.html",
        {
            "consultation": item,
            "programme": item.programme,
            "organisation": membership.organisation,
            "can_book": can_book and own is None,
            "can_cancel": can_book and own is not None and own.starts_at > timezone.now(),
            "can_edit": membership.can_edit,
            **talks,
        },
    )


@login_required
@require_POST
def talk_book(request: HttpRequest, consultation: str, slot) -> HttpResponse:
    item = consultation_get(user=request.user, slug=consultation)
    found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
    try:
        services.slot_book(actor=request.user, slot=found)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request, _("Your talk has been booked. We have sent a confirmation by e-mail.")
        )
    return redirect("consultations:talks", consultation=item.slug)


@login_required
@require_POST
def talk_cancel(request: HttpRequest, consultation: str, slot) -> HttpResponse:
    """The supplier cancels its own booking, or the project team cancels any booking."""
    item = consultation_get(user=request.user, slug=consultation)
    found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
    try:
        services.slot_cancel(actor=request.user, slot=found)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The booking has been cancelled."))
    if request.user.is_project_team:
        return _manage_day(item, found.starts_at)
    return redirect("consultations:talks", consultation=item.slug)


@login_required
@require_GET
def minutes_download(request: HttpRequest, consultation: str, slot) -> FileResponse:
    item = consultation_get(user=request.user, slug=consultation)
    found = selectors_talks.slot_get_with_minutes(
        user=request.user, consultation=item, public_id=slot
    )
    local = timezone.localtime(found.starts_at)
    return FileResponse(
        found.minutes.open("rb"),
        as_attachment=True,
        filename=f"verslag-gesprek-{item.slug}-{local:%Y%m%d-%H%M}.pdf",
        content_type="application/pdf",
    )


# --- Project team -----------------------------------------------------------------------------


@login_required
def talks_manage(request: HttpRequest, consultation: str) -> HttpResponse:
    """The slots of one day (``dag``) with the supplier that booked each, the days with their
    counts, and a form to offer a series of slots."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    can_change = programme_selectors.can_change_programme(user=request.user)
    form = SlotsForm(
        post_data(request),
        length_minutes=selectors_talks.slot_length_minutes(consultation=item),
    )
    if request.method == "POST":
        require(can_change)
        if form.is_valid():
            data = form.cleaned_data
            try:
                slots = services.slots_create(
                    actor=request.user,
                    consultation=item,
                    first_start=data["first_start"],
                    length_minutes=data["length_minutes"],
                    count=data["count"],
                    location=data["location"],
                    break_minutes=data["break_minutes"] or 0,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s talk has been added.",
                        "%(count)s talks have been added.",
                        len(slots),
                    )
                    % {"count": len(slots)},
                )
                return _manage_day(item, slots[0].starts_at)
    reads.participants_read(
        actor=request.user, consultation=item, subject=reads.TALK_BOOKINGS, view="talks"
    )
    listing = selectors_talks.talks_of_day(consultation=item, day=request.GET.get("dag"))
    return render(
        request,
        "consultations/talks/manage.html",
        {
            "consultation": item,
            "programme": item.programme,
            "listing": listing,
            "slots": listing.slots,
            "form": form,
            "can_change": can_change and item.status != Consultation.Status.CLOSED,
            "can_attach": can_change,
            "now": timezone.now(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def talk_delete(request: HttpRequest, consultation: str, slot) -> HttpResponse:
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
    require(programme_selectors.can_change_programme(user=request.user))
    try:
        services.slot_delete(actor=request.user, slot=found)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The talk has been removed."))
    return _manage_day(item, found.starts_at)


@login_required
def talk_minutes(request: HttpRequest, consultation: str, slot) -> HttpResponse:
    """Attach (or replace) the minutes of a booked talk."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
    if request.method == "POST":
        require(programme_selectors.can_change_programme(user=request.user))
    form = MinutesForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_attach(actor=request.user, slot=found, file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The minutes have been attached."))
            return _manage_day(item, found.starts_at)
    return render(
        request,
        "consultations/talks/minutes.html",
        {"consultation": item, "programme": item.programme, "slot": found, "form": form},
        status=422 if form.errors else 200,
    )
