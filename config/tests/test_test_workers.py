"""Parallel test processes never share a Redis database or a media folder (decision 0031)."""

from __future__ import annotations

import os

import pytest

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


def test_outside_a_parallel_run_nothing_shifts(worker):
    worker(None)
    assert test_workers.redis_url("redis://127.0.0.1:6379/14") == "redis://127.0.0.1:6379/14"
    assert test_workers.redis_db(2) == 2


def test_only_the_test_profile_shifts(worker):
    worker("gw1", profile="production")
    assert test_workers.name() == ""
    assert test_workers.redis_url("redis://redis:6379/0") == "redis://redis:6379/0"


def test_five_processes_use_fifteen_different_databases(worker):
    used = []
    for n in range(5):
        worker(f"gw{n}")
        broker = test_workers.redis_url("redis://127.0.0.1:6379/0")
        cache = test_workers.redis_url("redis://127.0.0.1:6379/1")
        used += [int(broker.rsplit("/", 1)[1]), int(cache.rsplit("/", 1)[1])]
        used.append(test_workers.redis_db(2))
    assert len(set(used)) == 15
    worker("gw1")
    assert test_workers.redis_url("redis://127.0.0.1:6379/14") == "redis://127.0.0.1:6379/1"
    assert (
        test_workers.redis_url("rediss://cache.example:6380/0") == "rediss://cache.example:6380/3"
    )


def test_started_processes_inherit_the_chosen_databases_not_the_name(worker, monkeypatch):
    for name in ("REDIS_URL", "CACHE_URL", "MEDIA_ROOT", "INTEGRATION_REDIS_DB"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    monkeypatch.setenv("INTEGRATION_REDIS_DB", "2")
    worker("gw1")
    test_workers.pin_environment(
        redis_url="redis://h:6379/3", cache_url="redis://h:6379/4", media_root="/m/gw1"
    )
    assert "PYTEST_XDIST_WORKER" not in os.environ
    assert os.environ["REDIS_URL"] == "redis://h:6379/3"
    assert os.environ["CACHE_URL"] == "redis://h:6379/4"
    assert os.environ["MEDIA_ROOT"] == "/m/gw1"
    assert os.environ["INTEGRATION_REDIS_DB"] == "5"
    # A second call (a process started by that process) shifts nothing more.
    assert test_workers.redis_url("redis://h:6379/3") == "redis://h:6379/3"


def test_this_run_uses_what_its_process_was_given():
    from django.conf import settings

    assert os.environ.get("PYTEST_XDIST_WORKER") is None
    if settings.TEST_WORKER:
        assert settings.MEDIA_ROOT.name == settings.TEST_WORKER
        assert os.environ["REDIS_URL"] == settings.REDIS_URL
