"""Permission-matrix rows: reminding the selected municipalities from the participants
overview, and the selected participants about their demand from the demand overview. The
project team's (404 for everyone else); GET is not allowed; the team's POST reminds (or reports
why not) and goes back to the overview (302)."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    ("programmas/<slug:programme_slug>/deelnemers/herinneren",            "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("programmas/<slug:programme_slug>/deelnemers/herinneren",            "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
    ("programmas/<slug:programme_slug>/inventarisatie/herinneren",        "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("programmas/<slug:programme_slug>/inventarisatie/herinneren",        "POST", (302, 404, 404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on

POSTS: dict[str, dict] = {
    "programmas/<slug:programme_slug>/deelnemers/herinneren": {"gemeente": ["GM0001"]},
    "programmas/<slug:programme_slug>/inventarisatie/herinneren": {
        "deelnemer": ["00000000-0000-0000-0000-000000000001"]
    },
}


def make(world: dict) -> dict:
    return {}
