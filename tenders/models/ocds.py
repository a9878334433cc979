"""The tender's open data: each OCDS release as it was published. A release is never changed
after it is stored; a later event adds a new one, and the package lists them all."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.tender import Tender


class OcdsRelease(models.Model):
    """One OCDS release of a tender (publication, a nota van inlichtingen round, a change
    notice, the award ...): its id, date, tags and the release JSON exactly as published."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="ocds_releases")
    number = models.PositiveIntegerField(_("number"))
    ocid = models.CharField(_("Open Contracting ID"), max_length=100)
    release_id = models.CharField(_("release id"), max_length=160, unique=True)
    date = models.DateTimeField(_("date"), default=timezone.now)
    tags = models.JSONField(_("tags"), default=list)
    data = models.JSONField(_("release"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="ocds_release_unique_number")
        ]

    def __str__(self) -> str:
        return self.release_id

    def save(self, *args, **kwargs) -> None:
        # Published open data is history: a correction is a new release, never an edit.
        if not self._state.adding:
            raise ValidationError("An OCDS release never changes once stored.")
        super().save(*args, **kwargs)
