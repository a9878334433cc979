"""Writes of onboarding: a person asks to join a buying organisation, its administrators (or,
where it has none, the project team) decide, with a mail each way. See
docs/decisions/0025-onboarding.md."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipalities.models import OrganisationJoinRequest
from portal import competition
from portal.audit import audit, person_ref
from portal.models import Membership, Organisation, Role, User
from portal.notifications import notify_addresses, notify_members, notify_project_team
from portal.selectors import can_manage_members

# How many requests one person may have waiting at a time.
MAX_PENDING_REQUESTS = 3
BUYER_KINDS = (
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.JOINT_BODY,
    Organisation.Kind.OTHER_AUTHORITY,
)


def has_admin(organisation: Organisation) -> bool:
    return Membership.objects.filter(
        organisation=organisation, role=Role.ADMIN, user__is_active=True
    ).exists()


def join_request_create(
    *, actor: User, organisation: Organisation, function: str = "", message: str = ""
) -> OrganisationJoinRequest:
    """Ask to join a buying organisation. Its administrators get a mail, or the project team
    where it has none. An open request of the same person is returned as it is."""
    if organisation.kind not in BUYER_KINDS or not organisation.is_active:
        raise ValidationError(_("You can only ask to join an existing buying organisation."))
    if Membership.objects.filter(user=actor, organisation=organisation).exists():
        raise ValidationError(
            _("You are already a member of %(organisation)s.") % {"organisation": organisation}
        )
    competition.check_may_join(user=actor, organisation=organisation)
    existing = OrganisationJoinRequest.objects.filter(
        user=actor, organisation=organisation, status=OrganisationJoinRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    pending = OrganisationJoinRequest.objects.filter(
        user=actor, status=OrganisationJoinRequest.Status.PENDING
    ).count()
    if pending >= MAX_PENDING_REQUESTS:
        raise ValidationError(
            _(
                "You already have %(count)s requests waiting for a decision. Wait for them "
                "before you ask to join another organisation."
            )
            % {"count": pending}
        )
    try:
        with transaction.atomic():
            join_request = OrganisationJoinRequest.objects.create(
                organisation=organisation, user=actor, function=function, message=message
            )
            admin = has_admin(organisation)
            audit(
                actor=actor,
                action="organisation.join_requested",
                target=join_request,
                organisation=organisation,
                decided_by="admins" if admin else "project_team",
            )
            _mail_request(join_request=join_request, to_admins=admin)
    except IntegrityError:
        return OrganisationJoinRequest.objects.get(
            organisation=organisation,
            user=actor,
            status=OrganisationJoinRequest.Status.PENDING,
        )
    return join_request


def _mail_request(*, join_request: OrganisationJoinRequest, to_admins: bool) -> None:
    organisation = join_request.organisation
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s asks to join %(organisation)s on the %(portal)s") % {
            "name": join_request.user.get_full_name(),
            "organisation": organisation.name,
            "portal": settings.PORTAL_NAME,
        }
    context = {
        "join_request": join_request,
        "organisation": organisation,
        "to_admins": to_admins,
        "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("municipalities:join-request-list"),
    }
    template = "municipalities/email/join_request_received.txt"
    if to_admins:
        notify_members(
            organisation=organisation,
            roles=(Role.ADMIN,),
            subject=subject,
            template=template,
            context=context,
        )
    else:
        notify_project_team(subject=subject, template=template, context=context)


@transaction.atomic
def join_request_decide(
    *,
    actor: User,
    join_request: OrganisationJoinRequest,
    approve: bool,
    role: str = Role.EDITOR,
) -> OrganisationJoinRequest:
    """Approve (the person becomes a member with ``role``) or decline a waiting request. The
    organisation's administrators and the project team's editors decide. The person gets a
    mail either way."""
    organisation = join_request.organisation
    if not can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied
    join_request = OrganisationJoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not join_request.is_pending:
        raise ValidationError(_("This request has already been decided."))
    if approve and role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if approve:
        competition.check_may_join(
            user=join_request.user, organisation=organisation, on_behalf=True
        )
        Membership.objects.get_or_create(
            user=join_request.user, organisation=organisation, defaults={"role": role}
        )
    join_request.status = (
        OrganisationJoinRequest.Status.APPROVED
        if approve
        else OrganisationJoinRequest.Status.DECLINED
    )
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.role = role if approve else ""
    join_request.save(update_fields=["status", "decided_by", "decided_at", "role"])
    audit(
        actor=actor,
        action="organisation.join_approved" if approve else "organisation.join_declined",
        target=join_request,
        organisation=organisation,
        user=person_ref(join_request.user),
        role=role if approve else "",
    )
    with translation.override(settings.LANGUAGE_CODE):
        if approve:
            subject = _("Your request to join %(organisation)s was approved")
        else:
            subject = _("Your request to join %(organisation)s was declined")
        subject = subject % {"organisation": organisation.name}
    notify_addresses(
        addresses=[join_request.user.email],
        subject=subject,
        template="municipalities/email/join_request_decided.txt",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "approved": approve,
            "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("portal:home"),
        },
    )
    return join_request


@transaction.atomic
def authority_create(
    *,
    actor: User,
    name: str,
    kind: str,
    cbs_codes: list[str],
    kvk_number: str = "",
    oin: str = "",
) -> Organisation:
    """The project team adds a joint body (with the municipalities it acts for) or another
    contracting authority. All problems are reported at once; nothing is stored then."""
    from django.utils.text import slugify

    from municipalities.models import JointBodyMunicipality, Municipality
    from portal.selectors import require_project_team_editor

    require_project_team_editor(actor)
    errors: dict[str, list[str]] = {}
    if kind not in (Organisation.Kind.JOINT_BODY, Organisation.Kind.OTHER_AUTHORITY):
        errors["kind"] = [_("Choose the kind of organisation.")]
    slug = slugify(name)[:80]
    if not slug:
        errors["name"] = [_("Enter the name of the organisation.")]
    elif Organisation.objects.filter(slug=slug).exists():
        errors["name"] = [_("An organisation with this name already exists.")]
    municipalities = list(
        Municipality.objects.current().filter(cbs_code__in=cbs_codes).select_related(None)
    )
    unknown = sorted(set(cbs_codes) - {m.cbs_code for m in municipalities})
    if unknown:
        errors["cbs_codes"] = [_("Unknown CBS codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif kind == Organisation.Kind.JOINT_BODY and not municipalities:
        errors["cbs_codes"] = [_("Enter the CBS codes of the municipalities it acts for.")]
    elif kind == Organisation.Kind.OTHER_AUTHORITY and municipalities:
        errors["cbs_codes"] = [
            _("Another contracting authority buys for itself: leave the CBS codes empty.")
        ]
    if kind == Organisation.Kind.OTHER_AUTHORITY and not (kvk_number or oin):
        errors["kvk_number"] = [_("Enter the KvK number or the OIN.")]
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(
        slug=slug, name=name, kind=kind, kvk_number=kvk_number, oin=oin
    )
    for municipality in municipalities:
        JointBodyMunicipality.objects.create(joint_body=organisation, municipality=municipality)
    audit(
        actor=actor,
        action="organisation.created",
        target=organisation,
        organisation=organisation,
        kind=kind,
        municipalities=sorted(m.cbs_code for m in municipalities),
    )
    return organisation
