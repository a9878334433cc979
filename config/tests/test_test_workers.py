"""Parallel test processes never share a Redis database or a media folder (decision 0031)."""

from __future__ import annotations

import os

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import test_workers


@pytest.fixture
def worker(monkeypatch):
    def become(name: str | None, profile: str = "test") -> None:
        monkeypatch.setenv("PORTAL_ENV", profile)
        if name is None:
            monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
        else:
            monkeypatch.setenv("PYTEST_XDIST_WORKER", name)

    return become


def chosen(broker: int, cache: int, integration: int) -> list[int]:
    databases = test_workers.redis_databases(
        broker_url=f"redis://127.0.0.1:6379/{broker}", cache_url=f"redis://127.0.0.1:6379/{cache}"
    )
    return [
        int(databases.broker_url.rsplit("/", 1)[1]),
        int(databases.cache_url.rsplit("/", 1)[1]),
        databases.integration_db,
    ]


def test_outside_a_parallel_run_nothing_changes(worker, monkeypatch):
    monkeypatch.setenv("INTEGRATION_REDIS_DB", "13")
    worker(None)
    assert chosen(14, 15, 13) == [14, 15, 13]
    monkeypatch.delenv("INTEGRATION_REDIS_DB")
    assert chosen(0, 1, 2) == [0, 1, 2]  # the integration broker's default


def test_only_the_test_profile_changes(worker):
    worker("gw1", profile="production")
    assert test_workers.name() == ""
    databases = test_workers.redis_databases(
        broker_url="redis://redis:6379/0", cache_url="redis://redis:6379/1"
    )
    assert (databases.broker_url, databases.cache_url) == (
        "redis://redis:6379/0",
        "redis://redis:6379/1",
    )


@pytest.mark.parametrize(
    "configured",
    [(0, 1, 2), (14, 15, 13), (0, 1, 14), (5, 3, 9), (15, 0, 7)],
    ids=lambda c: "-".join(map(str, c)),
)
def test_no_two_of_five_processes_share_a_database(worker, monkeypatch, configured):
    monkeypatch.setenv("INTEGRATION_REDIS_DB", str(configured[2]))
    used = []
    for n in range(5):
        worker(f"gw{n}")
        used += chosen(*configured)
    assert len(set(used)) == 15, used
    worker("gw0")
    assert chosen(*configured) == list(configured)


def test_the_usual_configuration_moves_three_up_per_process(worker, monkeypatch):
    monkeypatch.delenv("INTEGRATION_REDIS_DB", raising=False)
    worker("gw1")
    assert chosen(0, 1, 2) == [3, 4, 5]
    worker("gw2")
    assert chosen(0, 1, 2) == [6, 7, 8]
    monkeypatch.setenv("INTEGRATION_REDIS_DB", "14")
    worker("gw1")
    # The collision this replaced: gw1's integration broker was gw0's cache (1).
    assert chosen(0, 1, 14) == [15, 2, 3]


def test_a_shared_database_stays_shared_and_the_url_keeps_its_parts(worker, monkeypatch):
    monkeypatch.setenv("INTEGRATION_REDIS_DB", "2")
    worker("gw1")
    databases = test_workers.redis_databases(
        broker_url="rediss://:secret@cache.example:6380/0?ssl_cert_reqs=none",
        cache_url="rediss://:secret@cache.example:6380/0?ssl_cert_reqs=none",
    )
    assert databases.broker_url == "rediss://:secret@cache.example:6380/3?ssl_cert_reqs=none"
    assert databases.cache_url == databases.broker_url
    assert databases.integration_db == 4
    # No database in the URL means database 0.
    databases = test_workers.redis_databases(
        broker_url="redis://h:6379", cache_url="redis://h:6379/1"
    )
    assert databases.broker_url == "redis://h:6379/3"


def test_more_processes_than_redis_has_databases_for_are_refused(worker, monkeypatch):
    monkeypatch.setenv("INTEGRATION_REDIS_DB", "2")
    worker("gw5")
    with pytest.raises(ImproperlyConfigured, match="gw5 needs 3 Redis databases"):
        chosen(0, 1, 2)


def test_started_processes_inherit_the_chosen_databases_not_the_name(worker, monkeypatch):
    for name in ("REDIS_URL", "CACHE_URL", "MEDIA_ROOT", "INTEGRATION_REDIS_DB"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    worker("gw1")
    test_workers.pin_environment(
        test_workers.RedisDatabases("redis://h:6379/3", "redis://h:6379/4", 5),
        media_root="/m/gw1",
    )
    assert "PYTEST_XDIST_WORKER" not in os.environ
    assert os.environ["REDIS_URL"] == "redis://h:6379/3"
    assert os.environ["CACHE_URL"] == "redis://h:6379/4"
    assert os.environ["MEDIA_ROOT"] == "/m/gw1"
    assert os.environ["INTEGRATION_REDIS_DB"] == "5"
    # A process started by that process chooses nothing more.
    assert chosen(3, 4, 5) == [3, 4, 5]


def test_this_run_uses_what_its_process_was_given():
    from django.conf import settings

    assert os.environ.get("PYTEST_XDIST_WORKER") is None
    if settings.TEST_WORKER:
        assert settings.MEDIA_ROOT.name == settings.TEST_WORKER
        assert os.environ["REDIS_URL"] == settings.REDIS_URL
        assert os.environ["INTEGRATION_REDIS_DB"] == str(settings.REDIS_DATABASES.integration_db)
