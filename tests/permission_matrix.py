"""Who gets what, for every URL of the portal: the expectations as data.

Each row: a route of the URLconf (as Django writes it), the HTTP method, and the expected status
per persona. Objects in the URLs belong to municipality A (``org_a``), so every other tenant
uses *another tenant's ids*. Columns:

    anon  = anonymous              edA = editor of municipality A    viA = viewer of A
    admA  = admin of A             edB = editor of municipality B    jb  = joint body
    supX  = supplier X             supY = supplier Y                 pt  = project team

302 for anonymous HTML means "sent to the login page"; 401/403 for anonymous API calls.
Routes of third-party apps are covered by a glob and one sample path each.
"""

from __future__ import annotations

PERSONAS = ["anon", "edA", "viA", "admA", "edB", "jb", "supX", "supY", "pt"]

# route, method, sample-args key, then one status per persona in PERSONAS order.
# fmt: off
MATRIX: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("",                                                                  "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("toegankelijkheid",                                                  "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("toegankelijkheid",                                                  "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/",                                                     "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("organisaties/<slug:slug>/",                                         "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("organisaties/<slug:slug>/uitnodigen",                               "GET",  (302, 403, 403, 200, 404, 404, 404, 404, 200)),
    ("organisaties/<slug:slug>/uitnodigen",                               "POST", (302, 403, 403, 302, 404, 404, 404, 404, 302)),
    ("organisaties/<slug:slug>/uitnodigingen/<uuid:public_id>/intrekken", "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/uitnodigingen/<uuid:public_id>/intrekken", "POST", (302, 403, 403, 302, 404, 404, 404, 404, 302)),
    ("organisaties/<slug:slug>/leden/<uuid:public_id>/verwijderen",       "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/leden/<uuid:public_id>/verwijderen",       "POST", (302, 403, 403, 302, 404, 404, 404, 404, 302)),
    # The invitation is addressed to someone else: every logged-in persona is refused (422).
    ("uitnodiging/<str:token>",                                           "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("uitnodiging/<str:token>",                                           "POST", (200, 422, 422, 422, 422, 422, 422, 422, 422)),
    # Switching to org A works only for its members; others get 404.
    ("organisatie-wisselen",                                              "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisatie-wisselen",                                              "POST", (302, 302, 302, 302, 404, 404, 404, 404, 404)),
    ("healthz",                                                           "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("robots.txt",                                                        "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("favicon.ico",                                                       "GET",  (301, 301, 301, 301, 301, 301, 301, 301, 301)),
    ("i18n/setlang/",                                                     "POST", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    # Tenders: the public programme page; the participation overview, its export and the
    # timeline are the project team's (404 for everyone else); pt is an admin, so may change.
    ("programmas/<slug:programme_slug>",                                  "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("programmas/<slug:programme_slug>",                                  "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("programmas/<slug:programme_slug>/deelnemers",                       "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/deelnemers",                       "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("programmas/<slug:programme_slug>/deelnemers/export",                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/tijdlijn/<slug:kind>/wijzigen",    "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/tijdlijn/<slug:kind>/wijzigen",    "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # Joining (municipalities app). The participation, its mandate version and signature
    # belong to municipality A; the programme gt-test is open for joining.
    ("deelnames/",                                                        "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # A already takes part (sent to its registration); B and the joint body may start one.
    ("deelnames/nieuw/<slug:programme_slug>",                             "GET",  (302, 302, 403, 302, 200, 200, 403, 403, 403)),
    ("deelnames/nieuw/<slug:programme_slug>",                             "POST", (302, 302, 403, 302, 422, 422, 403, 403, 403)),
    ("deelnames/<uuid:public_id>/",                                       "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/wijzigen",                               "GET",  (302, 200, 403, 200, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/wijzigen",                               "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/mandaat",                                "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    # A's editors request a new version; it names the signer recorded for A (nothing typed).
    ("deelnames/<uuid:public_id>/mandaat",                                "POST", (302, 302, 403, 302, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/mandaat/status",                         "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/opnieuw",     "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/opnieuw",     "POST", (302, 302, 403, 302, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/download",    "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/mandaat/uploaden",                       "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/mandaat/uploaden",                       "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    # Members of A may try to sign (422: an empty code; a member who is not the designated
    # signer is told who is); outside A nobody may.
    ("deelnames/<uuid:public_id>/mandaat/ondertekenen",                   "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/mandaat/ondertekenen",                   "POST", (302, 422, 422, 422, 404, 404, 404, 404, 403)),
    # Who may sign (the college's decision, the signer): A's editors record it, the project
    # team checks it; both see the decision file.
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid",                    "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid",                    "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid/controleren",        "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid/controleren",        "POST", (302, 403, 403, 403, 404, 404, 404, 404, 302)),
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid/<str:which>.pdf",    "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/mandaat/bevoegdheid/<str:which>.pdf",    "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/controleren", "GET", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/controleren", "POST", (302, 403, 403, 403, 404, 404, 404, 404, 302)),
    ("deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/download", "GET", (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/indienen",                               "GET",  (302, 200, 403, 200, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/indienen",                               "POST", (302, 302, 403, 302, 404, 404, 404, 404, 403)),
    ("deelnames/<uuid:public_id>/ontvangen",                              "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/intrekken",                              "GET",  (302, 200, 403, 200, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/intrekken",                              "POST", (302, 302, 403, 302, 404, 404, 404, 404, 302)),
    ("deelnames/<uuid:public_id>/goedkeuren",                             "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("deelnames/<uuid:public_id>/goedkeuren",                             "POST", (302, 403, 403, 403, 404, 404, 404, 404, 302)),
    ("deelnames/<uuid:public_id>/terugsturen",                            "GET",  (302, 403, 403, 403, 404, 404, 404, 404, 200)),
    ("deelnames/<uuid:public_id>/terugsturen",                            "POST", (302, 403, 403, 403, 404, 404, 404, 404, 422)),
    ("programma-aanmaken",                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programma-aanmaken",                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Demand as Excel: everyone who sees the inventory downloads; only A's editors upload.
    ("inventarisatie/<uuid:public_id>/excel",                             "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("inventarisatie/<uuid:public_id>/excel",                             "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("inventarisatie/<uuid:public_id>/excel-uploaden",                    "GET",  (302, 200, 403, 200, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/excel-uploaden",                    "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/excel-uploaden/bevestigen",         "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("inventarisatie/<uuid:public_id>/excel-uploaden/bevestigen",         "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    # The project team's demand overview and export (404 outside the team), and its actions on
    # A's demand: A's own members may see the demand but not return it or extend its deadline.
    ("programmas/<slug:programme_slug>/inventarisatie",                   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/inventarisatie",                   "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The demand and aggregation workbooks are made by a worker: asked for with a POST, then
    # followed on the export's page and downloaded from it.
    ("programmas/<slug:programme_slug>/inventarisatie/export",            "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/inventarisatie/export",            "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>",            "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>",            "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>/opnieuw",    "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>/opnieuw",    "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>/download",   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/exports/<uuid:export>/download",   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("inventarisatie/<uuid:public_id>/terugsturen",                       "GET",  (302, 403, 403, 403, 404, 404, 404, 404, 200)),
    ("inventarisatie/<uuid:public_id>/terugsturen",                       "POST", (302, 403, 403, 403, 404, 404, 404, 404, 422)),
    ("inventarisatie/<uuid:public_id>/verlengen",                         "GET",  (302, 403, 403, 403, 404, 404, 404, 404, 200)),
    ("inventarisatie/<uuid:public_id>/verlengen",                         "POST", (302, 403, 403, 403, 404, 404, 404, 404, 302)),
    # Demand inventory (the participant's pages); A's participation is approved, version 1 exists.
    ("deelnames/<uuid:public_id>/inventarisatie",                         "GET",  (302, 302, 302, 302, 404, 404, 404, 404, 302)),
    # Only the POST (the button) starts it, by the participant's editors and admins.
    ("deelnames/<uuid:public_id>/inventarisatie",                         "POST", (302, 302, 403, 302, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/",                                  "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    # An empty POST carries no revision: refused as a conflict (422), nothing stored.
    ("inventarisatie/<uuid:public_id>/",                                  "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/controleren",                       "GET",  (302, 200, 403, 200, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/controleren",                       "POST", (302, 422, 403, 422, 404, 404, 404, 404, 403)),
    ("inventarisatie/<uuid:public_id>/ontvangen/<int:number>",            "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("inventarisatie/<uuid:public_id>/versies",                           "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("inventarisatie/<uuid:public_id>/versies/vergelijken",               "GET",  (302, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("catalogus/prijzen",                                                 "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("catalogus/prijzen",                                                 "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Aggregation: the project team's alone. Everyone outside it gets 404 on every URL and
    # method (also on a method the URL does not allow); the team gets 405 for those.
    ("programmas/<slug:programme_slug>/aggregatie",                       "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aggregatie",                       "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/berekenen",             "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/berekenen",             "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/aggregatie/vergelijken",           "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aggregatie/vergelijken",           "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/runs/<uuid:run>/opnieuw", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/runs/<uuid:run>/opnieuw", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>",       "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>",       "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    # An empty POST lacks the confirmation: refused (422), nothing frozen.
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezen", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezen", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Asking to lift a freeze: the team's editors; an empty reason is refused (422).
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Deciding on an unfreeze that does not exist: 404.
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen/<uuid:request_id>", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen/<uuid:request_id>", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 404)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/perceel/<int:lot_number>/<int:year>", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/perceel/<int:lot_number>/<int:year>", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.xlsx", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.xlsx", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.csv", "GET", (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.csv", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
    # Lots of a programme: the project team only.
    ("programmas/<slug:programme_slug>/percelen",                         "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/percelen",                         "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    ("programmas/<slug:programme_slug>/percelen/<int:number>/wijzigen",   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/percelen/<int:number>/wijzigen",   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # Supplier registration: for people without an organisation (none among the personas).
    # Supplier members are sent to their own company; buyers and the project team may not
    # act for a supplier (403). Join requests belong to supplier X (its admin is supX).
    ("leveranciers/registreren",                                          "GET",  (302, 403, 403, 403, 403, 403, 302, 302, 403)),
    ("leveranciers/registreren",                                          "POST", (302, 403, 403, 403, 403, 403, 302, 302, 403)),
    ("leveranciers/aanvraag-verstuurd",                                   "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("leveranciers/aanvraag-verstuurd",                                   "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/aanvragen",                                "GET",  (302, 404, 404, 404, 404, 404, 200, 404, 200)),
    ("organisaties/<slug:slug>/aanvragen",                                "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/aanvragen/<uuid:public_id>/goedkeuren",    "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/aanvragen/<uuid:public_id>/goedkeuren",    "POST", (302, 404, 404, 404, 404, 404, 302, 404, 302)),
    ("organisaties/<slug:slug>/aanvragen/<uuid:public_id>/afwijzen",      "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("organisaties/<slug:slug>/aanvragen/<uuid:public_id>/afwijzen",      "POST", (302, 404, 404, 404, 404, 404, 302, 404, 302)),
    # Market consultation: the announcement and its documents are public once published; the
    # management pages are the project team's (404 for everyone else). The consultation of
    # gt-test is published and has a draft version 2 of its questionnaire.
    ("programmas/<slug:programme_slug>/marktconsultaties",                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/marktconsultaties",                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>",                             "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("marktconsultaties/<slug:consultation>",                             "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/documenten/<uuid:document>",  "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("marktconsultaties/<slug:consultation>/documenten/<uuid:document>",  "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/beheer",                      "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/beheer",                      "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>/publiceren",                  "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/publiceren",                  "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # The project team's list of responses (who answered; reading answers is audited).
    ("marktconsultaties/<slug:consultation>/reacties",                    "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/reacties",                    "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Closing is possible after the deadline only: the project team is sent back with a message.
    ("marktconsultaties/<slug:consultation>/sluiten",                     "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/sluiten",                     "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>/vragenlijst",                 "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/vragenlijst",                 "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("marktconsultaties/<slug:consultation>/vragenlijst/vragen/<slug:key>/verwijderen", "GET", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("marktconsultaties/<slug:consultation>/vragenlijst/vragen/<slug:key>/verwijderen", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    # A supplier answers on its own page; only the project team reads a response (audited).
    ("marktconsultaties/<slug:consultation>/antwoorden",                  "GET",  (302, 404, 404, 404, 404, 404, 200, 200, 404)),
    # Supplier X's answers belong to an older questionnaire version: it must move them first.
    ("marktconsultaties/<slug:consultation>/antwoorden",                  "POST", (302, 404, 404, 404, 404, 404, 422, 302, 404)),
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>",  "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>",  "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    # API
    ("api/v1",                                                            "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/",                                                           "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/me",                                                         "GET",  (403, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/organisations",                                              "GET",  (403, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/organisations",                                              "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/organisations/<slug:slug>",                                  "GET",  (403, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("api/v1/organisations/<slug:slug>",                                  "DELETE", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/organisations/<slug:slug>/members",                          "GET",  (403, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("api/v1/programmes",                                                 "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/programmes/<slug:slug>",                                     "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Aggregation: the project team's only (404 for everyone else); pt is an admin, so may
    # ask for a run (202).
    ("api/v1/programmes/<slug:slug>/snapshots",                           "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/programmes/<slug:slug>/snapshots",                           "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/programmes/<slug:slug>/snapshots/<uuid:snapshot_id>",        "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/totals", "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/included-versions", "GET", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/authorities", "GET", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/programmes/<slug:slug>/aggregation-runs",                    "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/programmes/<slug:slug>/aggregation-runs",                    "POST", (403, 404, 404, 404, 404, 404, 404, 404, 202)),
    ("api/v1/programmes/<slug:slug>/aggregation-runs/<uuid:run_id>",      "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/participations",                                             "GET",  (403, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/participations/<uuid:public_id>",                            "GET",  (403, 200, 200, 200, 404, 404, 404, 404, 200)),
    # Demand: A's members read, A's editors and admins write (400: empty body); the project
    # team reads everything and writes nothing.
    ("api/v1/demands",                                                    "GET",  (403, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/demands",                                                    "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/demands/<uuid:public_id>",                                   "GET",  (403, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("api/v1/demands/<uuid:public_id>",                                   "PUT",  (403, 400, 403, 400, 404, 404, 404, 404, 403)),
    ("api/v1/demands/<uuid:public_id>/submit",                            "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/demands/<uuid:public_id>/submit",                            "POST", (403, 201, 403, 201, 404, 404, 404, 404, 403)),
    ("api/v1/demands/<uuid:public_id>/versions/<int:number>",             "GET",  (403, 200, 200, 200, 404, 404, 404, 404, 200)),
    ("api/v1/openapi.json",                                               "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/schema/",                                                       "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/docs/",                                                         "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
]

# The market consultation's follow-up parts keep their rows in tests/matrix_rows/.
from tests.matrix_rows import MODULES as _PART_MODULES  # noqa: E402

for _module in _PART_MODULES:
    MATRIX += _module.ROWS

# Third-party routes: a glob over the route, and one sample path with its expectations.
GLOBS: list[tuple[str, str, str, tuple[int, ...]]] = [
    # glob          sample path           method   anon edA  viA  admA edB  jb   supX supY pt
    ("accounts/*",  "/accounts/login/",   "GET",   (200, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("accounts/*",  "/accounts/email/",   "GET",   (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("accounts/*",  "/accounts/2fa/",     "GET",   (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The admin is for staff users only; nobody in the personas is staff.
    ("beheer/*",    "/beheer/",           "GET",   (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("beheer/*",    "/beheer/portal/organisation/", "GET", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
]
# fmt: on

# List pages and list APIs: which organisations' rows each persona may get back.
# "own" = the persona's own organisation only; "all" = every organisation's rows;
# "empty" = an empty list; "none" = no list at all (not logged in).
# fmt: off
LIST_SCOPES: list[tuple[str, tuple[str, ...]]] = [
    # url                                anon    edA    viA    admA   edB    jb     supX   supY   pt
    ("/organisaties/",                   ("none", "own", "own", "own", "own", "own", "own", "own", "all")),
    ("/api/v1/organisations",            ("none", "own", "own", "own", "own", "own", "own", "own", "all")),
    ("/api/v1/participations",           ("none", "own", "own", "own", "empty", "empty", "empty", "empty", "all")),
    ("/api/v1/demands",                  ("none", "own", "own", "own", "empty", "empty", "empty", "empty", "all")),
]
# fmt: on
