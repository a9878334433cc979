"""Writes of the points from the 1-on-1 talks (marktgesprekken) that go into the anonymised
report, so that what one supplier told or was told in a talk reaches all (equal treatment,
2014/24/EU art. 40/41). A project-team editor writes a point in neutral words; another
project-team editor approves it; the disclosure check applies at both steps and again when the
report is requested. Atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, TalkFinding
from consultations.selectors.disclosure import consultation_identifiers, disclosure_message
from portal.audit import audit
from portal.models import User
from portal.selectors import require_project_team_editor

MAX_FINDING_LENGTH = 2000


def _neutral_text(consultation: Consultation, text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write the point from the talks.")})
    if len(text) > MAX_FINDING_LENGTH:
        raise ValidationError(
            {
                "text": _("This text can be at most %(max)s characters long.")
                % {"max": MAX_FINDING_LENGTH}
            }
        )
    if findings := consultation_identifiers(consultation=consultation).findings(text):
        raise ValidationError({"text": disclosure_message(findings)}, code="identifying")
    return text


@transaction.atomic
def talk_finding_add(*, actor: User, consultation: Consultation, text: str) -> TalkFinding:
    """Write a point from the talks; it waits for another team member's approval."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.DRAFT:
        raise ValidationError(_("Publish the market consultation before you add points."))
    finding = TalkFinding.objects.create(
        consultation=consultation, text=_neutral_text(consultation, text), written_by=actor
    )
    audit(
        actor=actor,
        action="talk_finding.added",
        target=consultation,
        finding=str(finding.public_id),
    )
    return finding


@transaction.atomic
def talk_finding_approve(*, actor: User, finding: TalkFinding) -> TalkFinding:
    """Approve a point for the report: by another project-team editor than its writer, and
    only when it still names no supplier taking part (the list may have grown)."""
    require_project_team_editor(actor)
    finding = TalkFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.is_approved:
        raise ValidationError(_("This point has already been approved."), code="final")
    if finding.written_by_id == actor.pk:
        raise ValidationError(
            _("Another member of the project team approves this point: you wrote it yourself."),
            code="four_eyes",
        )
    consultation = finding.consultation
    if findings := consultation_identifiers(consultation=consultation).findings(finding.text):
        raise ValidationError(disclosure_message(findings), code="identifying")
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.save(update_fields=["reviewed_by", "reviewed_at"])
    audit(
        actor=actor,
        action="talk_finding.approved",
        target=consultation,
        finding=str(finding.public_id),
    )
    return finding


@transaction.atomic
def talk_finding_remove(*, actor: User, finding: TalkFinding) -> None:
    """Remove a point that has not been approved yet (an approved point may be in a report
    version already; it stays)."""
    require_project_team_editor(actor)
    finding = TalkFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.is_approved:
        raise ValidationError(
            _("An approved point may be in a version of the report; it cannot be removed."),
            code="final",
        )
    public_id = str(finding.public_id)
    consultation = finding.consultation
    finding.delete()
    audit(actor=actor, action="talk_finding.removed", target=consultation, finding=public_id)
