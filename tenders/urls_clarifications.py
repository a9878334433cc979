"""URLs: Clarification questions of a market consultation."""

from django.urls import path

from tenders import views_clarifications

urlpatterns: list = [
    path(
        "marktconsultaties/<slug:consultation>/vragen",
        views_clarifications.clarification_supplier,
        name="clarification-supplier",
    ),
    path(
        "marktconsultaties/<slug:consultation>/vragen/beheer",
        views_clarifications.clarification_manage,
        name="clarification-manage",
    ),
    path(
        "marktconsultaties/<slug:consultation>/vragen/<uuid:clarification>/beantwoorden",
        views_clarifications.clarification_answer,
        name="clarification-answer",
    ),
    path(
        "marktconsultaties/<slug:consultation>/vragen/<uuid:clarification>/afwijzen",
        views_clarifications.clarification_reject,
        name="clarification-reject",
    ),
]
