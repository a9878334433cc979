"""Permission-matrix rows: the nota van inlichtingen API (the world's tender is published by
tests/matrix_rows/ocds.py and tender_public.py; this module adds an open question of supplier
X and a published round).

The published questions and rounds are anyone's; supplier X's open question only X's and the
project team's (404 for everyone else). Asking is for suppliers' members: the matrix's empty
body is refused next to the question (400), everyone else is refused (403). The team's actions
are 404 outside the team and 403 for anonymous callers (session authentication); for the team
(pt is an admin, so may act) the empty body is bad input (400), there is no answered question
to publish (409) and the published round has been decided (409). A method a route does not
have is 405 for everyone logged in (and for anyone on the public routes)."""

from __future__ import annotations

E = "api/v1/tenders/<str:reference>/enquiries"
R = "api/v1/tenders/<str:reference>/enquiry-rounds"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (E,                                                                   "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (E,                                                                   "POST", (403, 403, 403, 403, 403, 403, 400, 400, 403)),
    (E + "/<uuid:enquiry_id>",                                            "GET",  (404, 404, 404, 404, 404, 404, 200, 404, 200)),
    (E + "/<uuid:enquiry_id>",                                            "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (E + "/<uuid:enquiry_id>/answer",                                     "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (E + "/<uuid:enquiry_id>/answer",                                     "POST", (403, 404, 404, 404, 404, 404, 404, 404, 400)),
    (E + "/<uuid:enquiry_id>/merge",                                      "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (E + "/<uuid:enquiry_id>/merge",                                      "POST", (403, 404, 404, 404, 404, 404, 404, 404, 400)),
    (R,                                                                   "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (R,                                                                   "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (R + "/<uuid:round_id>",                                              "GET",  (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    (R + "/<uuid:round_id>",                                              "POST", (405, 405, 405, 405, 405, 405, 405, 405, 405)),
    (R + "/<uuid:round_id>/confirm",                                      "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (R + "/<uuid:round_id>/confirm",                                      "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
    (R + "/<uuid:round_id>/cancel",                                       "GET",  (403, 405, 405, 405, 405, 405, 405, 405, 405)),
    (R + "/<uuid:round_id>/cancel",                                       "POST", (403, 404, 404, 404, 404, 404, 404, 404, 409)),
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """An open question of supplier X about the world's published tender, and round 1 of the
    nota van inlichtingen, published."""
    from django.utils import timezone

    from tenders.models import Enquiry, EnquiryRound, Tender

    tender = Tender.objects.get(reference=world["args"]["reference"])
    supplier = world["personas"]["supplier_x"]
    enquiry = Enquiry.objects.create(
        tender=tender,
        organisation=supplier.organisation,
        asked_by=supplier.user,
        question="Mogen de laptops 8 GB geheugen hebben?",
    )
    round_ = EnquiryRound.objects.create(
        tender=tender,
        number=1,
        status=EnquiryRound.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    return {"enquiry_id": enquiry.public_id, "round_id": round_.public_id}
