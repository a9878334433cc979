"""What stands in the way of publishing a tender: the frozen figures, complete award criteria,
the legal periods and a generated, current document set. Shown on the team's tender page and
checked again when publication is asked and when it is confirmed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenders.models import PublicationRequest, Tender
from tenders.selectors.documents import document_set_problems
from tenders.selectors.periods import tender_period_blocking
from tenders.services.tender import CriterionData, award_criteria_problems


def publication_problems(*, tender: Tender) -> list[str]:
    problems: list[str] = []
    if not tender.is_draft:
        return [_("The tender has been published already.")]
    snapshot = tender.snapshot
    if not snapshot.is_frozen or tender.programme.frozen_at is None:
        problems.append(
            _("The figures of the tender are no longer frozen: freeze the demand again.")
        )
    criteria = [
        CriterionData(kind=c.kind, name=c.name, weight=c.weight) for c in tender.criteria.all()
    ]
    problems += award_criteria_problems(criteria)
    problems += [
        _("Timeline: %(message)s") % {"message": p.message} for p in tender_period_blocking(tender)
    ]
    problems += document_set_problems(tender=tender)
    return problems


def publication_pending(*, tender: Tender) -> PublicationRequest | None:
    return (
        PublicationRequest.objects.filter(tender=tender, status=PublicationRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
