"""The public tender pages (no login): the list of published tenders, a tender's page, each
lot's authorities (paged, searchable by name), and following a tender by e-mail (subscribe,
confirm, unsubscribe).

The links in the mails open a page with a button: only its POST changes anything, so a mail
scanner or a browser's prefetch that follows a link confirms or unsubscribes nobody."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal import attempts
from portal.forms import post_data
from portal.paged_rows import LIST_PAGE_SIZE
from tenders.selectors import public as selectors
from tenders.services import subscriptions as services
from tenders.views.enquiries import ask_entry

SESSION_EMAIL = "tenders.subscription_email"
# A lot can have thousands of authorities (every municipality, for itself): a page shows this
# many, found by name with the search field.
AUTHORITIES_PAGE_SIZE = LIST_PAGE_SIZE
SEARCH_MAX_LENGTH = 100


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy(
            "We send you a link to confirm. After that you get an e-mail when documents or "
            "answers to questions are published. You can stop at any time."
        ),
        error_messages={
            "required": gettext_lazy("Enter your e-mail address."),
            "invalid": gettext_lazy(
                "Enter an e-mail address in the right format, like naam@voorbeeld.nl."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@require_GET
def tender_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "tenders/public/list.html", {"tenders": list(selectors.tender_public_list())}
    )


@require_GET
def tender_public(request: HttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_public_page_get(reference=reference)
    context = selectors.tender_public_context(tender)
    return render(
        request,
        "tenders/public/detail.html",
        {**context, "form": SubscriptionForm(), "ask": ask_entry(request, tender)},
    )


@require_GET
def lot_authorities(request: HttpRequest, reference: str, lot_number: int) -> HttpResponse:
    tender = selectors.tender_public_brief_get(reference=reference)
    lot = selectors.public_lot_get(tender=tender, number=lot_number)
    search = " ".join(request.GET.get("zoeken", "").split())[:SEARCH_MAX_LENGTH]
    authorities = selectors.public_lot_authorities(tender=tender, lot=lot, search=search)
    page = Paginator(authorities, AUTHORITIES_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "tenders/public/lot_authorities.html",
        {
            "tender": tender,
            "lot": lot,
            "page": page,
            "authorities": page.object_list,
            "search": search,
            "query": urlencode({"zoeken": search}) if search else "",
        },
    )


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, reference: str) -> HttpResponse:
    tender = selectors.tender_public_brief_get(reference=reference)
    form = SubscriptionForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        email = services.normalise_email(form.cleaned_data["email"])
        try:
            # Confirmation mail an anonymous visitor makes the portal send: per client address.
            attempts.consume(counters=[("mail_address", attempts.address_of(request))])
        except attempts.Refused as exc:
            form.add_error(None, exc.messages[0])
        else:
            services.subscription_request(
                tender=tender, email=email, base_url=request.build_absolute_uri("/")
            )
            request.session[SESSION_EMAIL] = email
            return redirect("tenders:subscription-sent", reference=tender.reference)
    return render(
        request,
        "tenders/public/subscribe.html",
        {"tender": tender, "form": form},
        status=422 if form.is_bound else 200,
    )


@require_GET
def subscription_sent(request: HttpRequest, reference: str) -> HttpResponse:
    """The same words for every address: whether it was known is not told (no enumeration)."""
    tender = selectors.tender_public_brief_get(reference=reference)
    return render(
        request,
        "tenders/public/subscription_sent.html",
        {"tender": tender, "email": request.session.get(SESSION_EMAIL, "")},
    )


def _invalid_link(request: HttpRequest, tender) -> HttpResponse:
    attempts.link_unknown(request)
    return render(
        request, "tenders/public/subscription_invalid.html", {"tender": tender}, status=404
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscription_confirm(request: HttpRequest, reference: str, confirm_token: str) -> HttpResponse:
    tender = selectors.tender_public_brief_get(reference=reference)
    if (refused := attempts.link_refused(request)) is not None:
        return refused
    if request.method == "POST":
        if services.subscription_confirm(tender=tender, token=confirm_token) is None:
            return _invalid_link(request, tender)
        messages.success(
            request,
            _("Your subscription is confirmed. We will e-mail you when something is published."),
        )
        return redirect("tenders:tender-public", reference=tender.reference)
    subscription = selectors.subscription_for_confirm_token(tender=tender, token=confirm_token)
    if subscription is None:
        return _invalid_link(request, tender)
    return render(
        request,
        "tenders/public/subscription_confirm.html",
        {"tender": tender, "subscription": subscription},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscription_unsubscribe(
    request: HttpRequest, reference: str, unsubscribe_token: str
) -> HttpResponse:
    tender = selectors.tender_public_brief_get(reference=reference)
    if (refused := attempts.link_refused(request)) is not None:
        return refused
    if request.method == "POST":
        if services.subscription_unsubscribe(tender=tender, token=unsubscribe_token) is None:
            return _invalid_link(request, tender)
        messages.success(request, _("You are unsubscribed. You will get no more e-mail from us."))
        return redirect("tenders:tender-public", reference=tender.reference)
    subscription = selectors.subscription_for_unsubscribe_token(
        tender=tender, token=unsubscribe_token
    )
    if subscription is None:
        return _invalid_link(request, tender)
    return render(
        request,
        "tenders/public/subscription_unsubscribe.html",
        {"tender": tender, "subscription": subscription},
    )
