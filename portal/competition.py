"""One rule for competitors: a person belongs either to suppliers or to the buying side (the
municipalities, joint bodies, other contracting authorities and the project team), never to
both. Someone on the buying side reads every supplier's consultation response; acting for a
supplier as well would hand that to a competitor.

Every way into an organisation asks this module (registration, invitations, join requests, the
Django admin); the database refuses the rest with a trigger on the membership table (portal
migration 0008). See docs/decisions/0018-competition-and-supplier-identity.md."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.models import Membership, Organisation, User

SUPPLIER = "supplier"
BUYER = "buyer"


def side_of(kind: str) -> str:
    """The side an organisation of this kind is on."""
    return SUPPLIER if kind == Organisation.Kind.SUPPLIER else BUYER


def conflicting_memberships(*, user: Any, kind: str, organisation: Organisation | None = None):
    """The user's memberships on the other side than an organisation of ``kind`` (leaving out
    ``organisation`` itself, whose kind may be changing)."""
    memberships = Membership.objects.filter(user=user)
    if organisation is not None and organisation.pk:
        memberships = memberships.exclude(organisation_id=organisation.pk)
    if side_of(kind) == SUPPLIER:
        return memberships.exclude(organisation__kind=Organisation.Kind.SUPPLIER)
    return memberships.filter(organisation__kind=Organisation.Kind.SUPPLIER)


def separation_message(*, organisation: Organisation, person: Any = None) -> str:
    """Why membership is refused: to the person themselves, or about ``person`` to someone
    deciding on their behalf (an administrator approving a request, the Django admin)."""
    if person is not None:
        if side_of(organisation.kind) == SUPPLIER:
            message = _(
                "%(person)s cannot join %(organisation)s: they are a member of a municipality, "
                "another contracting authority or the project team. Under the competition rules "
                "someone on the buying side may not act for a supplier."
            )
        else:
            message = _(
                "%(person)s cannot join %(organisation)s: they are a member of a supplier. Under "
                "the competition rules someone who acts for a supplier may not be on the buying "
                "side or in the project team."
            )
        return message % {"person": person, "organisation": organisation.name}
    if side_of(organisation.kind) == SUPPLIER:
        return _(
            "You cannot join %(organisation)s: you are a member of a municipality, another "
            "contracting authority or the project team. Under the competition rules someone on "
            "the buying side may not act for a supplier. Nothing has been changed."
        ) % {"organisation": organisation.name}
    return _(
        "You cannot join %(organisation)s: you are a member of a supplier. Under the competition "
        "rules someone who acts for a supplier may not be on the buying side or in the project "
        "team. Nothing has been changed."
    ) % {"organisation": organisation.name}


def may_join(*, user: Any, kind: str, organisation: Organisation | None = None) -> bool:
    """May ``user`` become a member of an organisation of ``kind``?"""
    if user is None or not getattr(user, "pk", None):
        return True
    return not conflicting_memberships(user=user, kind=kind, organisation=organisation).exists()


def check_may_join(*, user: Any, organisation: Organisation, on_behalf: bool = False) -> None:
    """Raise a ValidationError when membership of ``organisation`` would put ``user`` on both
    sides. ``on_behalf``: someone else decides, and the message names the person."""
    if not may_join(user=user, kind=organisation.kind, organisation=organisation):
        raise ValidationError(
            separation_message(organisation=organisation, person=user if on_behalf else None),
            code="competition",
        )


def check_may_invite(*, email: str, organisation: Organisation) -> None:
    """An invitation to someone who could never accept it is refused when it is made."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not may_join(user=user, kind=organisation.kind):
        if side_of(organisation.kind) == SUPPLIER:
            message = _(
                "This person is a member of a municipality, another contracting authority or "
                "the project team and so cannot act for a supplier (competition rules)."
            )
        else:
            message = _(
                "This person is a member of a supplier and so cannot join a buying organisation "
                "or the project team (competition rules)."
            )
        raise ValidationError({"email": message}, code="competition")
