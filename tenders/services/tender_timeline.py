"""The project team's change of a draft tender's timeline together with the choices that set
the minimum period for bids (electronic submission, a prior information notice). The legal
periods are not a reason to refuse the change: a draft may be incomplete. They are recorded
with the change and shown next to the fields; publication refuses the blocking ones."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from portal.audit import audit
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import Tender
from tenders.selectors.periods import tender_period_problems
from tenders.services.tender import TIMELINE_FIELDS, _require_draft


@transaction.atomic
def tender_timeline_edit(
    *,
    actor: User,
    tender: Tender,
    electronic_submission: bool,
    prior_information_notice_at: date | None,
    contract_start: date | None,
    **moments: datetime | None,
) -> Tender:
    """Set the whole timeline of the draft ``tender`` (every moment; one left out is
    cleared) and its period choices, in one audited change."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    _require_draft(tender)
    unknown = set(moments) - set(TIMELINE_FIELDS)
    if unknown:
        raise ValueError(f"unknown timeline fields: {sorted(unknown)}")
    if any(m is not None and timezone.is_naive(m) for m in moments.values()):
        raise ValueError("timeline moments must be aware datetimes")
    for name in TIMELINE_FIELDS:
        setattr(tender, name, moments.get(name))
    tender.contract_start = contract_start
    tender.electronic_submission = electronic_submission
    tender.prior_information_notice_at = prior_information_notice_at
    tender.save(
        update_fields=[
            *TIMELINE_FIELDS,
            "contract_start",
            "electronic_submission",
            "prior_information_notice_at",
        ]
    )
    problems = tender_period_problems(tender)
    audit(
        actor=actor,
        action="tender.timeline_set",
        target=tender.programme,
        **{
            name: m.isoformat() if (m := getattr(tender, name)) else None
            for name in TIMELINE_FIELDS
        },
        contract_start=contract_start.isoformat() if contract_start else None,
        electronic_submission=electronic_submission,
        prior_information_notice_at=(
            prior_information_notice_at.isoformat() if prior_information_notice_at else None
        ),
        # What the periods looked like after the change, for whoever reviews it later.
        blocking=sorted({f"{p.field}:{p.rule}" for p in problems if p.blocking}),
        warnings=sorted({f"{p.field}:{p.rule}" for p in problems if not p.blocking}),
    )
    return tender
