"""Permission-matrix rows: a person's own data. Every logged-in persona sees the page,
downloads their own data (POST, a ZIP) and may ask to remove their account (an empty POST is
refused with 422: the confirmation box is not ticked, or the person is the only administrator
of their organisation); anonymous visitors are sent to the login page."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                               method   anon edA  viA  admA edB  jb   supX supY pt
    ("account/mijn-gegevens",              "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("account/mijn-gegevens",              "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("account/mijn-gegevens/downloaden",   "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("account/mijn-gegevens/downloaden",   "POST", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("account/verwijderen",                "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("account/verwijderen",                "POST", (302, 422, 422, 422, 422, 422, 422, 422, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    return {}
