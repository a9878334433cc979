"""The change notice (rectification) of a published tender, with four eyes: one project-team
member asks for it with a reason and the new values, a second confirms. Nothing changes until
then. Confirmation, in one transaction: the legal periods are checked again, the changes are
applied, the notice gets its number, the changed documents get new versions whose change note
names the notice, an OCDS release tagged ``tenderAmendment`` is added, and the confirmed
subscribers are mailed the notice. See docs/legal/change-notice.md."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit import audit, person_ref
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import ChangeNotice, Requirement, Tender
from tenders.models.change import CHANGE_REASON_MAX_LENGTH
from tenders.selectors.change import (
    CHANGEABLE_MOMENTS,
    change_notice_refusal,
    change_text,
    moment_value,
)
from tenders.selectors.periods import moment_label, tender_period_blocking
from tenders.services.documents import documents_request
from tenders.services.ocds import ocds_release_add
from tenders.services.subscriptions import subscribers_notify

N = ChangeNotice.Status


def _require_changeable(tender: Tender) -> None:
    refusal = change_notice_refusal(tender=tender)
    if refusal:
        raise ValidationError(refusal)


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the change: it is published with the notice.")}
        )
    if len(reason) > CHANGE_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Use at most %(max)s characters (you used %(count)s).")
                % {"max": CHANGE_REASON_MAX_LENGTH, "count": len(reason)}
            }
        )
    return reason


def _changes(
    tender: Tender,
    moments: dict[str, datetime | date | None],
    requirements: dict[int, dict[str, str]],
) -> list[dict[str, Any]]:
    """What differs from the tender as it stands, as the notice stores it."""
    unknown = set(moments) - set(CHANGEABLE_MOMENTS)
    if unknown:
        raise ValueError(f"a change notice does not change: {sorted(unknown)}")
    changes: list[dict[str, Any]] = []
    for field in CHANGEABLE_MOMENTS:
        if field not in moments:
            continue
        new = moments[field]
        if isinstance(new, datetime) and timezone.is_naive(new):
            raise ValueError("timeline moments must be aware datetimes")
        old = getattr(tender, field)
        if new != old:
            changes.append(
                {"field": field, "old": moment_value(field, old), "new": moment_value(field, new)}
            )
    current = {r.pk: r for r in tender.requirements.all()}
    errors: dict[str, str] = {}
    for pk, parts in requirements.items():
        requirement = current.get(pk)
        if requirement is None:
            raise ValueError(f"requirement {pk} is not one of the tender's")
        for part in ("text", "level"):
            if part not in parts:
                continue
            new_text = " ".join(parts[part].split()) if part == "level" else parts[part].strip()
            if part == "text" and not new_text:
                errors[f"requirement_{pk}_text"] = _(
                    "Word the requirement as it will appear in the documents."
                )
                continue
            old_text = getattr(requirement, part)
            if new_text != old_text:
                changes.append(
                    {
                        "field": f"requirement.{part}",
                        "requirement": pk,
                        "old": old_text,
                        "new": new_text,
                    }
                )
    if errors:
        raise ValidationError(errors)
    return changes


def _moment_errors(tender: Tender, changes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """A moment that has passed stays as it is, and a moment is not moved into the past."""
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    for change in changes:
        field = change["field"]
        if field not in CHANGEABLE_MOMENTS or field == "contract_start":
            continue
        old = getattr(tender, field)
        new = change["new"] and datetime.fromisoformat(change["new"])
        if old is not None and old <= now:
            errors.setdefault(field, []).append(
                _("“%(moment)s” has passed: it cannot be changed any more.")
                % {"moment": moment_label(field)}
            )
        elif new is None:
            errors.setdefault(field, []).append(
                _("Enter “%(moment)s”: the tender is published with its whole timeline.")
                % {"moment": moment_label(field)}
            )
        elif new <= now:
            errors.setdefault(field, []).append(
                _("“%(moment)s” cannot be moved into the past.") % {"moment": moment_label(field)}
            )
    return errors


def _applied(tender: Tender, changes: list[dict[str, Any]]) -> Tender:
    """A copy of ``tender`` with the changes of its timeline applied (not saved)."""
    changed = copy.copy(tender)
    for change in changes:
        field = change["field"]
        if field == "contract_start":
            changed.contract_start = change["new"] and date.fromisoformat(change["new"])
        elif field in CHANGEABLE_MOMENTS:
            setattr(changed, field, change["new"] and datetime.fromisoformat(change["new"]))
    return changed


def _check(tender: Tender, changes: list[dict[str, Any]]) -> None:
    """Refuse a change that breaks a blocking rule of the legal periods, with its message
    next to the moment it belongs to (the same rules as before publication)."""
    errors = _moment_errors(tender, changes)
    for problem in tender_period_blocking(_applied(tender, changes)):
        field = problem.field if problem.field in CHANGEABLE_MOMENTS else "__all__"
        errors.setdefault(field, []).append(problem.message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_notice_request(
    *,
    actor: User,
    tender: Tender,
    reason: str,
    moments: dict[str, datetime | date | None],
    requirements: dict[int, dict[str, str]] | None = None,
) -> ChangeNotice:
    """Ask for a change notice: ``moments`` the new timeline moments (only the ones given are
    compared), ``requirements`` per requirement its new ``text`` and/or ``level``. Nothing
    changes until a second team member confirms."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=tender.pk)
    _require_changeable(tender)
    reason = _clean_reason(reason)
    changes = _changes(tender, moments, requirements or {})
    if not changes:
        raise ValidationError(_("Nothing changes: enter at least one new value."))
    _check(tender, changes)
    if ChangeNotice.objects.filter(tender=tender, status=N.PENDING).exists():
        raise ValidationError(_("A change notice awaits confirmation: confirm or cancel it first."))
    notice = ChangeNotice.objects.create(
        tender=tender, reason=reason, changes=changes, created_by=actor
    )
    audit(
        actor=actor,
        action="tender.change_notice_requested",
        target=tender.programme,
        notice=str(notice.public_id),
        reason=reason,
        changes=changes,
    )
    return notice


def _apply(tender: Tender, changes: list[dict[str, Any]]) -> None:
    applied = _applied(tender, changes)
    fields = [c["field"] for c in changes if c["field"] in CHANGEABLE_MOMENTS]
    for field in fields:
        setattr(tender, field, getattr(applied, field))
    if fields:
        tender.save(update_fields=fields)
    for change in changes:
        if change["field"].startswith("requirement."):
            part = change["field"].split(".", 1)[1]
            Requirement.objects.filter(pk=change["requirement"], tender=tender).update(
                **{part: change["new"]}
            )


def _still_current(tender: Tender, changes: list[dict[str, Any]]) -> bool:
    """Whether the tender still has the old values the notice was asked on."""
    requirements = {r.pk: r for r in tender.requirements.all()}
    for change in changes:
        field = change["field"]
        if field.startswith("requirement."):
            requirement = requirements.get(change["requirement"])
            if requirement is None or getattr(requirement, field.split(".", 1)[1]) != change["old"]:
                return False
        elif moment_value(field, getattr(tender, field)) != change["old"]:
            return False
    return True


@transaction.atomic
def change_notice_decide(
    *, actor: User, notice: ChangeNotice, confirm: bool, base_url: str | None = None
) -> ChangeNotice:
    """Confirm (a team member other than the one who asked) or cancel a change notice."""
    require(is_project_team_editor(user=actor))
    notice = ChangeNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != N.PENDING:
        raise ValidationError(_("This change notice has already been decided."))
    tender = (
        Tender.objects.select_for_update()
        .select_related("programme", "snapshot")
        .get(pk=notice.tender_id)
    )
    now = timezone.now()
    if not confirm:
        notice.status, notice.decided_by, notice.decided_at = N.CANCELLED, actor, now
        notice.save(update_fields=["status", "decided_by", "decided_at"])
        audit(
            actor=actor,
            action="tender.change_notice_cancelled",
            target=tender.programme,
            notice=str(notice.public_id),
        )
        return notice
    if notice.created_by_id == actor.pk:
        raise ValidationError(
            _(
                "A second member of the project team confirms the change notice, not the one "
                "who asked."
            )
        )
    _require_changeable(tender)
    if not _still_current(tender, notice.changes):
        raise ValidationError(
            _("The tender has changed since this notice was asked: cancel it and ask again.")
        )
    _check(tender, notice.changes)
    _apply(tender, notice.changes)
    last = ChangeNotice.objects.filter(tender=tender).aggregate(n=Max("number"))["n"] or 0
    notice.number = last + 1
    notice.status, notice.decided_by, notice.decided_at = N.CONFIRMED, actor, now
    notice.save(update_fields=["number", "status", "decided_by", "decided_at"])
    with translation.override(settings.LANGUAGE_CODE):  # the documents and mails are Dutch
        label = _("Change notice %(number)s") % {"number": notice.number}
        subject = _("%(label)s for %(tender)s") % {"label": label, "tender": tender.title}
    versions = documents_request(
        actor=actor, tender=tender, change_note=f"{label}: {notice.reason}"
    )
    release = ocds_release_add(actor=actor, tender=tender, tag="tenderAmendment")
    notice.ocds_release = release
    notice.save(update_fields=["ocds_release"])
    mailed = subscribers_notify(
        tender=tender,
        subject=subject,
        template="tenders/email/change_notice.txt",
        context={"notice": notice, "label": label, "changes": change_text(notice)},
        base_url=base_url,
    )
    audit(
        actor=actor,
        action="tender.change_notice_confirmed",
        target=tender.programme,
        notice=str(notice.public_id),
        number=notice.number,
        requested_by=person_ref(notice.created_by),
        versions={v.document.kind: v.number for v in versions},
        release=release.release_id,
        mailed=mailed,
    )
    return notice
