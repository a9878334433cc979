"""Joining a programme: participation, coverage, contacts and the workflow
draft → submitted → approved | returned → withdrawn."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import ContactPerson, CoveredMunicipality, Municipality, Participation
from municipalities.selectors import (
    can_edit_participation,
    can_join_for,
    covered_elsewhere,
    frozen_reason,
    municipalities_available_to,
)
from municipalities.selectors.signing import approval_problems, mandate_problems
from municipalities.services import signing
from portal.audit import audit
from portal.db import violated_constraint
from portal.models import Organisation, User
from portal.notifications import notify_members, notify_project_team
from portal.selectors import is_project_team_editor
from portal.signals import send_domain_event
from portal.tenancy import require

S = Participation.Status


def _require_joining_open(*, actor: User, programme: Any) -> None:
    deadline = programme.joining_deadline
    if deadline is not None and deadline <= timezone.now() and not actor.is_project_team:
        raise ValidationError(
            _("The joining deadline has passed. Contact the project team to still join.")
        )


def _set_coverage(*, participation: Participation, municipalities: list[Municipality]) -> None:
    """Replace the covered municipalities. The database refuses a municipality that another
    active participation of the same programme already covers."""
    if not municipalities:
        raise ValidationError({"municipalities": _("Choose at least one municipality.")})
    taken = covered_elsewhere(participation=participation, municipalities=municipalities)
    if taken:
        raise ValidationError(
            {
                "municipalities": [
                    _("%(municipality)s already takes part through %(organisation)s.")
                    % {"municipality": m, "organisation": org}
                    for m, org in taken
                ]
            }
        )
    _void_signature_on_change(participation=participation, municipalities=municipalities)
    participation.covered.all().delete()
    try:
        with transaction.atomic():
            CoveredMunicipality.objects.bulk_create(
                [
                    CoveredMunicipality(
                        participation=participation,
                        municipality=m,
                        programme_id=participation.programme_id,
                    )
                    for m in municipalities
                ]
            )
    except IntegrityError as exc:  # a concurrent participation took one first
        if violated_constraint(exc) != "municipality_covered_once_per_programme":
            raise
        raise ValidationError(
            {
                "municipalities": _(
                    "One of these municipalities was just registered by another participant."
                )
            }
        ) from exc


def _void_signature_on_change(
    *, participation: Participation, municipalities: list[Municipality]
) -> None:
    """The signed mandate names the municipalities it covers: a change voids the signature
    (the row stays as evidence) and asks for a new version."""
    before = set(
        participation.covered.filter(is_active=True).values_list("municipality_id", flat=True)
    )
    if before and before != {m.pk for m in municipalities}:
        signing.mandate_void(
            participation=participation, reason=_("the municipalities covered changed")
        )


def _set_contacts(*, participation: Participation, contacts: dict[str, dict]) -> None:
    participation.contacts.all().delete()
    ContactPerson.objects.bulk_create(
        [
            ContactPerson(participation=participation, kind=kind, **data)
            for kind, data in contacts.items()
            if data.get("name") and data.get("email")
        ]
    )


def _check_own_staff(
    *, organisation: Organisation, own_staff: bool, seat_municipality: Municipality | None
) -> bool:
    """A joint body may join for its own staff (when its municipalities join themselves); an
    other contracting authority (a deelneming) always does. Its demand is recorded under the
    municipality where it is established."""
    if organisation.kind == Organisation.Kind.OTHER_AUTHORITY:
        own_staff = True
    elif organisation.kind != Organisation.Kind.JOINT_BODY:
        own_staff = False
    if own_staff and seat_municipality is None:
        raise ValidationError(
            {
                "seat_municipality": _(
                    "Choose the municipality where your organisation is established."
                )
            }
        )
    if own_staff and not (organisation.oin or organisation.kvk_number):
        raise ValidationError(
            _(
                "%(organisation)s joins in its own right: its OIN or KvK number is needed to "
                "name it in the framework agreement. Ask the project team to record it."
            )
            % {"organisation": organisation}
        )
    return own_staff


def _check_municipalities(*, organisation: Organisation, municipalities) -> list[Municipality]:
    allowed = set(
        municipalities_available_to(organisation=organisation).values_list("pk", flat=True)
    )
    chosen = list(municipalities)
    if any(m.pk not in allowed for m in chosen):
        raise ValidationError(
            {
                "municipalities": _(
                    "You can only register municipalities your organisation acts for."
                )
            }
        )
    return chosen


@transaction.atomic
def participation_create(
    *,
    actor: User,
    programme: Any,
    organisation: Organisation,
    municipalities,
    contacts: dict[str, dict],
    current_contract_end: date | None = None,
    lots=(),
    remarks: str = "",
    own_staff: bool = False,
    seat_municipality: Municipality | None = None,
) -> Participation:
    if not can_join_for(user=actor, organisation=organisation):
        raise PermissionDenied
    _require_joining_open(actor=actor, programme=programme)
    own_staff = _check_own_staff(
        organisation=organisation, own_staff=own_staff, seat_municipality=seat_municipality
    )
    chosen = (
        []
        if own_staff
        else _check_municipalities(organisation=organisation, municipalities=municipalities)
    )
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                programme=programme,
                organisation=organisation,
                current_contract_end=current_contract_end,
                remarks=remarks,
                own_staff=own_staff,
                seat_municipality=seat_municipality if own_staff else None,
                created_by=actor,
            )
    except IntegrityError as exc:
        if violated_constraint(exc) != "participation_one_active_per_organisation":
            raise
        raise ValidationError(
            _("%(organisation)s already takes part in this programme.")
            % {"organisation": organisation}
        ) from exc
    participation.lots.set(lots)
    if not own_staff:
        _set_coverage(participation=participation, municipalities=chosen)
    _set_contacts(participation=participation, contacts=contacts)
    audit(
        actor=actor,
        action="participation.created",
        target=participation,
        organisation=organisation,
        municipalities=[m.cbs_code for m in chosen],
    )
    return participation


@transaction.atomic
def participation_update(
    *,
    actor: User,
    participation: Participation,
    municipalities,
    contacts: dict[str, dict],
    current_contract_end: date | None = None,
    lots=(),
    remarks: str = "",
) -> Participation:
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not can_edit_participation(user=actor, participation=participation):
        raise PermissionDenied
    _require_not_frozen(participation)
    if not participation.is_editable:
        raise ValidationError(_("This registration can no longer be changed."))
    chosen = (
        []
        if participation.own_staff
        else _check_municipalities(
            organisation=participation.organisation, municipalities=municipalities
        )
    )
    participation.current_contract_end = current_contract_end
    participation.remarks = remarks
    participation.save(update_fields=["current_contract_end", "remarks", "updated_at"])
    participation.lots.set(lots)
    if not participation.own_staff:
        _set_coverage(participation=participation, municipalities=chosen)
    _set_contacts(participation=participation, contacts=contacts)
    audit(
        actor=actor,
        action="participation.updated",
        target=participation,
        organisation=participation.organisation,
    )
    return participation


def submission_problems(*, participation: Participation) -> list[str]:
    """What still has to be done before the participation can be submitted."""
    problems = []
    if not participation.own_staff and not participation.covered.exists():
        problems.append(_("Choose at least one municipality."))
    if not participation.contacts.filter(kind=ContactPerson.Kind.PROCUREMENT).exists():
        problems.append(_("Enter a contact person for procurement."))
    problems.extend(mandate_problems(participation=participation))
    return problems


def _require_not_frozen(participation: Participation) -> None:
    reason = frozen_reason(programme=participation.programme)
    if reason:
        raise ValidationError(reason, code="frozen")


def _transition(*, participation: Participation, allowed: tuple, to: str) -> Participation:
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    _require_not_frozen(participation)
    if participation.status not in allowed:
        raise ValidationError(
            _("This is not possible while the registration is %(status)s.")
            % {"status": participation.get_status_display().lower()}
        )
    participation.status = to
    return participation


@transaction.atomic
def participation_submit(*, actor: User, participation: Participation) -> Participation:
    if not can_edit_participation(user=actor, participation=participation):
        raise PermissionDenied
    problems = submission_problems(participation=participation)
    if problems:
        raise ValidationError(problems)
    participation = _transition(
        participation=participation, allowed=Participation.EDITABLE, to=S.SUBMITTED
    )
    participation.submitted_at = timezone.now()
    participation.return_reason = ""
    participation.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
    audit(
        actor=actor,
        action="participation.submitted",
        target=participation,
        organisation=participation.organisation,
    )
    notify_project_team(
        subject=_("New registration: %(organisation)s")
        % {"organisation": participation.organisation},
        template="municipalities/email/submitted.txt",
        context={"participation": participation},
    )
    send_domain_event("participation.submitted", instance=participation, actor=actor)
    return participation


def _require_project_team_editor(actor: User) -> None:
    require(is_project_team_editor(user=actor))


@transaction.atomic
def participation_approve(*, actor: User, participation: Participation) -> Participation:
    _require_project_team_editor(actor)
    participation = _transition(participation=participation, allowed=(S.SUBMITTED,), to=S.APPROVED)
    # The decision, the designation and the signature must have been checked (Gemeentewet
    # art. 160 and 171): a registration without them does not bind the participant.
    problems = approval_problems(participation=participation)
    if problems:
        raise ValidationError(problems)
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "decided_at", "updated_at"])
    audit(
        actor=actor,
        action="participation.approved",
        target=participation,
        organisation=participation.organisation,
    )
    notify_members(
        organisation=participation.organisation,
        subject=_("Your registration for %(programme)s has been approved")
        % {"programme": participation.programme},
        template="municipalities/email/approved.txt",
        context={"participation": participation},
    )
    send_domain_event("participation.approved", instance=participation, actor=actor)
    return participation


@transaction.atomic
def participation_return(
    *, actor: User, participation: Participation, reason: str
) -> Participation:
    _require_project_team_editor(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Explain why the registration is returned.")})
    participation = _transition(
        participation=participation, allowed=(S.SUBMITTED, S.APPROVED), to=S.RETURNED
    )
    participation.return_reason = reason.strip()
    participation.decided_at = timezone.now()
    participation.save(update_fields=["status", "return_reason", "decided_at", "updated_at"])
    audit(
        actor=actor,
        action="participation.returned",
        target=participation,
        organisation=participation.organisation,
        reason=participation.return_reason,
    )
    notify_members(
        organisation=participation.organisation,
        subject=_("Your registration for %(programme)s needs changes")
        % {"programme": participation.programme},
        template="municipalities/email/returned.txt",
        context={"participation": participation},
    )
    send_domain_event("participation.returned", instance=participation, actor=actor)
    return participation


@transaction.atomic
def participation_withdraw(
    *, actor: User, participation: Participation, reason: str = ""
) -> Participation:
    """Free until the demand is frozen, for the participant's editors and the project team;
    refused while it is frozen (the frozen list names the participant)."""
    programme = participation.programme
    _require_not_frozen(participation)
    if not (
        can_edit_participation(user=actor, participation=participation)
        or is_project_team_editor(user=actor)
    ):
        raise PermissionDenied
    participation = _transition(
        participation=participation,
        allowed=(S.DRAFT, S.SUBMITTED, S.APPROVED, S.RETURNED),
        to=S.WITHDRAWN,
    )
    participation.withdrawal_reason = reason.strip()
    participation.withdrawn_at = timezone.now()
    participation.save(update_fields=["status", "withdrawal_reason", "withdrawn_at", "updated_at"])
    participation.covered.update(is_active=False)
    audit(
        actor=actor,
        action="participation.withdrawn",
        target=participation,
        organisation=participation.organisation,
        reason=participation.withdrawal_reason,
    )
    notify_members(
        organisation=participation.organisation,
        subject=_("Registration for %(programme)s withdrawn") % {"programme": programme},
        template="municipalities/email/withdrawn.txt",
        context={"participation": participation},
    )
    notify_project_team(
        subject=_("Registration withdrawn: %(organisation)s")
        % {"organisation": participation.organisation},
        template="municipalities/email/withdrawn.txt",
        context={"participation": participation},
    )
    send_domain_event("participation.withdrawn", instance=participation, actor=actor)
    return participation
