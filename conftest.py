"""Shared fixtures: the personas every view and API test uses.

Two municipalities (A with an admin, an editor and a viewer; B with an editor), a joint body,
two suppliers (X and Y), a project-team member (with TOTP) and anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from config import test_workers
from demo.totp import fresh_totp_code
from portal.models import Organisation, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

# Fixtures for browser tests (a real Chromium) and for a real Celery worker, usable anywhere.
pytest_plugins = [
    "tests.browser.fixtures",
    "tests.integration.fixtures",
    "tests.integration.clamd",
]

# In a parallel run, the processes a test starts use this test process's Redis databases and
# media folder (config/test_workers.py).
test_workers.pin_environment(settings.REDIS_DATABASES, media_root=str(settings.MEDIA_ROOT))

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    return fresh_totp_code(secret, offset=offset)


@dataclass
class Persona:
    name: str
    user: object | None
    organisation: Organisation | None

    def client(self) -> Client:
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        return client


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and used TOTP codes live in the (Redis) cache: start every test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Gemeente Aadorp", slug="gemeente-aadorp")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Gemeente Bedum", slug="gemeente-bedum")


@pytest.fixture
def joint_body(db):
    return OrganisationFactory(
        name="Werkorganisatie Duo", slug="werkorganisatie-duo", kind=Organisation.Kind.JOINT_BODY
    )


@pytest.fixture
def supplier_x(db):
    return OrganisationFactory(
        name="Leverancier X B.V.", slug="leverancier-x", kind=Organisation.Kind.SUPPLIER
    )


@pytest.fixture
def supplier_y(db):
    return OrganisationFactory(
        name="Leverancier Y B.V.", slug="leverancier-y", kind=Organisation.Kind.SUPPLIER
    )


@pytest.fixture
def project_team(db):
    return OrganisationFactory(
        name="VNG projectteam", slug="vng-projectteam", kind=Organisation.Kind.PROJECT_TEAM
    )


def _member(org, role, email, **extra):
    return MembershipFactory(
        organisation=org, role=role, user=UserFactory(email=email), **extra
    ).user


@pytest.fixture
def admin_a(org_a):
    return _member(org_a, Role.ADMIN, "beheerder@aadorp.nl", is_signatory=True)


@pytest.fixture
def editor_a(org_a):
    return _member(org_a, Role.EDITOR, "inkoper@aadorp.nl")


@pytest.fixture
def viewer_a(org_a):
    return _member(org_a, Role.VIEWER, "lezer@aadorp.nl")


@pytest.fixture
def editor_b(org_b):
    return _member(org_b, Role.EDITOR, "inkoper@bedum.nl")


@pytest.fixture
def joint_body_user(joint_body):
    return _member(joint_body, Role.ADMIN, "inkoper@duo.nl")


@pytest.fixture
def supplier_x_user(supplier_x):
    return _member(supplier_x, Role.ADMIN, "verkoop@leverancier-x.nl")


@pytest.fixture
def supplier_y_user(supplier_y):
    return _member(supplier_y, Role.ADMIN, "verkoop@leverancier-y.nl")


@pytest.fixture
def project_team_user(project_team):
    user = _member(project_team, Role.ADMIN, "projectteam@vng.nl")
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def personas(
    admin_a,
    editor_a,
    viewer_a,
    editor_b,
    joint_body_user,
    supplier_x_user,
    supplier_y_user,
    project_team_user,
    org_a,
    org_b,
    joint_body,
    supplier_x,
    supplier_y,
    project_team,
):
    return {
        "anonymous": Persona("anonymous", None, None),
        "admin_a": Persona("admin_a", admin_a, org_a),
        "editor_a": Persona("editor_a", editor_a, org_a),
        "viewer_a": Persona("viewer_a", viewer_a, org_a),
        "editor_b": Persona("editor_b", editor_b, org_b),
        "joint_body": Persona("joint_body", joint_body_user, joint_body),
        "supplier_x": Persona("supplier_x", supplier_x_user, supplier_x),
        "supplier_y": Persona("supplier_y", supplier_y_user, supplier_y),
        "project_team": Persona("project_team", project_team_user, project_team),
    }


@pytest.fixture
def password():
    return PASSWORD
