"""Every page and API list of the URLconf is measured by the page benchmark
(``benchmarks.scenarios.SCENARIOS``, run by ``python -m benchmarks``) or listed below with the
reason it is not. A GET route counts as a page when some persona of tests/permission_matrix.py
gets a 200 for it; routes no persona can GET (POST-only, redirects) need no entry."""

from __future__ import annotations

import fnmatch
import re
import urllib.parse

from django.urls import Resolver404, resolve

from benchmarks.scenarios import FLOOR, SCENARIOS
from tests.permission_matrix import GLOBS, MATRIX
from tests.test_permission_matrix import all_routes

SAMPLE_ID = "00000000-0000-4000-8000-000000000000"
# Placeholders of SCENARIOS that are not one path segment of an id or a slug.
SAMPLES = {"demand": f"/inventarisatie/{SAMPLE_ID}/", "year": "2027", "submission": "1"}

DOWNLOAD = "a download of one file (no rows rendered into a page)"
EXPORT = "an export of every row, measured with the exports (i17-xl)"
TOKEN = "reached through a one-time token from a mail; a form without rows"
NO_DATA = "needs an object the benchmark data does not have yet; a page of one object"
CONSULTATION = "a consultation page or API without a scenario yet (issue 17 is open on this)"

# route: why the page benchmark does not measure it.
EXCLUDED: dict[str, str] = {
    # Third-party apps (allauth, the Django admin): covered by a glob in the permission matrix.
    "accounts/*": "allauth's account pages: forms of one user",
    "uitnodiging/<str:token>": TOKEN,
    "programmas/<slug:programme_slug>/deelnemers/export": EXPORT,
    "programmas/<slug:programme_slug>/exports/<uuid:export>/download": DOWNLOAD,
    "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.csv": EXPORT,
    "programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/download": DOWNLOAD,
    "aanbestedingen/<str:reference>/documenten/<uuid:version>": DOWNLOAD,
    "aanbestedingen/<str:reference>/volgen/bevestigen/<str:confirm_token>": TOKEN,
    "aanbestedingen/<str:reference>/volgen/afmelden/<str:unsubscribe_token>": TOKEN,
    "uitnodigen-uit-bestand/<uuid:bulk>": NO_DATA,
    "deelnames/nieuw/<slug:programme_slug>": (
        "the registration form: every benchmark persona already takes part (a redirect)"
    ),
    "deelnames/<uuid:public_id>/wijzigen": (
        "the registration form: the benchmark persona's registration is approved (a redirect)"
    ),
    "deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/download": DOWNLOAD,
    "deelnames/<uuid:public_id>/mandaat/bevoegdheid/<str:which>.pdf": DOWNLOAD,
    "deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/download": DOWNLOAD,
    "inventarisatie/<uuid:public_id>/excel": EXPORT,
    "leveranciers/bevestigen/<str:domain_token>": TOKEN,
    "projectteam/leveranciers/uittreksels/<uuid:extract>": NO_DATA,
    # Consultation pages without a scenario yet.
    "marktconsultaties/<slug:consultation>/documenten/<uuid:document>": DOWNLOAD,
    "marktconsultaties/<slug:consultation>/vragen/<uuid:clarification>/beantwoorden": CONSULTATION,
    "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/verslag": CONSULTATION,
    "marktconsultaties/<slug:consultation>/gesprekken/<uuid:slot>/verslag/download": DOWNLOAD,
    "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/status": CONSULTATION,
    "marktconsultaties/<slug:consultation>/verslag/<uuid:report>/download": DOWNLOAD,
    "marktconsultaties/<slug:consultation>/antwoorden/nieuwe-versie": CONSULTATION,
    "marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/inzendingen/"
    "<int:submission>": CONSULTATION,
    "marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/bestanden/"
    "<slug:file_question>": DOWNLOAD,
    "api/v1/consultations": CONSULTATION,
    "api/v1/consultations/<slug:consultation>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/questionnaire": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/questionnaire/versions": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/questionnaire/versions/<int:number>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/my-response": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/my-response/upgrade": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/responses/<uuid:response_id>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/my-clarifications": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/clarification-requests": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/clarification-requests/<uuid:clarification>": (
        CONSULTATION
    ),
    "api/v1/consultations/<slug:consultation>/reports": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/reports/<uuid:report>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/review/questions": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/review/questions/<slug:question_key>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/review/answers/<uuid:submitted_response>/"
    "<slug:question_key>": CONSULTATION,
    "api/v1/consultations/<slug:consultation>/talk-findings": CONSULTATION,
    # The same view as its twin without the trailing slash.
    "api/v1/": "the API root again, with a trailing slash",
}


def page_routes(routes: list[str]) -> list[str]:
    """The routes some persona gets a 200 for on GET; third-party routes by their glob."""
    pages = {route for route, method, statuses in MATRIX if method == "GET" and 200 in statuses}
    globs = {glob for glob, _, method, statuses in GLOBS if method == "GET" and 200 in statuses}
    found = []
    for route in routes:
        glob = next((g for g in globs if fnmatch.fnmatch(route, g)), None)
        if glob:
            found.append(glob)
        elif route in pages:
            found.append(route)
    return sorted(set(found))


def scenario_route(path: str) -> str:
    """The URLconf route a scenario's path resolves to (placeholders filled with samples)."""
    filled = re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), SAMPLE_ID), path)
    return resolve(urllib.parse.urlsplit(filled).path).route


def scenario_routes(scenarios=SCENARIOS) -> set[str]:
    return {scenario_route(path) for _, _, path in [FLOOR, *scenarios]}


def unmeasured(routes: list[str], scenarios=SCENARIOS) -> list[str]:
    measured = scenario_routes(scenarios)
    return [r for r in page_routes(routes) if r not in measured and r not in EXCLUDED]


def test_every_page_is_benchmarked_or_excluded_with_a_reason():
    missing = unmeasured(all_routes())
    assert not missing, (
        "Pages neither in benchmarks.scenarios.SCENARIOS nor excluded in "
        f"tests/test_bench_coverage.py: {missing}"
    )


def test_every_scenario_resolves_to_a_page():
    for name, _, path in SCENARIOS:
        try:
            scenario_route(path)
        except Resolver404:  # pragma: no cover - the assertion below says which
            raise AssertionError(f"{name}: {path} is no URL of the portal") from None


def test_exclusions_are_current():
    """An excluded route still exists, is a page, and is not measured after all."""
    pages = set(page_routes(all_routes()))
    measured = scenario_routes()
    stale = [r for r in EXCLUDED if r not in pages or r in measured]
    assert not stale, f"Exclusions that are no page or are measured: {stale}"
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_a_page_without_scenario_is_detected():
    """The harness itself: dropping the participation overview's scenario is reported."""
    route = "programmas/<slug:programme_slug>/deelnemers"
    without = [s for s in SCENARIOS if scenario_route(s[2]) != route]
    assert unmeasured(all_routes(), without) == [route]
