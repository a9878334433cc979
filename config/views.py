"""Pages of the project shell: the home page, whose dashboard reads from every app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.dashboard import dashboard_for
from consultations.selectors.consultation import consultations_open_public
from tenders.selectors.tender import tenders_published_public


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # The public home page: where a supplier finds the open consultations and tenders.
        context = {
            **dashboard_for(request),
            "open_consultations": consultations_open_public(),
            "published_tenders": tenders_published_public(),
        }
        return render(request, "portal/landing.html", context)
    return render(request, "portal/home.html", dashboard_for(request))
