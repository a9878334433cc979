"""Permission-matrix rows: the tender API.

The world's tender (``reference``) is published (tests/matrix_rows/ocds.py and
tender_public.py), so everyone, anonymous callers included, lists and reads it; nothing can be
posted to either. The actions are the project team's: anonymous callers get 403 (session
authentication), everyone else outside the team 404. For the team (pt is an admin, so may act):
asking to publish a published tender is refused (409); no publication awaits confirmation, so
confirming or cancelling one is 404; the award decision reads JSON only, so the matrix's form
POST is 415 (its JSON refusals are tenders/tests/test_tender_api_write.py's). A method a route
does not have is 405 for everyone logged in."""

from __future__ import annotations

T = "api/v1/tenders/<str:reference>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("api/v1/tenders",                                                    "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/tenders",                                                    "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T,                                                                   "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (T,                                                                   "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T + "/publication",                                                  "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T + "/publication",                                                  "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (T + "/publication/confirm",                                          "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T + "/publication/confirm",                                          "POST", (403, 404, 404, 404, 404, 404, 404, 404, 404)),
    (T + "/publication/cancel",                                           "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T + "/publication/cancel",                                           "POST", (403, 404, 404, 404, 404, 404, 404, 404, 404)),
    (T + "/award-decision",                                               "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (T + "/award-decision",                                               "POST", (403, 404, 404, 404, 404, 404, 404, 404, 415)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """Nothing of its own: the published tender of tender_public.make."""
    return {}
