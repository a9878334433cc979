"""Supplier companies are portal Organisations of kind "supplier". Their registration details
(KvK number, address, VAT number) live in SupplierProfile; people who want to join an already
registered company file a JoinRequest that the company's admins decide on."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, ScannedFile
from portal.text import SingleLineCharField


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    VERIFIED = "verified", _("Verified")


class VerificationMethod(models.TextChoices):
    EXTRACT = "extract", _("KvK extract checked by the project team")
    EMAIL_DOMAIN = "email_domain", _("Confirmed at the company's e-mail domain")
    DISPUTE = "dispute", _("Dispute resolved by the project team")
    EXISTING = "existing", _("Registered before verification was required")


class SupplierProfile(models.Model):
    """Registration details of a supplier. Dutch companies have a KvK number (unique: it is how
    we recognise a company that registers twice); foreign companies have a registration number
    of their own country instead."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        limit_choices_to={"kind": Organisation.Kind.SUPPLIER},
    )
    kvk_number = models.CharField(_("KvK number"), max_length=8, unique=True, null=True, blank=True)
    foreign_registration_number = SingleLineCharField(
        _("foreign registration number"), max_length=50, blank=True
    )
    country = models.CharField(_("country"), max_length=2, default="NL")
    street = SingleLineCharField(_("street"), max_length=200)
    house_number = SingleLineCharField(_("house number"), max_length=20)
    postcode = SingleLineCharField(_("postcode"), max_length=20, blank=True)
    city = SingleLineCharField(_("city"), max_length=100)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A company registered in the portal is unverified until it has shown its registration: an
    # extract checked by the project team, or a confirmation link at the company's own e-mail
    # domain. An unverified company prepares its answers but cannot submit them.
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    verification_method = models.CharField(
        _("verified by"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The confirmation by e-mail: the address it was sent to, how many were sent (a bound)
    # and a nonce that makes each link valid once (the signed token carries it).
    website = models.CharField(_("website"), max_length=200, blank=True)
    domain_email = models.EmailField(_("e-mail address at the company's domain"), blank=True)
    domain_mails_sent = models.PositiveSmallIntegerField(default=0)
    domain_nonce = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__isnull=True) | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="supplierprofile_kvk_number_8_digits",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="supplierprofile_country_alpha2",
            ),
            # A company is identified either by its KvK number or by a foreign registration
            # number together with the country that issued it.
            models.CheckConstraint(
                condition=Q(kvk_number__isnull=False)
                | (~Q(foreign_registration_number="") & ~Q(country="NL")),
                name="supplierprofile_kvk_or_foreign_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.kvk_number or self.foreign_registration_number})"

    @property
    def is_verified(self) -> bool:
        return self.verification_status == Verification.VERIFIED


class JoinRequest(models.Model):
    """A person asks to become a member of an already registered supplier."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def extract_upload_to(instance, filename: str) -> str:
    return f"kvk-extracts/{instance.organisation.public_id}/{uuid.uuid4().hex}.pdf"


class KvkExtract(ScannedFile):
    """An extract from the trade register a supplier uploaded to show who it is; the project
    team approves it (the company is then verified) or rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the project team")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kvk_extracts"
    )
    file = models.FileField(upload_to=extract_upload_to)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KvK extract")
        verbose_name_plural = _("KvK extracts")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="kvkextract_one_pending_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.status})"


class KvkDispute(models.Model):
    """Someone registering a company already in the portal says that company did not authorise
    the current registration. It goes to the project team, not to the current admins; the team
    keeps the registration or, having checked an extract, makes the disputer its admin."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Registration kept")
        TRANSFERRED = "transferred", _("Administration transferred")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kvk_disputes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kvk_disputes"
    )
    explanation = models.TextField(_("explanation"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField(_("resolution"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KvK dispute")
        verbose_name_plural = _("KvK disputes")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="open"),
                name="kvkdispute_one_open_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ↯ {self.organisation} ({self.status})"
