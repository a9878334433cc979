"""Permission-matrix rows: onboarding. Anyone logged in may look for an organisation and ask to
join municipality A (its members are told they already are: 422; suppliers are refused by the
competition rule: 422). Someone outside A asked to join it: A's administrator and the project
team decide, nobody else sees the request. The spreadsheet invitation is the project team's."""

from __future__ import annotations

SEARCH = "aansluiten/"
ASK = "aansluiten/<uuid:join_organisation>"
REQUESTS = "toegangsverzoeken/"
DECIDE = "toegangsverzoeken/<uuid:access_request>/besluiten"
BULK = "uitnodigen-uit-bestand/"
REPORT = "uitnodigen-uit-bestand/<uuid:bulk>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (SEARCH,                                                              "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    (SEARCH,                                                              "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ASK,                                                                 "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    (ASK,                                                                 "POST", (302, 422, 422, 422, 302, 302, 422, 422, 302)),
    (REQUESTS,                                                            "GET",  (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    (REQUESTS,                                                            "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (DECIDE,                                                              "GET",  (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (DECIDE,                                                              "POST", (302, 404, 404, 302, 404, 404, 404, 404, 302)),
    ("organisatie-toevoegen",                                             "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    ("organisatie-toevoegen",                                             "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    # An empty upload is refused next to the field (422).
    (BULK,                                                                "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (BULK,                                                                "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
    (REPORT,                                                              "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (REPORT,                                                              "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {DECIDE: {"decision": "decline"}}


def make(world: dict) -> dict:
    from municipalities.models import BulkInvitation, OrganisationJoinRequest
    from tests.factories import UserFactory

    org_a = world["org_a"]
    join_request = OrganisationJoinRequest.objects.create(
        organisation=org_a, user=UserFactory(email="vraagt@aadorp.nl")
    )
    bulk = BulkInvitation.objects.create(
        created_by=world["personas"]["project_team"].user,
        file_name="contacten.xlsx",
        rows_sent=0,
        rows_refused=1,
        report=[
            {
                "row": 2,
                "cbs_code": "GM9999",
                "name": "",
                "email": "x@example.nl",
                "organisation": "",
                "sent": False,
                "reason": "Onbekend",
            }
        ],
    )
    return {
        "join_organisation": org_a.public_id,
        "access_request": join_request.public_id,
        "bulk": bulk.public_id,
    }
