"""Writes around a programme's dossier: recording who downloaded it."""

from __future__ import annotations

from django.db import transaction

from portal.audit import audit
from portal.models import User
from tenders.models import Programme


@transaction.atomic
def dossier_record_download(*, actor: User, programme: Programme) -> None:
    """The dossier holds the whole audit trail of the programme: who took it is recorded
    before it is made, so the dossier shows its own download."""
    audit(actor=actor, action="programme.dossier_downloaded", target=programme)
