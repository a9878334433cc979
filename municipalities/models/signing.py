"""Who may bind a participant: the college's decision and the person who signs the mandate,
and the sealed copy of a mandate signed in the portal."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models.participation import MandateSignature, Participation
from portal.models import scan_status_field
from portal.text import SingleLineCharField


def authority_upload_to(instance, filename: str) -> str:
    return f"mandates/{instance.participation.public_id}/besluit-{uuid.uuid4().hex}.pdf"


class SigningAuthority(models.Model):
    """The basis of a mandate (Gemeentewet): the college decides to take part (art. 160) and
    the mayor represents the municipality and signs (art. 171(1)) or designates someone else
    in writing (art. 171(2)). The signer is named and linked to the portal user who may sign;
    the project team checks the decision and the designation before approval.

    This, not the organisation's own "authorised signatory" flag, decides who may sign."""

    class Basis(models.TextChoices):
        MAYOR = "mayor", _("The mayor (Gemeentewet art. 171(1))")
        DESIGNATED = "designated", _("Someone the mayor designated (Gemeentewet art. 171(2))")

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="signing_authority"
    )
    decision_date = models.DateField(_("date of the college's decision"), null=True, blank=True)
    decision_reference = models.CharField(
        _("reference of the college's decision"), max_length=100, blank=True
    )
    decision_file = models.FileField(upload_to=authority_upload_to, blank=True)
    decision_sha256 = models.CharField(max_length=64, blank=True)
    decision_scan_status = scan_status_field()
    decision_scanned_at = models.DateTimeField(null=True, blank=True)
    decision_scanner_version = models.CharField(max_length=100, blank=True)
    basis = models.CharField(_("who signs"), max_length=12, choices=Basis.choices)
    designation_file = models.FileField(upload_to=authority_upload_to, blank=True)
    designation_sha256 = models.CharField(max_length=64, blank=True)
    designation_scan_status = scan_status_field()
    designation_scanned_at = models.DateTimeField(null=True, blank=True)
    designation_scanner_version = models.CharField(max_length=100, blank=True)
    signer_name = SingleLineCharField(_("name of the signer"), max_length=200)
    signer_function = SingleLineCharField(_("function of the signer"), max_length=200)
    # The portal user who may sign in the portal (a member of the participant).
    signer = models.ForeignKey(
        "portal.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("signing authority")
        verbose_name_plural = _("signing authorities")

    def __str__(self) -> str:
        return f"{self.participation}: {self.signer_name}"

    @property
    def is_complete(self) -> bool:
        return bool(
            self.decision_date
            and self.decision_reference
            and self.decision_file
            and self.signer_id
            and (self.basis != self.Basis.DESIGNATED or self.designation_file)
        )

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None


def seal_upload_to(instance, filename: str) -> str:
    participation = instance.signature.participation
    return f"mandates/{participation.public_id}/getekend-{uuid.uuid4().hex}.pdf"


class MandateSeal(models.Model):
    """The stored copy of a mandate signed in the portal: the signed version with a signature
    page appended (who, function, time, SHA-256 of the signed version, two-step
    verification). Made by a task; ``sha256`` is that of this file, not of the signed
    version (which is the signature's own ``sha256``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    signature = models.OneToOneField(
        MandateSignature, on_delete=models.CASCADE, related_name="seal"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=seal_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sealed mandate")
        verbose_name_plural = _("sealed mandates")

    def __str__(self) -> str:
        return f"{self.signature} ({self.status})"
