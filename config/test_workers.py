"""The test suite's parallel processes (decision 0031).

`make test` runs pytest in one process per core (pytest-xdist sets ``PYTEST_XDIST_WORKER`` to
gw0, gw1, ...). Each gets a test database of its own (pytest-django adds the suffix), and,
through the settings, Redis databases and a media folder of its own: one process's
``cache.clear()``, broker messages or files never reach another's. Outside a parallel run
(and in every other profile) nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

REDIS_DATABASES = 16
# The integration worker's broker when ``INTEGRATION_REDIS_DB`` is not set (tests/integration).
INTEGRATION_REDIS_DB = 2


def name() -> str:
    if os.environ.get("PORTAL_ENV") != "test":
        return ""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def index() -> int:
    return int(name().removeprefix("gw") or 0)


def databases_of(process: int, configured: Sequence[int]) -> list[int]:
    """The Redis databases test process ``process`` uses in place of ``configured``.

    The first process uses what is configured. Each further one takes as many databases as
    are configured from those nobody configured, counting on from the highest configured one:
    0, 1, 2 become 3, 4, 5 in the second process and 6, 7, 8 in the third; 0, 1, 14 become
    15, 2, 3. No two processes ever share a database, whatever the configuration; a role that
    is configured to share one (broker and cache alike) shares it in every process.
    """
    if not process:
        return list(configured)
    distinct = list(dict.fromkeys(configured))
    start = max(distinct) + 1
    spare = [
        db
        for db in ((start + k) % REDIS_DATABASES for k in range(REDIS_DATABASES))
        if db not in distinct
    ]
    first = (process - 1) * len(distinct)
    if first + len(distinct) > len(spare):
        raise ImproperlyConfigured(
            f"Test process gw{process} needs {len(distinct)} Redis databases of its own and "
            f"Redis has {REDIS_DATABASES}: run fewer test processes (TEST_PROCESSES)."
        )
    chosen = dict(zip(distinct, spare[first : first + len(distinct)], strict=True))
    return [chosen[db] for db in configured]


@dataclass(frozen=True)
class RedisDatabases:
    """The Redis URLs of broker and cache, and the integration worker's broker database."""

    broker_url: str
    cache_url: str
    integration_db: int


def _db(url: str) -> int | None:
    if not url.startswith("redis"):
        return None
    return int(urlsplit(url).path.strip("/") or 0)


def _with_db(url: str, db: int | None) -> str:
    return url if db is None else urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def redis_databases(*, broker_url: str, cache_url: str) -> RedisDatabases:
    """What this test process uses for the configured broker, cache and integration broker."""
    integration = int(os.environ.get("INTEGRATION_REDIS_DB", INTEGRATION_REDIS_DB))
    configured = [db for db in (_db(broker_url), _db(cache_url), integration) if db is not None]
    chosen: dict[int | None, int] = dict(
        zip(configured, databases_of(index(), configured), strict=True)
    )
    return RedisDatabases(
        broker_url=_with_db(broker_url, chosen.get(_db(broker_url))),
        cache_url=_with_db(cache_url, chosen.get(_db(cache_url))),
        integration_db=chosen[integration],
    )


def pin_environment(databases: RedisDatabases, *, media_root: str) -> None:
    """Spell out this test process's Redis databases and media folder in its environment, and
    drop its name. A process a test starts (a Celery worker, gunicorn, manage.py) inherits the
    environment: it must use what this process uses, not choose once more."""
    if not name():
        return
    os.environ.update(
        REDIS_URL=databases.broker_url,
        CACHE_URL=databases.cache_url,
        MEDIA_ROOT=media_root,
        INTEGRATION_REDIS_DB=str(databases.integration_db),
    )
    os.environ.pop("PYTEST_XDIST_WORKER", None)
