"""Pages of the project shell: the home page, whose dashboard reads from every app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.dashboard import dashboard_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html", dashboard_for(request))
    return render(request, "portal/home.html", dashboard_for(request))
