"""A real Celery worker process for integration tests.

The worker is started once per test session, on first use, against the pytest-django test
database and a Redis database of its own (``INTEGRATION_REDIS_DB``), so that messages left
behind by other runs or by the development worker never reach it. During a test that uses it,
the test process's Celery app publishes to the same broker and ``MEDIA_ROOT`` points at the
directory the worker writes to; both are restored after the test, so the rest of the session
never publishes to the running worker.

The root ``conftest.py`` loads this module as a plugin, so every test may ask for it::

    @pytest.mark.celery
    def test_it_renders(celery_worker): ...

``celery_worker`` needs committed data, so it pulls in ``transactional_db`` itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import override_settings

from config.celery import app as celery_app

# In a parallel run, the test process's own (config/test_workers.py).
INTEGRATION_REDIS_DB = settings.REDIS_DATABASES.integration_db
# Generous: on a loaded two-core machine a worker with a prefork pool (``concurrency`` above 1)
# starts its child processes before it answers; the wait ends as soon as it does.
STARTUP_TIMEOUT = 150.0
BASE_DIR = Path(settings.BASE_DIR)
CELERY_BIN = BASE_DIR / ".venv" / "bin" / "celery"


@dataclass
class CeleryWorker:
    """Handle on the running worker process."""

    process: subprocess.Popen
    log_path: Path
    broker_url: str
    media_root: Path
    hostname: str
    _log_offset: int = field(default=0)

    def log(self, *, since_start_of_test: bool = False) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[self._log_offset :] if since_start_of_test else text

    def assert_alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(
                f"The Celery worker exited with code {self.process.returncode}.\n"
                f"--- worker log ---\n{self.log()}",
                pytrace=False,
            )

    def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 60.0, what: str = "the task"
    ) -> Any:
        """Poll ``predicate`` until it returns something truthy; fail with the log if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            self.assert_alive()
            time.sleep(0.2)
        pytest.fail(
            f"Timed out after {timeout:.0f} s waiting for {what}.\n"
            f"--- worker log (this test) ---\n{self.log(since_start_of_test=True)}",
            pytrace=False,
        )


def _broker_url() -> str:
    if not settings.REDIS_URL.startswith("redis"):
        pytest.fail(
            "Integration tests need Redis: run them with PORTAL_ENV=test (or set REDIS_URL).",
            pytrace=False,
        )
    parts = urlsplit(settings.REDIS_URL)
    return urlunsplit(parts._replace(path=f"/{INTEGRATION_REDIS_DB}"))


def _database_url() -> str:
    """URL of the test database pytest-django created (``test_portal``), for the worker."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.fail("Integration tests need PostgreSQL (PORTAL_ENV=test).", pytrace=False)
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _reset_publisher_pools() -> None:
    # The app caches its broker connection and producer pools on first use, and kombu keeps a
    # registry of pools per connection that can hand out a pool an earlier test closed ("Acquire
    # on closed pool") or one for the previous broker. Close and forget them all, so that the
    # next message goes to the broker configured now, on a fresh connection.
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def publishing_to(worker: CeleryWorker) -> Iterator[None]:
    """Point the test process's Celery app and file storage at the worker's, then restore."""
    previous_broker_url = celery_app.conf.broker_url
    celery_app.conf.broker_url = worker.broker_url
    _reset_publisher_pools()
    try:
        with override_settings(MEDIA_ROOT=str(worker.media_root)):
            yield
    finally:
        celery_app.conf.broker_url = previous_broker_url
        _reset_publisher_pools()


def _wait_until_ready(worker: CeleryWorker) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        worker.assert_alive()
        if " ready." in worker.log():
            # The log says the worker consumes; a ping over the broker proves the test process
            # reaches the same broker.
            with publishing_to(worker):
                replies = celery_app.control.ping(destination=[worker.hostname], timeout=2.0)
            if replies:
                return
        time.sleep(0.25)
    pytest.fail(
        f"The Celery worker did not become ready within {STARTUP_TIMEOUT:.0f} s.\n"
        f"--- worker log ---\n{worker.log()}",
        pytrace=False,
    )


def spawn_worker(
    *,
    broker_url: str,
    workdir: Path,
    media_root: Path | None = None,
    extra_env: dict[str, str] | None = None,
    app: str = "config",
    concurrency: int = 1,
) -> CeleryWorker:
    """Start a worker process on ``broker_url`` against the test database and wait until it
    answers a ping. ``extra_env`` overrides settings read from the environment; ``app`` may
    name a test module that wraps the project's Celery app; ``concurrency`` above 1 runs that
    many child processes (the prefork pool, as in production), else one task at a time in the
    worker's own process. Stop it with ``stop_worker``."""
    if not CELERY_BIN.exists():
        pytest.fail(f"{CELERY_BIN} not found: create the virtualenv first.", pytrace=False)
    database_url = _database_url()  # read after django_db_setup: the test database's name
    if media_root is None:
        media_root = workdir / "media"
        media_root.mkdir(exist_ok=True)
    log_path = workdir / f"worker-{uuid.uuid4().hex[:8]}.log"
    hostname = f"pytest-{uuid.uuid4().hex[:8]}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PORTAL_ENV": "test",
        "REDIS_URL": broker_url,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        # No idle connection may outlive a task: the test database is flushed between tests.
        "CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    command = [
        str(CELERY_BIN),
        "-A",
        app,
        "worker",
        "-Q",
        "default,pdf",
        "--pool",
        "solo" if concurrency == 1 else "prefork",
        "--concurrency",
        str(concurrency),
        "-l",
        "info",
        "-n",
        hostname,
        "--without-gossip",
        "--without-mingle",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    # %h is expanded by the worker; ping it by the name it reports.
    worker = CeleryWorker(
        process=process,
        log_path=log_path,
        broker_url=broker_url,
        media_root=media_root,
        hostname=hostname.replace("%h", _node_host()),
    )
    try:
        _wait_until_ready(worker)
    except BaseException:
        stop_worker(process)
        raise
    return worker


@pytest.fixture(scope="session")
def celery_worker_session(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[CeleryWorker]:
    """Start the worker process (once per session) and stop it at the end."""
    worker = spawn_worker(
        broker_url=_broker_url(), workdir=tmp_path_factory.mktemp("celery-worker")
    )
    try:
        yield worker
    finally:
        stop_worker(worker.process)


def _node_host() -> str:
    import socket

    return socket.gethostname()


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # warm shutdown: finishes the current task
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def celery_worker(celery_worker_session, transactional_db, request) -> Iterator[CeleryWorker]:
    """The session's worker, for one test that commits its data. Shows the worker's log of
    this test when the test fails."""
    worker = celery_worker_session
    worker.assert_alive()
    worker._log_offset = len(worker.log())
    failed_before = request.session.testsfailed
    with publishing_to(worker):
        yield worker
    if request.session.testsfailed > failed_before:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        text = worker.log(since_start_of_test=True) or "(empty)"
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_sep("-", f"celery worker log for {request.node.nodeid}")
            reporter.write_line(text)
        else:
            sys.stderr.write(text)
