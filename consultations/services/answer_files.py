"""A supplier's file answer uploaded through the API: scanned, then attached in one
transaction with the start (or move) of the response."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from consultations.models import Answer, Consultation
from consultations.services.responses import (
    _require_writer,
    _response_save,
    response_get_or_create,
)
from portal.models import User
from portal.virus_scan import scan_upload
from suppliers.selectors import user_supplier_membership


def answer_file_upload(
    *,
    actor: User,
    consultation: Consultation,
    question_key: str,
    file: UploadedFile,
    upgrade: bool = True,
) -> Answer:
    """Upload (or replace) the file answering one file question, starting the supplier's
    response (moving it to the newest questionnaire version only with ``upgrade``). The file
    is scanned for viruses first, outside the transaction, so that the audit event of an
    infected file stays; then a response started by an upload that is refused is not kept."""
    membership = user_supplier_membership(user=actor)
    if membership is None:
        raise PermissionDenied
    _require_writer(actor=actor, organisation=membership.organisation)
    scan = scan_upload(
        file,
        actor=actor,
        field=question_key,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=consultation,
        organisation=membership.organisation,
    )
    with transaction.atomic():
        response = response_get_or_create(actor=actor, consultation=consultation, upgrade=upgrade)
        _response_save(
            actor=actor,
            response=response,
            answers=None,
            files={question_key: file},
            scans={question_key: scan},
            remove_files=(),
        )
        return response.answers.get(question_key=question_key)
