"""Publishing the tender, with four eyes: one project-team member asks when nothing blocks it,
a second confirms. Publication locks the programme (no unfreeze any more; the demand and the
participations stay frozen) and the tender's figures; later changes go through a change notice.
It records the step, adds the first OCDS release and announces ``tender.published``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit, person_ref
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import Programme, PublicationRequest, Tender, TenderEvent
from tenders.selectors.publication import publication_problems
from tenders.services.ocds import ocds_release_add
from tenders.services.subscriptions import tender_published_announce

P = PublicationRequest.Status


@transaction.atomic
def publication_request(*, actor: User, tender: Tender) -> PublicationRequest:
    require(is_project_team_editor(user=actor))
    tender = (
        Tender.objects.select_for_update().select_related("programme", "snapshot").get(pk=tender.pk)
    )
    problems = publication_problems(tender=tender)
    if problems:
        raise ValidationError(problems)
    if PublicationRequest.objects.filter(tender=tender, status=P.PENDING).exists():
        raise ValidationError(_("Publication has been asked already and awaits confirmation."))
    request = PublicationRequest.objects.create(tender=tender, requested_by=actor)
    audit(actor=actor, action="tender.publication_requested", target=tender.programme)
    return request


@transaction.atomic
def publication_decide(
    *, actor: User, request: PublicationRequest, confirm: bool
) -> PublicationRequest:
    """Confirm (a team member other than the one who asked) or cancel a publication."""
    require(is_project_team_editor(user=actor))
    request = PublicationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != P.PENDING:
        raise ValidationError(_("This publication has already been decided."))
    tender = (
        Tender.objects.select_for_update()
        .select_related("programme", "snapshot")
        .get(pk=request.tender_id)
    )
    now = timezone.now()
    if not confirm:
        request.status, request.decided_by, request.decided_at = P.CANCELLED, actor, now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor=actor, action="tender.publication_cancelled", target=tender.programme)
        return request
    if request.requested_by_id == actor.pk:
        raise ValidationError(
            _(
                "A second member of the project team confirms the publication, not the one "
                "who asked."
            )
        )
    problems = publication_problems(tender=tender)
    if problems:
        raise ValidationError(problems)
    request.status, request.decided_by, request.decided_at = P.CONFIRMED, actor, now
    request.save(update_fields=["status", "decided_by", "decided_at"])
    tender.status = Tender.Status.PUBLISHED
    tender.published_at, tender.published_by = now, actor
    tender.save(update_fields=["status", "published_at", "published_by"])
    Programme.objects.filter(pk=tender.programme_id).update(status=Programme.Status.PUBLISHED)
    TenderEvent.objects.create(tender=tender, status=Tender.Status.PUBLISHED, by=actor, at=now)
    ocds_release_add(actor=actor, tender=tender, tag="tender")
    tender_published_announce(tender=tender, actor=actor)
    audit(
        actor=actor,
        action="tender.published",
        target=tender.programme,
        requested_by=person_ref(request.requested_by),
        snapshot=str(tender.snapshot.public_id),
    )
    return request
