"""Writes of the core: atomic, audited, side effects on commit."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import competition, outbox
from portal.audit import audit, person_ref
from portal.models import Invitation, Membership, Organisation, Role, User, hash_token
from portal.selectors import can_manage_members


def _mail_invitation_later(*, invitation: Invitation, token: str, base_url: str) -> None:
    """The invitation mail goes through the outbox like every mail: it is stored with the
    invitation and sent after the commit, again by the sweep while the mail server is down. The
    raw token is in the body only until the mail is delivered (the outbox then erases bodies);
    the invitation itself keeps only the token's hash."""
    url = base_url.rstrip("/") + reverse("portal:invitation-accept", args=[token])
    context = {"invitation": invitation, "url": url}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation to join %(organisation)s on the GT portal") % {
            "organisation": invitation.organisation.name
        }
        body = render_to_string("portal/email/invitation.txt", context)
    outbox.mail_later(recipient=invitation.email, subject=subject, body=body)


def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str,
    is_signatory: bool = False,
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite ``email`` into ``organisation``. Returns the invitation and the raw token.

    Only the token's hash is stored; the raw token travels in the mail alone.
    """
    if not can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    competition.check_may_invite(email=email, organisation=organisation)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email,
                role=role,
                is_signatory=is_signatory,
                token_hash=hash_token(token),
                invited_by=actor,
                expires_at=Invitation.default_expiry(),
            )
            audit(
                actor=actor,
                action="invitation.created",
                target=invitation,
                organisation=organisation,
                role=role,
                is_signatory=is_signatory,
            )
            _mail_invitation_later(invitation=invitation, token=token, base_url=base_url)
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("An invitation for this e-mail address is already open.")}
        ) from exc
    return invitation, token


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, actor: User, invitation: Invitation) -> Membership:
    """Turn an open invitation into a membership of the invited (logged-in) user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid."))
    if actor.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that e-mail address.")
            % {"email": invitation.email}
        )
    competition.check_may_join(user=actor, organisation=invitation.organisation)
    membership, created = Membership.objects.get_or_create(
        user=actor,
        organisation=invitation.organisation,
        defaults={"role": invitation.role, "is_signatory": invitation.is_signatory},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(
        actor=actor,
        action="invitation.accepted",
        target=invitation,
        organisation=invitation.organisation,
        membership_created=created,
    )
    return membership


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    if not can_manage_members(user=actor, organisation=invitation.organisation):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at or invitation.accepted_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action="invitation.revoked",
        target=invitation,
        organisation=invitation.organisation,
    )


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove someone from an organisation; the last administrator cannot be removed."""
    organisation = membership.organisation
    if not can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied
    admins = (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if membership.role == Role.ADMIN and list(admins) == [membership.pk]:
        raise ValidationError(
            _("%(name)s is the last administrator. Make someone else administrator first.")
            % {"name": membership.user}
        )
    audit(
        actor=actor,
        action="membership.removed",
        target=membership,
        organisation=organisation,
        user=person_ref(membership.user),
        role=membership.role,
    )
    membership.delete()
