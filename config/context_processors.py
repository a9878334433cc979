"""Context for every page that reads from the apps (so it lives in the project shell)."""

from __future__ import annotations

from django.http import HttpRequest

from config.dashboard_tasks import team_pages
from portal.active import active_membership
from portal.models import Organisation


def team_menu(request: HttpRequest) -> dict:
    """On a programme's pages, project-team members get the programme's own pages in the
    header menu. Built from the URL and the
    memberships the header reads anyway: no extra queries."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("programme_slug") if match else None
    if not slug or user is None or not user.is_authenticated:
        return {}
    membership = active_membership(request)  # read once per request for the header anyway
    if membership is None or membership.organisation.kind != Organisation.Kind.PROJECT_TEAM:
        return {}
    return {"team_pages": team_pages(slug, has_tender=False)}
