"""GET /healthz against real services: a real Redis that we start and then stop."""

import shutil
import socket
import subprocess
import time

import pytest
from django.test import Client

from config.celery import app

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A private Redis server on a free port, so that stopping it disturbs nothing else."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed for this test (apt-get install redis-server)")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield proc, f"redis://127.0.0.1:{port}/0"
    proc.kill()
    proc.wait()


@pytest.fixture
def broker_url():
    original = app.conf.broker_url

    def use(url):
        app.conf.broker_url = url
        app.pool.force_close_all()

    yield use
    app.conf.broker_url = original
    app.pool.force_close_all()


def test_healthz_ok_with_running_services():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"
    assert body["checks"]["broker"]["transport"] == "redis"


def test_healthz_reports_a_stopped_broker(own_redis, broker_url):
    proc, url = own_redis
    broker_url(url)
    assert Client().get("/healthz").json()["checks"]["broker"]["status"] == "ok"

    proc.terminate()
    proc.wait(timeout=10)
    app.pool.force_close_all()
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_needs_no_login_and_is_not_cached():
    response = Client().get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
