"""Reads of the exports a worker makes for the project team (tenders.services.exports)."""

from __future__ import annotations

import uuid
from typing import Any

from portal import jobs
from portal.tenancy import get_visible_or_404
from tenders.models import Programme, ProgrammeExport


def programme_export_get(
    *, user: Any, programme: Programme, public_id: uuid.UUID
) -> ProgrammeExport:
    """One export of ``programme``: 404 for anyone outside the project team, and for an export
    of another programme."""
    return get_visible_or_404(
        # Not the snapshot's frozen list of every authority (thousands of entries in one JSON
        # column): the page names the snapshot by its time.
        ProgrammeExport.objects.select_related("programme", "snapshot").defer(
            "snapshot__authorities"
        ),
        user,
        programme=programme,
        public_id=public_id,
    )


def programme_export_stuck(*, export: ProgrammeExport) -> bool:
    """Whether the export waits for a worker that will not come (its message or its worker was
    lost): the page offers to try again before the sweep sends it."""
    from tenders.services.exports import EXPORT_JOB

    return jobs.is_lost(EXPORT_JOB, export)
