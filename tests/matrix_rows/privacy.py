"""Permission-matrix rows: a person's own data. Every logged-in persona sees the page,
downloads their own data (POST, a ZIP) and may ask to remove their account (an empty POST is
refused with 422: the confirmation box is not ticked, or the person is the only administrator
of their organisation); anonymous visitors are sent to the login page. Removing someone else
(the viewer of A) is the project team's editors' alone: 404 for everyone else."""

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
    ("personen/<uuid:user_id>/verwijderen", "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("personen/<uuid:user_id>/verwijderen", "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    return {"user_id": str(world["personas"]["viewer_a"].user.public_id)}
