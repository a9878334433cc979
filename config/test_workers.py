"""The test suite's parallel processes (decision 0031).

`make test` runs pytest in one process per core (pytest-xdist sets ``PYTEST_XDIST_WORKER`` to
gw0, gw1, ...). Each gets a test database of its own (pytest-django adds the suffix), and,
through the settings, Redis databases and a media folder of its own: one process's
``cache.clear()``, broker messages or files never reach another's. Outside a parallel run
(and in every other profile) nothing shifts.
"""

from __future__ import annotations

import os

# Three Redis databases per process (broker, cache, the integration worker's broker): up to
# five processes never share one of Redis's 16.
DATABASES_PER_WORKER = 3


def name() -> str:
    if os.environ.get("PORTAL_ENV") != "test":
        return ""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def index() -> int:
    return int(name().removeprefix("gw") or 0)


def redis_db(db: int) -> int:
    """The Redis database this test process uses for ``db``."""
    return (db + DATABASES_PER_WORKER * index()) % 16


def redis_url(url: str) -> str:
    """``url`` with its database number shifted for this test process."""
    if not index() or not url.startswith("redis"):
        return url
    base, _, db = url.rpartition("/")
    return f"{base}/{redis_db(int(db or 0))}"


def pin_environment(*, redis_url: str, cache_url: str, media_root: str) -> None:
    """Spell out this test process's Redis databases and media folder in its environment, and
    drop its name. A process a test starts (a Celery worker, gunicorn, manage.py) inherits the
    environment: it must use what this process uses, not shift it once more."""
    if not name():
        return
    integration = redis_db(int(os.environ.get("INTEGRATION_REDIS_DB", "2")))
    os.environ.update(
        REDIS_URL=redis_url,
        CACHE_URL=cache_url,
        MEDIA_ROOT=media_root,
        INTEGRATION_REDIS_DB=str(integration),
    )
    os.environ.pop("PYTEST_XDIST_WORKER", None)
