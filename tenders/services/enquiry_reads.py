"""The audit of the project team's reads of the askers of the nota van inlichtingen: every
page and API call that shows questions with the organisation that asked them records one
event (the one write a GET may make), like the reads of a consultation's answers."""

from __future__ import annotations

from portal.audit import audit
from portal.models import User
from tenders.models import Enquiry, Tender


def enquiry_askers_read(
    *, actor: User, tender: Tender, view: str, enquiry: Enquiry | None = None
) -> None:
    audit(
        actor=actor,
        action="enquiry.askers_read",
        target=enquiry if enquiry is not None else tender,
        organisation=enquiry.organisation if enquiry is not None else None,
        tender=tender.reference,
        view=view,
    )
