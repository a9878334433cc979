"""The project's Celery app with a render that never finishes, for a worker a test kills in
the middle of rendering: run as ``celery -A tests.integration.slow_render worker``.

Once the worker is ready, ``portal.pdf.render_pdf`` is wrapped: it marks the file named by
``SLOW_RENDER_STARTED`` (so that the test knows the job is claimed and rendering) and then
blocks until the process is killed. Deterministic: no sleep decides the outcome."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from celery.signals import worker_ready

from config.celery import app

__all__ = ["app"]


@worker_ready.connect
def _block_renders(**kwargs: Any) -> None:
    import portal.pdf

    def blocking_render(*args: Any, **options: Any) -> bytes:
        Path(os.environ["SLOW_RENDER_STARTED"]).touch()
        threading.Event().wait()  # until SIGKILL
        raise AssertionError("unreachable")

    portal.pdf.render_pdf = blocking_render  # type: ignore[assignment]
