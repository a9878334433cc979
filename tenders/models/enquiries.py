"""The nota van inlichtingen: questions of suppliers about a published tender and the project
team's answers, published in numbered rounds with four eyes. A question is private to the
asker's organisation and the project team until its round is published; then it is public in
its neutral wording, without the asker (docs/legal/enquiries.md)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenders.models.documents import DocumentVersion, TenderDocument
from tenders.models.ocds import OcdsRelease
from tenders.models.tender import Tender


class EnquiryRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting confirmation")
        PUBLISHED = "published", _("Published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="enquiry_rounds")
    # 1..n per tender, given on publication.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    asked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    ocds_release = models.OneToOneField(
        OcdsRelease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The numbered nota van inlichtingen of this round (version N of the tender's NvI
    # document), requested on publication and rendered by the worker.
    document_version = models.OneToOneField(
        DocumentVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiry_round",
    )
    # The new versions of the documents its answers change, as referred to in the notice.
    changed_versions = models.ManyToManyField(DocumentVersion, blank=True, related_name="+")

    class Meta:
        verbose_name = _("clarification round")
        verbose_name_plural = _("clarification rounds")
        ordering = ["tender", "number", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "number"],
                condition=Q(number__isnull=False),
                name="enquiry_round_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(status="published", number__isnull=False, published_at__isnull=False)
                | (~Q(status="published") & Q(number__isnull=True)),
                name="enquiry_round_number_when_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender}: {self.number or '-'} {self.get_status_display()}"


class Enquiry(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        MERGED = "merged", _("Merged")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="enquiries")
    lot_number = models.PositiveSmallIntegerField(_("lot"), null=True, blank=True)
    section = models.CharField(_("document section"), max_length=200, blank=True)
    question = models.TextField(_("question"))
    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    public_question = models.TextField(_("public wording of the question"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    # The tender document the answer changes: the round is published only once that document
    # has a new version (made by a change notice), which the notice refers to.
    changes_document = models.ForeignKey(
        TenderDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changes the document"),
    )
    round = models.ForeignKey(
        EnquiryRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["tender", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="enquiry_merged_into_when_merged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender}: {self.question[:40]}"
