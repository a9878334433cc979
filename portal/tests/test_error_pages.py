"""The error pages render while the database is down: the 500 page from a static context (no
query, no session, no cache), in Dutch, instead of the application server's bare English page."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from portal.views import error_404
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_down():
    """Point the connection at a port nobody listens on: every query fails to connect."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def logged_in():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(email="storing@gemeente.nl"))
    return client


def test_the_database_is_really_down_inside_the_helper():
    with database_down(), pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def test_a_database_fault_answers_the_dutch_500_page(logged_in):
    with database_down():
        response = logged_in.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "Er ging iets mis" in page
    assert "Wat u hebt opgeslagen, is niet verloren gegaan." in page
    assert "Something went wrong" not in page
    # The portal's own layout (its stylesheet), not a bare server page; no user controls.
    assert "css/portal" in page
    assert "Uitloggen" not in page


def test_an_anonymous_visitor_gets_the_dutch_404_page_while_the_database_is_down():
    with database_down():
        response = Client(raise_request_exception=False).get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_the_404_page_falls_back_to_its_static_form_when_the_user_cannot_be_loaded(logged_in):
    request = RequestFactory().get("/bestaat-niet")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = logged_in.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    with database_down():
        response = error_404(request)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert "Uitloggen" not in page


def test_with_the_database_up_the_404_page_shows_the_logged_in_layout(logged_in):
    response = logged_in.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Uitloggen" in response.content.decode()
