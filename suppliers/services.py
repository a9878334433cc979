"""Writes of the suppliers app: atomic, audited, mail on commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal import competition
from portal.audit import audit, person_ref
from portal.models import Membership, Organisation, Role, User
from portal.notifications import notify_addresses, notify_members
from portal.selectors import can_manage_members
from portal.text import validate_single_line
from suppliers import selectors
from suppliers.models import JoinRequest, SupplierProfile
from suppliers.validators import normalise_postcode, validate_kvk_number, validate_vat_number

# Someone whose request to join is approved becomes an editor: the portal has no way yet to
# change a member's role, and a supplier's staff need to answer the consultation. Editors
# cannot manage colleagues; that stays with the company's admins.
JOIN_REQUEST_ROLE = Role.EDITOR


def clean_registration(
    *,
    name: str,
    kvk_number: str,
    foreign_registration_number: str,
    country: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    vat_number: str,
) -> dict[str, Any]:
    """Check and normalise a company's registration details. Raises one ValidationError naming
    every field that is wrong."""
    errors: dict[str, list[str]] = {}
    country = (country or "").strip().upper()
    data: dict[str, Any] = {
        "name": (name or "").strip(),
        "kvk_number": None,
        "foreign_registration_number": (foreign_registration_number or "").strip(),
        "country": country,
        "street": (street or "").strip(),
        "house_number": (house_number or "").strip(),
        "postcode": (postcode or "").strip(),
        "city": (city or "").strip(),
        "vat_number": "",
    }

    def check(field: str, fn, *args, **kwargs) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            return None

    if not data["name"]:
        errors["name"] = [_("Enter the name of your company.")]
    if len(country) != 2 or not country.isalpha():
        errors["country"] = [_("Choose the country where your company is registered.")]
    if country == "NL":
        if not (kvk_number or "").strip():
            errors["kvk_number"] = [_("Enter the KvK number of your company.")]
        else:
            data["kvk_number"] = check("kvk_number", validate_kvk_number, kvk_number)
        if not data["postcode"]:
            errors["postcode"] = [_("Enter the postcode.")]
        else:
            data["postcode"] = check("postcode", normalise_postcode, data["postcode"])
        data["foreign_registration_number"] = ""
    elif country:
        if (kvk_number or "").strip():
            data["kvk_number"] = check("kvk_number", validate_kvk_number, kvk_number)
        elif not data["foreign_registration_number"]:
            errors["foreign_registration_number"] = [
                _("Enter the registration number of your company in its own country.")
            ]
    for field, message in (
        ("street", _("Enter the street.")),
        ("house_number", _("Enter the house number.")),
        ("city", _("Enter the city.")),
    ):
        if not data[field]:
            errors[field] = [message]
    if (vat_number or "").strip():
        data["vat_number"] = check(
            "vat_number", validate_vat_number, vat_number, country=country or "NL"
        )
    for field in ("name", "foreign_registration_number", "street", "house_number", "city"):
        if field not in errors:
            check(field, validate_single_line, data[field])
    if errors:
        raise ValidationError(errors)
    return data


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "leverancier"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def supplier_register(
    *,
    actor: User,
    name: str,
    kvk_number: str,
    foreign_registration_number: str,
    country: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    vat_number: str,
    base_url: str = "",
) -> Organisation | JoinRequest:
    """Register the actor's company and make the actor its admin; returns the Organisation.

    When the company is already registered (same KvK number, or abroad the same registration
    number in the same country), no second company is made: the actor asks to join the
    existing one instead, its admins get a mail, and the JoinRequest is returned.
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    if selectors.user_supplier_membership(user=actor) is not None:
        raise ValidationError(_("You are already a member of a supplier in this portal."))
    if not competition.may_join(user=actor, kind=Organisation.Kind.SUPPLIER):
        # Competition law: a buyer's or the project team's people may not act for a supplier.
        raise PermissionDenied
    data = clean_registration(
        name=name,
        kvk_number=kvk_number,
        foreign_registration_number=foreign_registration_number,
        country=country,
        street=street,
        house_number=house_number,
        postcode=postcode,
        city=city,
        vat_number=vat_number,
    )
    existing = selectors.supplier_find_existing(
        kvk_number=data["kvk_number"],
        country=data["country"],
        foreign_registration_number=data["foreign_registration_number"],
    )
    if existing is not None:
        return join_request_create(
            actor=actor, organisation=existing.organisation, base_url=base_url
        )
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=data.pop("name"),
                slug=_unique_slug(name),
                kind=Organisation.Kind.SUPPLIER,
            )
            profile = SupplierProfile.objects.create(organisation=organisation, **data)
            Membership.objects.create(user=actor, organisation=organisation, role=Role.ADMIN)
            audit(
                actor=actor,
                action="supplier.registered",
                target=organisation,
                organisation=organisation,
                kvk_number=profile.kvk_number or "",
                country=profile.country,
            )
    except IntegrityError:
        # Someone registered the same KvK number at the same moment: ask to join that one.
        existing = selectors.supplier_find_existing(
            kvk_number=data["kvk_number"],
            country=data["country"],
            foreign_registration_number=data["foreign_registration_number"],
        )
        if existing is None:
            raise
        return join_request_create(
            actor=actor, organisation=existing.organisation, base_url=base_url
        )
    return organisation


def join_request_create(
    *, actor: User, organisation: Organisation, message: str = "", base_url: str = ""
) -> JoinRequest:
    """Ask to join a registered supplier. An open request of the same person is reused."""
    competition.check_may_join(user=actor, organisation=organisation)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                organisation=organisation, user=actor, message=message
            )
            audit(
                actor=actor,
                action="supplier.join_requested",
                target=join_request,
                organisation=organisation,
            )
    except IntegrityError:
        return JoinRequest.objects.get(
            organisation=organisation, user=actor, status=JoinRequest.Status.PENDING
        )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s asks to join %(organisation)s on the GT portal") % {
            "name": actor.get_full_name(),
            "organisation": organisation.name,
        }
    url = base_url.rstrip("/") + reverse("suppliers:join-request-list", args=[organisation.slug])
    notify_members(
        organisation=organisation,
        roles=(Role.ADMIN,),
        subject=subject,
        template="suppliers/email/join_request_received.txt",
        context={"join_request": join_request, "organisation": organisation, "url": url},
    )
    return join_request


@transaction.atomic
def join_request_decide(
    *, actor: User, join_request: JoinRequest, approve: bool, role: str = JOIN_REQUEST_ROLE
) -> JoinRequest:
    """Approve (the requester becomes a member, by default an editor) or decline a pending
    request. Only the company's admins and the project team's editors decide."""
    organisation = join_request.organisation
    if not can_manage_members(user=actor, organisation=organisation):
        raise PermissionDenied
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not join_request.is_pending:
        raise ValidationError(_("This request has already been decided."))
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        competition.check_may_join(
            user=join_request.user, organisation=organisation, on_behalf=True
        )
        Membership.objects.get_or_create(
            user=join_request.user, organisation=organisation, defaults={"role": role}
        )
    audit(
        actor=actor,
        action="supplier.join_approved" if approve else "supplier.join_declined",
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
        template="suppliers/email/join_request_decided.txt",
        context={"join_request": join_request, "organisation": organisation, "approved": approve},
    )
    return join_request
