"""With the shared cache (Redis) down: pages that do not need it keep working, logging in
answers a Dutch 503 (its rate limits are never skipped), never a 500, and /healthz names the
cache. A private Redis on its own port is started, stopped and started again."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self, port: int):
        self.port = port
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is needed for this test (apt-get install redis-server)")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("the private Redis did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def cache_redis() -> Iterator[OwnRedis]:
    """The cache pointed at a private Redis; override_settings resets the cache handlers."""
    redis = OwnRedis(_free_port())
    redis.start()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield redis
    finally:
        redis.stop()


def login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_with_the_cache_up_logging_in_works(cache_redis, editor_a, password):
    response = login(Client(), editor_a.email, password)
    assert response.status_code == 302
    assert Client().get("/healthz").json()["checks"]["cache"]["status"] == "ok"


def test_with_the_cache_down_logging_in_answers_a_dutch_503(cache_redis, editor_a, password):
    cache_redis.stop()
    client = Client(raise_request_exception=False)
    response = login(client, editor_a.email, password)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Tijdelijk niet beschikbaar" in page
    assert "Wat u hebt opgeslagen, is niet verloren gegaan." in page
    # Not logged in behind the rate limits' back.
    assert "_auth_user_id" not in client.session


def test_with_the_cache_down_pages_that_do_not_need_it_keep_working(
    cache_redis, editor_a, password
):
    client = Client(raise_request_exception=False)
    assert login(client, editor_a.email, password).status_code == 302
    cache_redis.stop()
    assert client.get("/").status_code == 200
    assert client.get(reverse("portal:organisation-list")).status_code == 200
    assert Client().get(reverse("account_login")).status_code == 200
    assert Client().get("/toegankelijkheid").status_code == 200


def test_healthz_names_the_cache_when_it_is_down(cache_redis):
    cache_redis.stop()
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_when_the_cache_returns_logging_in_works_again(cache_redis, editor_a, password):
    cache_redis.stop()
    assert login(Client(raise_request_exception=False), editor_a.email, password).status_code == 503
    cache_redis.start()
    assert login(Client(), editor_a.email, password).status_code == 302
    assert Client().get("/healthz").json()["checks"]["cache"]["status"] == "ok"


def test_the_rate_limit_still_holds_with_the_cache_up(cache_redis, editor_a, password):
    """The 503 is not a way around the limits: with the cache up they are enforced as before."""
    client = Client()
    for _ in range(5):
        assert login(client, editor_a.email, "wrong-password-123").status_code == 200
    # allauth: 5 failed attempts per 5 minutes per account; then even the right password fails.
    assert login(client, editor_a.email, password).status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_a_kept_value_is_computed_when_the_cache_is_down_or_goes_down(cache_redis):
    """``portal.kept.kept``: a cache that is down, or that goes down between reading and
    keeping, costs the work again and nothing else; once it is back the value is kept."""
    from django.core.cache import cache

    from portal.kept import kept

    cache_redis.stop()
    assert kept("kept-test", lambda: 41, seconds=60) == 41

    cache_redis.start()

    def goes_down() -> int:
        cache_redis.stop()
        return 42

    assert kept("kept-test", goes_down, seconds=60) == 42
    cache_redis.start()
    assert cache.get("kept-test") is None
    assert kept("kept-test", lambda: 43, seconds=60) == 43
    assert kept("kept-test", lambda: 44, seconds=60) == 43  # kept this time
