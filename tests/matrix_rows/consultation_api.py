"""Permission-matrix rows: The consultation API.

The world's consultation (``mc-test``) is published and open, with a published version 1 and
a draft version 2 of its questionnaire; supplier X has a draft response (``response_id``), in
which the required question ``q1`` is unanswered, and supplier Y has none. Consultations are
public like the programmes, and so is their published questionnaire (as on the public page); a
supplier reaches only its own response (my-response: an empty PUT body is 400, submitting
X's incomplete response is 400, Y has nothing to read or submit: 404); only the project team
lists and reads responses. Anonymous API callers get 403 (session authentication); a method
a route does not have is 405 for everyone logged in.

The follow-up parts reuse the other parts' sample objects: ``clarification`` (an open question
of supplier X), ``report`` (finished, not published), ``question_key`` and
``submitted_response`` (an open answer in a third supplier's submitted response) and
``file_question`` (a file in X's response). The published questions and answers and the list
of reports are public like the consultation (the unpublished report is left out of the
list, and its detail is 404 outside the project team); a supplier reads and asks its own
questions; the project team's question list, the report actions and the review are 404 for
everyone else. The consultation is open, so the team's report request and a review are
refused (409 and, with an empty body, 400); unpublishing an unpublished report and retrying
the finished one (only a failed version is retried) are 409.
Talks: ``slot`` is supplier X's talk that took place and has minutes; suppliers and the
project team list talks (404 for everyone else); supplier Y does not see X's booking (404);
X can neither book it again nor cancel it (409), and the project team does not book (403)."""

from __future__ import annotations

C = "api/v1/consultations/<slug:consultation>"
ASK = C + "/my-clarifications"
REQUEST = C + "/clarification-requests/<uuid:clarification>"
REPORT = C + "/reports/<uuid:report>"
REVIEW_ANSWER = C + "/review/answers/<uuid:submitted_response>/<slug:question_key>"
FILE = C + "/my-response/files/<slug:file_question>"
SLOT = C + "/talk-slots/<uuid:slot>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("api/v1/consultations",                                              "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations",                                              "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>",                          "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>",                          "DELETE", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire",            "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire",            "PUT",  (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions",   "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions",   "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions/<int:number>", "GET", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("api/v1/consultations/<slug:consultation>/questionnaire/versions/<int:number>", "DELETE", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "GET",  (403, 404, 404, 404, 404, 404, 200, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "PUT",  (403, 404, 404, 404, 404, 404, 400, 400, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response",              "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("api/v1/consultations/<slug:consultation>/my-response/submit",       "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # By now X's response belongs to an older questionnaire version (the page rows publish a
    # newer one): answering is refused (409) until it is moved; the upgrade shows what changes
    # (200) and wants the version seen (an empty body: 400). Y has no response (404).
    ("api/v1/consultations/<slug:consultation>/my-response/submit",       "POST", (403, 404, 404, 404, 404, 404, 409, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response/upgrade",      "GET",  (403, 404, 404, 404, 404, 404, 200, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/my-response/upgrade",      "POST", (403, 404, 404, 404, 404, 404, 400, 404, 404)),
    ("api/v1/consultations/<slug:consultation>/responses",                "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/consultations/<slug:consultation>/responses",                "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Supplier X's response: the project team's only; supplier Y (and X itself) get 404.
    ("api/v1/consultations/<slug:consultation>/responses/<uuid:response_id>", "GET", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("api/v1/consultations/<slug:consultation>/responses/<uuid:response_id>", "PUT", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # A file answer of the caller's own response: an empty body is 400 (X, and Y, whose
    # first upload would start its response); Y has no file to remove (404).
    (FILE,                                                                "PUT",  (403, 404, 404, 404, 404, 404, 400, 400, 404)),
    (FILE,                                                                "DELETE", (403, 404, 404, 404, 404, 404, 409, 404, 404)),
    (FILE,                                                                "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Clarification questions.
    (C + "/clarifications",                                               "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (C + "/clarifications",                                               "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ASK,                                                                 "GET",  (403, 404, 404, 404, 404, 404, 200, 200, 404)),
    (ASK,                                                                 "POST", (403, 404, 404, 404, 404, 404, 201, 201, 404)),
    (C + "/clarification-requests",                                       "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (C + "/clarification-requests",                                       "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Supplier X's open question: the project team's (X follows it at my-clarifications).
    (REQUEST,                                                             "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REQUEST,                                                             "DELETE", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (REQUEST + "/publish",                                                "POST", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REQUEST + "/publish",                                                "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (REQUEST + "/reject",                                                 "POST", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REQUEST + "/reject",                                                 "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The anonymised report.
    (C + "/reports",                                                      "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (C + "/reports",                                                      "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (REPORT,                                                              "GET",  (404, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REPORT,                                                              "DELETE", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The sample report is done, not failed: retrying it is refused (409).
    (REPORT + "/retry",                                                   "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (REPORT + "/retry",                                                   "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (REPORT + "/publish",                                                 "POST", (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REPORT + "/publish",                                                 "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (REPORT + "/unpublish",                                               "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (REPORT + "/unpublish",                                               "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The review: the project team's alone.
    (C + "/review/questions",                                             "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (C + "/review/questions",                                             "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (C + "/review/questions/<slug:question_key>",                         "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (C + "/review/questions/<slug:question_key>",                         "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (REVIEW_ANSWER,                                                       "GET",  (403, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REVIEW_ANSWER,                                                       "PUT",  (403, 404, 404, 404, 404, 404, 404, 404, 400)),
    (REVIEW_ANSWER,                                                       "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Talks.
    (C + "/talk-slots",                                                   "GET",  (403, 404, 404, 404, 404, 404, 200, 200, 200)),
    (C + "/talk-slots",                                                   "POST", (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (SLOT + "/book",                                                      "POST", (403, 404, 404, 404, 404, 404, 409, 404, 403)),
    (SLOT + "/book",                                                      "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (SLOT + "/cancel",                                                    "POST", (403, 404, 404, 404, 404, 404, 409, 404, 409)),
    (SLOT + "/cancel",                                                    "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {
    ASK: {"question": "Mogen refurbished laptops worden aangeboden?"},
    REQUEST + "/publish": {
        "publicQuestion": "Mogen tablets worden aangeboden?",
        "answer": "Ja, in perceel 2.",
    },
    REQUEST + "/reject": {"reason": "duplicate"},
}


def make(world: dict) -> dict:
    """Supplier X's response already exists in the world; name it for the API's route."""
    return {"response_id": world["args"]["response"]}
