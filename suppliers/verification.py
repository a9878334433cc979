"""Writes about a supplier's identity: showing its registration (an extract checked by the
project team, or a confirmation link at the company's own e-mail domain) and disputes about a
KvK number someone else registered. Atomic, audited, mail on commit.

See docs/decisions/0018-competition-and-supplier-identity.md."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import competition
from portal.audit import audit
from portal.models import Membership, Organisation, Role, User
from portal.notifications import notify_addresses, notify_members, notify_project_team
from portal.selectors import require_project_team_editor
from portal.uploads import validate_pdf_upload
from portal.virus_scan import scan_upload
from suppliers.models import (
    JoinRequest,
    KvkDispute,
    KvkExtract,
    SupplierProfile,
    Verification,
    VerificationMethod,
)
from suppliers.selectors import email_domain_matches, is_public_mail_domain

DOMAIN_SALT = "suppliers.domain-confirmation"
# A confirmation link is valid this long, and a company may ask this many of them.
DOMAIN_TOKEN_MAX_AGE = 2 * 24 * 3600
DOMAIN_MAILS_MAX = 5
REASON_MAX = 2000


def _require_supplier_writer(*, actor: User, organisation: Organisation) -> SupplierProfile:
    """The company's admins and editors show its registration."""
    if not Membership.objects.filter(
        user=actor, organisation=organisation, role__in=(Role.ADMIN, Role.EDITOR)
    ).exists():
        raise PermissionDenied
    profile = SupplierProfile.objects.select_for_update().filter(organisation=organisation).first()
    if profile is None:
        raise PermissionDenied
    if profile.is_verified:
        raise ValidationError(_("Your company has already been verified."))
    return profile


def _verify(*, profile: SupplierProfile, method: str, by: User | None) -> None:
    profile.verification_status = Verification.VERIFIED
    profile.verification_method = method
    profile.verified_at = timezone.now()
    profile.verified_by = by
    profile.domain_nonce = ""
    profile.save(
        update_fields=[
            "verification_status",
            "verification_method",
            "verified_at",
            "verified_by",
            "domain_nonce",
        ]
    )


def _clean_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > REASON_MAX:
        raise ValidationError(
            {field: [_("Use at most %(count)s characters.") % {"count": REASON_MAX}]}
        )
    return value


# --- (a) An extract checked by the project team ---------------------------------------------


def extract_upload(
    *, actor: User, organisation: Organisation, file, base_url: str = ""
) -> KvkExtract:
    # Who may upload is checked before the file is read.
    if not Membership.objects.filter(
        user=actor, organisation=organisation, role__in=(Role.ADMIN, Role.EDITOR)
    ).exists():
        raise PermissionDenied
    # Scanned before the transaction: the audit event of an infected file must outlive the
    # refusal (portal.virus_scan).
    scan = scan_upload(
        file,
        actor=actor,
        field="file",
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=organisation,
        organisation=organisation,
    )
    content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    try:
        with transaction.atomic():
            _require_supplier_writer(actor=actor, organisation=organisation)
            extract = KvkExtract(
                organisation=organisation,
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=actor,
            )
            scan.apply(extract)
            extract.file.save("kvk-uittreksel.pdf", ContentFile(content), save=False)
            extract.save()
            audit(
                actor=actor,
                action="supplier.extract_uploaded",
                target=extract,
                organisation=organisation,
                sha256=extract.sha256,
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("%(organisation)s uploaded a KvK extract to check") % {
                    "organisation": organisation.name
                }
            notify_project_team(
                subject=subject,
                template="suppliers/email/extract_uploaded.txt",
                context={
                    "organisation": organisation,
                    "url": base_url.rstrip("/") + reverse("suppliers:identity-review"),
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"file": [_("An extract is already waiting for the project team.")]}
        ) from exc
    return extract


@transaction.atomic
def extract_decide(
    *, actor: User, extract: KvkExtract, approve: bool, reason: str = ""
) -> KvkExtract:
    """The project team approves an extract (the company is verified) or rejects it, saying
    why; the company's admins and editors are mailed."""
    require_project_team_editor(actor)
    extract = KvkExtract.objects.select_for_update().get(pk=extract.pk)
    if extract.status != KvkExtract.Status.PENDING:
        raise ValidationError(_("This extract has already been checked."))
    if not approve:
        reason = _clean_text(reason, field="reason", message=_("Say why the extract is rejected."))
    extract.status = KvkExtract.Status.APPROVED if approve else KvkExtract.Status.REJECTED
    extract.reason = (reason or "").strip()[:REASON_MAX]
    extract.decided_by = actor
    extract.decided_at = timezone.now()
    extract.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    organisation = extract.organisation
    if approve:
        profile = SupplierProfile.objects.select_for_update().get(organisation=organisation)
        _verify(profile=profile, method=VerificationMethod.EXTRACT, by=actor)
    audit(
        actor=actor,
        action="supplier.extract_approved" if approve else "supplier.extract_rejected",
        target=extract,
        organisation=organisation,
        reason=extract.reason,
    )
    with translation.override(settings.LANGUAGE_CODE):
        if approve:
            subject = _("%(organisation)s is verified")
        else:
            subject = _("The KvK extract of %(organisation)s was not accepted")
        subject = subject % {"organisation": organisation.name}
    notify_members(
        organisation=organisation,
        subject=subject,
        template="suppliers/email/extract_decided.txt",
        context={"organisation": organisation, "extract": extract, "approved": approve},
    )
    return extract


# --- (b) A confirmation link at the company's e-mail domain ---------------------------------


def domain_confirmation_send(
    *, actor: User, organisation: Organisation, email: str, website: str, base_url: str
) -> None:
    """Mail a link to an address at the company's website domain (the actor's own address
    there will do). Whoever opens it confirms that the company controls that domain."""
    email = (email or "").strip().lower()
    website = (website or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not website:
        errors["website"] = [_("Enter the website of your company, for example www.example.nl.")]
    if "@" not in email or len(email) > 254:
        errors["email"] = [_("Enter an e-mail address, for example name@example.nl.")]
    elif website and not email_domain_matches(email=email, website=website):
        errors["email"] = [_("The e-mail address must be at the domain of your company's website.")]
    elif is_public_mail_domain(email):
        errors["email"] = [
            _(
                "An address at a public mail service does not show who you are. Use your "
                "company's own domain, or upload a KvK extract."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile = _require_supplier_writer(actor=actor, organisation=organisation)
        if profile.domain_mails_sent >= DOMAIN_MAILS_MAX:
            raise ValidationError(
                {
                    "email": [
                        _("Too many confirmation mails were sent. Upload a KvK extract instead.")
                    ]
                }
            )
        profile.website = website[:200]
        profile.domain_email = email
        profile.domain_mails_sent += 1
        profile.domain_nonce = secrets.token_hex(16)
        profile.save(update_fields=["website", "domain_email", "domain_mails_sent", "domain_nonce"])
        token = signing.dumps(
            {"o": str(organisation.public_id), "n": profile.domain_nonce}, salt=DOMAIN_SALT
        )
        audit(
            actor=actor,
            action="supplier.domain_confirmation_sent",
            target=organisation,
            organisation=organisation,
            # The domain, not the address: the audit trail holds no addresses (see
            # docs/decisions/0015-personal-data.md).
            domain=email.rsplit("@", 1)[-1],
            website=website,
        )
        url = base_url.rstrip("/") + reverse("suppliers:domain-confirm", args=[token])
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Confirm that %(organisation)s uses this e-mail address") % {
                "organisation": organisation.name
            }
        notify_addresses(
            addresses=[email],
            subject=subject,
            template="suppliers/email/domain_confirmation.txt",
            context={"organisation": organisation, "url": url, "actor": actor},
        )


def domain_token_profile(*, token: str) -> SupplierProfile | None:
    """The profile a confirmation link is for, while the link is valid (signed, not expired,
    the newest one sent, not used)."""
    try:
        data = signing.loads(token, salt=DOMAIN_SALT, max_age=DOMAIN_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not data.get("n"):
        return None
    return (
        SupplierProfile.objects.select_related("organisation")
        .filter(
            organisation__public_id=data.get("o"),
            domain_nonce=data["n"],
            verification_status=Verification.UNVERIFIED,
        )
        .first()
    )


@transaction.atomic
def domain_confirm(*, token: str, actor: User | None = None) -> SupplierProfile:
    profile = domain_token_profile(token=token)
    if profile is None:
        raise ValidationError(_("This confirmation link is no longer valid."))
    profile = SupplierProfile.objects.select_for_update().get(pk=profile.pk)
    _verify(profile=profile, method=VerificationMethod.EMAIL_DOMAIN, by=None)
    audit(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="supplier.domain_confirmed",
        target=profile.organisation,
        organisation=profile.organisation,
        domain=profile.domain_email.rsplit("@", 1)[-1],
    )
    return profile


# --- Disputes -------------------------------------------------------------------------------


def dispute_create(
    *, actor: User, join_request: JoinRequest, explanation: str, base_url: str = ""
) -> KvkDispute:
    """Someone whose registration found the company already registered says the company did
    not authorise that registration. The project team decides, not the current admins."""
    if join_request.user_id != actor.pk:
        raise PermissionDenied
    explanation = _clean_text(
        explanation,
        field="explanation",
        message=_("Explain why the current registration was not authorised by your company."),
    )
    organisation = join_request.organisation
    try:
        with transaction.atomic():
            dispute = KvkDispute.objects.create(
                organisation=organisation, user=actor, explanation=explanation
            )
            audit(
                actor=actor,
                action="supplier.kvk_disputed",
                target=dispute,
                organisation=organisation,
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("The registration of %(organisation)s is disputed") % {
                    "organisation": organisation.name
                }
            notify_project_team(
                subject=subject,
                template="suppliers/email/dispute_created.txt",
                context={
                    "organisation": organisation,
                    "dispute": dispute,
                    "url": base_url.rstrip("/") + reverse("suppliers:identity-review"),
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"explanation": [_("You have already disputed this registration.")]}
        ) from exc
    return dispute


@transaction.atomic
def dispute_resolve(
    *, actor: User, dispute: KvkDispute, transfer: bool, resolution: str
) -> KvkDispute:
    """Keep the registration, or (the team having checked the disputer's extract) make the
    disputer the company's only administrator: everyone the earlier registrant let in goes,
    the company counts as verified."""
    require_project_team_editor(actor)
    resolution = _clean_text(
        resolution, field="resolution", message=_("Record what was checked and decided.")
    )
    dispute = KvkDispute.objects.select_for_update().select_related("user").get(pk=dispute.pk)
    if dispute.status != KvkDispute.Status.OPEN:
        raise ValidationError(_("This dispute has already been resolved."))
    organisation = dispute.organisation
    removed: list[str] = []
    if transfer:
        competition.check_may_join(user=dispute.user, organisation=organisation, on_behalf=True)
        others = Membership.objects.filter(organisation=organisation).exclude(user=dispute.user)
        removed = sorted(others.values_list("user__email", flat=True))
        others.delete()
        Membership.objects.update_or_create(
            user=dispute.user, organisation=organisation, defaults={"role": Role.ADMIN}
        )
        JoinRequest.objects.filter(
            organisation=organisation, user=dispute.user, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_by=actor, decided_at=timezone.now())
        profile = SupplierProfile.objects.select_for_update().get(organisation=organisation)
        _verify(profile=profile, method=VerificationMethod.DISPUTE, by=actor)
    dispute.status = KvkDispute.Status.TRANSFERRED if transfer else KvkDispute.Status.KEPT
    dispute.resolution = resolution
    dispute.decided_by = actor
    dispute.decided_at = timezone.now()
    dispute.save(update_fields=["status", "resolution", "decided_by", "decided_at"])
    audit(
        actor=actor,
        action="supplier.dispute_resolved",
        target=dispute,
        organisation=organisation,
        status=dispute.status,
        removed=removed,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your dispute about %(organisation)s was resolved") % {
            "organisation": organisation.name
        }
    notify_addresses(
        addresses=[dispute.user.email],
        subject=subject,
        template="suppliers/email/dispute_resolved.txt",
        context={"organisation": organisation, "dispute": dispute},
    )
    return dispute
