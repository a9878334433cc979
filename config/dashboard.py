"""The home dashboard: what the current user can do next, per kind of organisation.

The dashboard sits on top of every app (it may read from all of them)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest

from config.dashboard_tasks import buyer_tasks, supplier_tasks, team_menu, team_waiting_work
from consultations.selectors.responses import supplier_consultations
from portal.active import active_membership, request_has_mfa
from portal.models import Organisation
from suppliers.selectors import supplier_identity
from tenders.selectors.programme import programme_list


def dashboard_for(request: HttpRequest) -> dict:
    user = request.user
    programmes = list(programme_list(user=user))
    context: dict = {"programmes": programmes}
    if not user.is_authenticated:
        return context
    membership = active_membership(request)
    context["user_has_mfa"] = request_has_mfa(request)
    context["membership"] = membership
    if membership is None:
        context["dashboard_kind"] = "none"
        return context
    organisation = membership.organisation
    context["organisation"] = organisation
    context["dashboard_kind"] = organisation.kind
    if organisation.kind == Organisation.Kind.PROJECT_TEAM:
        counts = dict(Organisation.objects.values_list("kind").annotate(n=Count("id")).order_by())
        context["organisation_counts"] = [
            (kind, label, counts.get(kind, 0)) for kind, label in Organisation.Kind.choices
        ]
        context["waiting_work"] = team_waiting_work(programmes=programmes)
        context["team_menu"] = team_menu(programmes=programmes)
    if organisation.is_buyer:
        context["programme_tasks"] = buyer_tasks(organisation=organisation, programmes=programmes)
    if organisation.kind == Organisation.Kind.SUPPLIER:
        context["consultations"] = supplier_consultations(organisation=organisation)
        context["identity"] = supplier_identity(organisation=organisation)
        context["supplier_tasks"] = supplier_tasks(
            organisation=organisation,
            identity=context["identity"],
            consultations=context["consultations"],
        )
    return context
