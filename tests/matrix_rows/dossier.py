"""Permission-matrix rows: the programme's dossier (a ZIP of its documents, their versions and
its audit trail). The project team's alone: everyone else gets 404, anonymous visitors are
sent to the login page; it is only downloaded (405 on POST)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                     method   anon edA  viA  admA edB  jb   supX supY pt
    ("programmas/<slug:programme_slug>/dossier", "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/dossier", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    return {}
