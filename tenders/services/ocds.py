"""Writes of the tender's open data: a new OCDS release for each event (the publication, each
nota van inlichtingen round, a change notice, the award ...). Releases are stored as published
and never changed; the package lists them all (docs/ocds.md)."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit
from portal.models import User
from tenders.models import OcdsRelease, Tender
from tenders.ocds import OCDS_VERSION, package_errors
from tenders.selectors.ocds import ocds_ocid, ocds_release_build, ocds_release_id

# The release tags an event of the tender may carry (OCDS closed releaseTag codelist).
TAGS = {
    "tender",
    "tenderUpdate",
    "tenderAmendment",
    "tenderCancellation",
    "award",
    "awardUpdate",
    "awardCancellation",
}


@transaction.atomic
def ocds_release_add(*, actor: User | None, tender: Tender, tag: str) -> OcdsRelease:
    """Add the next release of a published tender, built from the tender as it stands now.

    Called by the service of the event (publication: "tender"; a nota van inlichtingen round or
    a later status: "tenderUpdate"; a change notice: "tenderAmendment") inside its own
    transaction; that service has checked who may act. A release that breaks the OCDS schema is
    a fault in the mapping: it raises and nothing is stored."""
    if tag not in TAGS:
        raise ValueError(f"unknown OCDS release tag: {tag}")
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.is_draft:
        raise ValidationError(
            _("Publish the tender first: its open data is published with it, not before.")
        )
    tags = [tag]
    number = (
        OcdsRelease.objects.filter(tender=tender).aggregate(last=Max("number"))["last"] or 0
    ) + 1
    ocid = ocds_ocid(tender=tender)
    release_id = ocds_release_id(ocid=ocid, number=number, tags=tags)
    moment = timezone.now()
    data = ocds_release_build(
        tender=tender, ocid=ocid, release_id=release_id, moment=moment, tags=tags
    )
    errors = package_errors(
        {
            "uri": f"urn:ocid:{ocid}",
            "version": OCDS_VERSION,
            "publishedDate": data["date"],
            "publisher": {"name": "check"},
            "releases": [data],
        }
    )
    if errors:
        raise ValueError(f"the OCDS release breaks the schema: {errors}")
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    release = OcdsRelease.objects.create(
        tender=tender,
        number=number,
        ocid=ocid,
        release_id=release_id,
        date=moment,
        tags=tags,
        data=data,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
        created_by=actor,
    )
    audit(
        actor=actor,
        action="tender.ocds_release_added",
        target=tender.programme,
        release=release_id,
        tags=tags,
    )
    return release
