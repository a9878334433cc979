"""Every beat entry can be sent under the project's settings and a real worker runs it: Celery
refuses to send a task whose soft time limit exceeds its hard limit, which a direct call of the
task function never shows."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from config.celery import app as celery_app

pytestmark = pytest.mark.celery


def test_every_beat_entry_is_sent_and_run(celery_worker):
    celery_app.loader.import_default_modules()
    entries = settings.CELERY_BEAT_SCHEDULE
    assert entries
    sent = {}
    for name, entry in entries.items():
        task = celery_app.tasks[entry["task"]]
        # As beat sends it: apply_async with the entry's options, under the global limits.
        sent[name] = task.apply_async(**entry.get("options", {})).id

    def all_succeeded():
        log = celery_worker.log(since_start_of_test=True)
        return all(re.search(rf"\[{task_id}\] succeeded", log) for task_id in sent.values())

    celery_worker.wait_for(all_succeeded, timeout=60, what="every beat entry to succeed")
