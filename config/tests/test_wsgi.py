"""The web process loads its views and hides them from the garbage collector at start-up
(decision 0033); shown in a process of its own, as a WSGI server starts it."""

import json
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import config.wsgi
print(json.dumps({
    "threshold": gc.get_threshold(),
    "configured": config.wsgi.YOUNG_GENERATION_THRESHOLD,
    "frozen": gc.get_freeze_count(),
    "views_loaded": "tenders.views.programme" in sys.modules,
    "callable": callable(config.wsgi.application),
}))
"""


def test_the_web_process_freezes_its_loaded_modules_and_collects_less_often():
    # Not imported here: that would freeze this test process's heap too.
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["callable"] and found["views_loaded"]
    assert found["threshold"][0] == found["configured"] > 700
    # Django, the portal and their modules: far more than a bare interpreter's few thousand.
    assert found["frozen"] > 100_000
