"""Reads of the suppliers app, scoped to the viewer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db.models import Count, QuerySet, Window
from django.http import Http404

from portal import competition
from portal.models import Membership, Organisation
from portal.selectors import organisation_get_for_management
from portal.tenancy import memberships_read
from suppliers.models import JoinRequest, KvkDispute, KvkExtract, SupplierProfile, Verification


def user_supplier_membership(*, user: Any) -> Membership | None:
    """The user's membership of a supplier, if any (a person registers one company)."""
    if not user.is_authenticated:
        return None
    read = memberships_read(user)
    if read is not None:  # a read-only request read them already (decision 0036)
        suppliers = [m for m in read if m.organisation.kind == Organisation.Kind.SUPPLIER]
        return min(suppliers, key=lambda m: m.pk, default=None)
    return (
        Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.SUPPLIER)
        .select_related("organisation")
        .first()
    )


def user_has_buyer_or_team_membership(*, user: Any) -> bool:
    return not competition.may_join(user=user, kind=Organisation.Kind.SUPPLIER)


def supplier_find_existing(
    *, kvk_number: str | None, country: str, foreign_registration_number: str
) -> SupplierProfile | None:
    """The already registered company with this KvK number (or, abroad, with this
    registration number in this country)."""
    profiles = SupplierProfile.objects.select_related("organisation")
    if kvk_number:
        return profiles.filter(kvk_number=kvk_number).first()
    if foreign_registration_number:
        return profiles.filter(
            country=country, foreign_registration_number__iexact=foreign_registration_number
        ).first()
    return None


def supplier_get_for_management(*, user: Any, slug: str) -> Organisation:
    """A supplier the user may manage: 404 if they cannot see it (or it is no supplier),
    403 if they are a member but not an admin."""
    organisation = organisation_get_for_management(user=user, slug=slug)
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return organisation


def join_request_list(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def join_request_get_pending(*, organisation: Organisation, public_id: Any) -> JoinRequest:
    join_request = join_request_list(organisation=organisation).filter(public_id=public_id).first()
    if join_request is None:
        raise Http404
    return join_request


def join_request_get_own(*, user: Any, public_id: Any) -> JoinRequest:
    join_request = (
        JoinRequest.objects.filter(user=user, public_id=public_id)
        .select_related("organisation")
        .first()
        if user.is_authenticated
        else None
    )
    if join_request is None:
        raise Http404
    return join_request


# --- The company's identity -----------------------------------------------------------------

# Addresses anyone can get: they show nothing about the company.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.nl", "live.nl",
        "live.com", "yahoo.com", "yahoo.nl", "icloud.com", "me.com", "ziggo.nl", "kpnmail.nl",
        "planet.nl", "home.nl", "xs4all.nl", "hetnet.nl", "proton.me", "protonmail.com",
        "gmx.com", "gmx.net", "mail.com", "aol.com",
    }
)  # fmt: skip


def website_domain(website: str) -> str:
    """``https://www.example.nl/contact`` → ``example.nl``."""
    website = (website or "").strip().lower()
    if "//" not in website:
        website = "//" + website
    host = (urlsplit(website).hostname or "").rstrip(".")
    return host.removeprefix("www.")


def email_domain_matches(*, email: str, website: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    site = website_domain(website)
    return bool(site) and "." in site and domain == site


def is_public_mail_domain(email: str) -> bool:
    return email.rsplit("@", 1)[-1].strip().lower() in PUBLIC_MAIL_DOMAINS


def supplier_is_verified(*, organisation: Organisation) -> bool:
    """A company registered in the portal counts once it showed its registration. A supplier
    without a registration (made by the project team in the management environment) has
    nothing to show and counts as verified."""
    status = (
        SupplierProfile.objects.filter(organisation=organisation)
        .values_list("verification_status", flat=True)
        .first()
    )
    return status is None or status == Verification.VERIFIED


def supplier_identity(*, organisation: Organisation) -> dict[str, Any]:
    """What the company's pages show about its verification and the next step."""
    profile = SupplierProfile.objects.filter(organisation=organisation).first()
    extracts = list(
        KvkExtract.objects.filter(organisation=organisation).order_by("-uploaded_at")[:5]
    )
    return {
        "profile": profile,
        "verified": profile is None or profile.is_verified,
        "pending_extract": next(
            (e for e in extracts if e.status == KvkExtract.Status.PENDING), None
        ),
        "last_rejected": next(
            (e for e in extracts if e.status == KvkExtract.Status.REJECTED), None
        ),
    }


def supplier_get_for_identity(*, user: Any, slug: str) -> Organisation:
    """A supplier whose identity page the user may see: its members and the project team."""
    organisation = (
        Organisation.objects.visible_to(user)
        .filter(slug=slug, kind=Organisation.Kind.SUPPLIER)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def first_with_total(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows and the number of all rows, in one query (a window count,
    computed before the limit)."""
    rows = list(queryset.annotate(total_rows=Window(Count("id")))[:limit])
    return rows, (rows[0].total_rows if rows else 0)


def extracts_pending() -> QuerySet[KvkExtract]:
    return (
        KvkExtract.objects.filter(status=KvkExtract.Status.PENDING)
        .select_related("organisation__supplier_profile", "uploaded_by")
        .order_by("uploaded_at")
    )


def disputes_open() -> QuerySet[KvkDispute]:
    return (
        KvkDispute.objects.filter(status=KvkDispute.Status.OPEN)
        .select_related("organisation__supplier_profile", "user")
        .order_by("created_at")
    )


def unverified_suppliers() -> QuerySet[SupplierProfile]:
    return (
        SupplierProfile.objects.filter(verification_status=Verification.UNVERIFIED)
        .select_related("organisation")
        .order_by("created_at")
    )
