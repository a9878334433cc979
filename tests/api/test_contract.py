"""The API keeps its contract under property-based input (Schemathesis over the served
OpenAPI document), as a municipal buyer and as a supplier: no server error, no response that
breaks its schema, and every error as ``application/problem+json``."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as sc
from schemathesis.core.failures import FailureGroup

from portal.api_errors import PROBLEM_CONTENT_TYPE
from portal.models import User

pytestmark = pytest.mark.django_db

# Per operation, per mode (valid and invalid input), per persona: bounded, so that the run
# stays near a minute.
EXAMPLES = 8
CHECKS = [
    sc.not_a_server_error,
    sc.status_code_conformance,
    sc.content_type_conformance,
    sc.response_schema_conformance,
    sc.response_headers_conformance,
    sc.negative_data_rejection,
]


@pytest.fixture
def demo():
    """The demo programme: a programme with lots, a consultation with its questionnaire,
    participations and demand, a municipal buyer and a supplier."""
    from demo.loader import demo_load
    from municipalities.services import municipality_register_load

    with override_settings(DEMO_MODE=True):
        municipality_register_load()
        demo_load()


@pytest.fixture
def wsgi_app():
    # The requests run in the test's transaction: Django's own test client keeps the
    # connection open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session(user: User) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a logged-in session with a CSRF token, as a browser sends them."""
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    csrf = _get_new_csrf_string()
    cookies = {django_settings.SESSION_COOKIE_NAME: session.session_key, "csrftoken": csrf}
    # Schemathesis asks for gzip like a browser but its WSGI transport does not unpack it: the
    # contract is checked on the plain body (compression has tests of its own).
    return cookies, {"X-CSRFToken": csrf, "Accept-Encoding": "identity"}


def _known_values() -> dict[str, list[str]]:
    """Real values of path parameters, so that the run reaches existing objects too."""
    from consultations.models import Consultation, Question
    from municipalities.models import Demand, Participation
    from portal.models import Organisation
    from tenders.models import Programme, Tender

    return {
        "consultation": [c.slug for c in Consultation.objects.all()],
        "slug": [p.slug for p in Programme.objects.all()]
        + [o.slug for o in Organisation.objects.all()],
        "public_id": [str(p.public_id) for p in Participation.objects.all()]
        + [str(d.public_id) for d in Demand.objects.all()],
        "question_key": [q.key for q in Question.objects.all()],
        "file_question": [q.key for q in Question.objects.all()],
        "number": ["1", "2"],
        "reference": [t.reference for t in Tender.objects.all()],
    }


def _problem_for_every_error(ctx, response, case):
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith(PROBLEM_CONTENT_TYPE), (
            f"{case.method} {case.formatted_path}: {response.status_code} as {content_type}"
        )
    return True


def _run(wsgi_app, user: User) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # The session cookie is the test's own (a logged-in user), not generated input.
    schema.config.generation.update(with_security_parameters=False)
    cookies, headers = _session(user)
    known = _known_values()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case, data):
            for name in case.path_parameters or {}:
                if known.get(name) and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
            response = case.call(headers=headers, cookies=cookies)
            case.validate_response(
                response, checks=CHECKS, additional_checks=[_problem_for_every_error]
            )

        try:
            check()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (no parameters, no body).
            assert mode == GenerationMode.NEGATIVE, operation.path
        except (AssertionError, FailureGroup) as exc:
            failures.append(
                f"as {user.email}: {operation.method.upper()} {operation.path} ({mode}): {exc}"
            )
    return failures


def test_contract_as_municipal_buyer_and_as_supplier(demo, wsgi_app):
    """Both kinds of user on one load of the demo (loading it takes longer than a run)."""
    failures = [
        *_run(wsgi_app, User.objects.get(email="inkoper@utrecht.demo.gt-portaal.nl")),
        *_run(wsgi_app, User.objects.get(email="verkoop@voorbeeldhardware.demo.gt-portaal.nl")),
    ]
    assert not failures, "\n\n".join(failures)
