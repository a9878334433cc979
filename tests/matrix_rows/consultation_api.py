"""Permission-matrix rows: The consultation API.

The world's consultation (``mc-test``) is published and open, with a published version 1 and
a draft version 2 of its questionnaire; supplier X has a draft response (``response_id``), in
which the required question ``q1`` is unanswered, and supplier Y has none. Consultations are
public like the programmes; the questionnaire is read by suppliers and the project team; a
supplier reaches only its own response (my-response: an empty PUT body is 400, submitting
X's incomplete response is 400, Y has nothing to read or submit: 404); only the project team
lists and reads responses. Anonymous API callers get 403 (session authentication); a method
a route does not have is 405 for everyone logged in."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("api/v1/consultations",                                              "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations",                                              "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>",                          "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>",                          "DELETE", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire",            "GET",  (403, 404, 404, 404, 404, 404, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire",            "PUT",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions",   "GET",  (403, 404, 404, 404, 404, 404, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions",   "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions/<int:number>", "GET", (403, 404, 404, 404, 404, 404, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions/<int:number>", "DELETE", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "GET",  (403, 404, 404, 404, 404, 404, 200, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "PUT",  (403, 404, 404, 404, 404, 404, 400, 400, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/my-response/submit",       "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/my-response/submit",       "POST", (403, 404, 404, 404, 404, 404, 400, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/responses",                "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/consultations/<slug:consultation>/responses",                "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Supplier X's response: the project team's only; supplier Y (and X itself) get 404.
    ("api/v1/consultations/<slug:consultation>/responses/<uuid:response_id>", "GET", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/consultations/<slug:consultation>/responses/<uuid:response_id>", "PUT", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """Supplier X's response already exists in the world; name it for the API's route."""
    return {"response_id": world["args"]["response"]}
