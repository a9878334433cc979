"""Permission-matrix rows: the change notice of the tender (the world's tender is published by
tests/matrix_rows/ocds.py). The project team's page: 404 for everyone else; an empty POST is
refused next to the reason (422)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("programmas/<slug:programme_slug>/aanbesteding/wijzigingsbericht",   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("programmas/<slug:programme_slug>/aanbesteding/wijzigingsbericht",   "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    return {}
