"""The demo is loaded once for the tests of this package (it renders some thirty PDFs), in a
transaction that is rolled back at the end, with its files in a temporary folder."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[float]:
    """Load the demo; yields how long the load took, in seconds."""
    from demo.loader import demo_load

    media_root = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(DEMO_MODE=True, MEDIA_ROOT=str(media_root)),
        transaction.atomic(),
    ):
        started = time.monotonic()
        demo_load()
        yield time.monotonic() - started
        transaction.set_rollback(True)
