"""Permission-matrix rows: moving a supplier's response to the newest questionnaire version."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    # A supplier's own page: the summary of what moving changes (any member reads it) and the
    # move (editors and admins). Supplier X's answers belong to an older version (the project
    # team published another one since): they move; supplier Y has nothing to move (422).
    # Everyone else gets 404, the project team included.
    ("marktconsultaties/<slug:consultation>/antwoorden/nieuwe-versie",   "GET",  (302, 404, 404, 404, 404, 404, 200, 200, 404)),
    ("marktconsultaties/<slug:consultation>/antwoorden/nieuwe-versie",   "POST", (302, 404, 404, 404, 404, 404, 302, 422, 404)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    return {}
