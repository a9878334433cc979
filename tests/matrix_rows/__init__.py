"""Rows of the permission matrix for the market consultation's follow-up parts, one module
per part. Each module has ``ROWS`` (same format as ``MATRIX``), ``POSTS`` (route → form data
for POST requests) and ``make(world) -> dict``, which creates the part's sample objects (of
municipality A's programme and supplier X) and returns the URL arguments that name them."""

from tests.matrix_rows import (
    answer_files,
    change_notice,
    clarifications,
    consultation_api,
    dossier,
    enquiries_pages,
    enquiry_api,
    ocds,
    onboarding,
    participants,
    privacy,
    report,
    response_upgrade,
    review,
    submissions,
    supplier_identity,
    talk_findings,
    talks,
    tender,
    tender_api,
    tender_documents,
    tender_public,
    tender_timeline,
)

MODULES = (
    answer_files,
    change_notice,
    clarifications,
    consultation_api,
    dossier,
    ocds,
    participants,
    privacy,
    report,
    response_upgrade,
    review,
    submissions,
    supplier_identity,
    talk_findings,
    talks,
    tender,
    tender_timeline,
    tender_documents,
    tender_public,
    tender_api,
    enquiries_pages,  # after ocds: it needs the published tender
    enquiry_api,
    onboarding,
)
