"""URLs: 1-on-1 talk slots of a market consultation."""

from django.urls import path

from tenders import views_talks

urlpatterns: list = [
    path(
        "marktconsultaties/<slug:consultation>/gesprekken",
        views_talks.talks_supplier,
        name="talks",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/beheer",
        views_talks.talks_manage,
        name="talks-manage",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/boeken",
        views_talks.talk_book,
        name="talk-book",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/annuleren",
        views_talks.talk_cancel,
        name="talk-cancel",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/verwijderen",
        views_talks.talk_delete,
        name="talk-delete",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/verslag",
        views_talks.talk_minutes,
        name="talk-minutes",
    ),
    path(
        "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/verslag/download",
        views_talks.minutes_download,
        name="talk-minutes-download",
    ),
]
