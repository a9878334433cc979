"""Writes of the market consultation: the consultation, its documents and its questionnaire.
Atomic, audited, and for project-team editors only."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from consultations.models import (
    Consultation,
    ConsultationDocument,
    Question,
    QuestionnaireVersion,
    QuestionSection,
)
from consultations.selectors.consultation import questionnaire_published_versions
from consultations.services import announcements
from portal.audit import audit
from portal.models import User
from portal.selectors import require_project_team_editor
from portal.uploads import validate_pdf_upload
from portal.virus_scan import ScanResult, scan_upload
from tenders.models import Programme

T = Question.Type
MAX_OPTIONS = 50


def _check_period(*, opens_at: datetime, closes_at: datetime) -> None:
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("opens_at and closes_at must be aware datetimes")
    if closes_at <= opens_at:
        raise ValidationError({"closes_date": _("The closing date must be after the opening.")})


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "marktconsultatie")[:70]
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def consultation_create(
    *,
    actor: User,
    programme: Programme,
    title: str,
    introduction: str = "",
    opens_at: datetime,
    closes_at: datetime,
    slug: str = "",
) -> Consultation:
    """A draft consultation with an empty draft questionnaire (version 1)."""
    require_project_team_editor(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the title of the market consultation.")})
    _check_period(opens_at=opens_at, closes_at=closes_at)
    if slug and Consultation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short name is already in use; choose another.")})
    consultation = Consultation.objects.create(
        programme=programme,
        slug=slug or _unique_slug(title),
        title=title,
        introduction=(introduction or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    QuestionnaireVersion.objects.create(consultation=consultation, number=1)
    audit(actor=actor, action="consultation.created", target=consultation, slug=consultation.slug)
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor: User,
    consultation: Consultation,
    title: str,
    introduction: str = "",
    opens_at: datetime,
    closes_at: datetime,
    base_url: str = "",
) -> Consultation:
    """Change the announcement. A changed closing time of a published consultation is mailed
    to every supplier taking part (equal treatment)."""
    require_project_team_editor(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the title of the market consultation.")})
    _check_period(opens_at=opens_at, closes_at=closes_at)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.CLOSED:
        raise ValidationError(_("A closed market consultation cannot be changed."))
    previous_close = consultation.closes_at
    consultation.title = title
    consultation.introduction = (introduction or "").strip()
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.save(update_fields=["title", "introduction", "opens_at", "closes_at"])
    moved = closes_at != previous_close
    mailed = 0
    if moved and consultation.status == Consultation.Status.PUBLISHED:
        mailed = announcements.closing_time_changed(
            consultation=consultation, previous=previous_close, base_url=base_url
        )
    audit(
        actor=actor,
        action="consultation.updated",
        target=consultation,
        closes_at=closes_at.isoformat(),
        previous_closes_at=previous_close.isoformat() if moved else None,
        suppliers_mailed=mailed,
    )
    return consultation


@transaction.atomic
def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Announce the consultation publicly; it needs a published questionnaire version."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.DRAFT:
        raise ValidationError(_("This market consultation has already been published."))
    if not questionnaire_published_versions(consultation=consultation).exists():
        raise ValidationError(
            _("Publish a version of the questionnaire before you publish the consultation.")
        )
    consultation.status = Consultation.Status.PUBLISHED
    consultation.save(update_fields=["status"])
    audit(actor=actor, action="consultation.published", target=consultation)
    return consultation


@transaction.atomic
def consultation_close(*, actor: User, consultation: Consultation) -> Consultation:
    """Close a published consultation after its deadline: responses, questions and bookings
    are locked from then on, and the review and the anonymised report can start."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.CLOSED:
        return consultation  # idempotent
    if consultation.status != Consultation.Status.PUBLISHED:
        raise ValidationError(_("Only a published market consultation can be closed."))
    if timezone.now() < consultation.closes_at:
        raise ValidationError(
            _("The market consultation can be closed after its deadline has passed.")
        )
    consultation.status = Consultation.Status.CLOSED
    consultation.closed_at = timezone.now()
    consultation.closed_by = actor
    consultation.save(update_fields=["status", "closed_at", "closed_by"])
    audit(actor=actor, action="consultation.closed", target=consultation)
    return consultation


def document_upload(
    *, actor: User, consultation: Consultation, title: str, file
) -> ConsultationDocument:
    """Add a PDF (scanned for viruses, checked by content and size, not by name) with its
    SHA-256; not to a closed consultation, whose announcement no longer changes."""
    require_project_team_editor(actor)
    scan = scan_upload(
        file,
        actor=actor,
        field="file",
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=consultation,
    )
    return _document_upload(
        actor=actor, consultation=consultation, title=title, file=file, scan=scan
    )


@transaction.atomic
def _document_upload(
    *, actor: User, consultation: Consultation, title: str, file, scan: ScanResult
) -> ConsultationDocument:
    require_project_team_editor(actor)
    if consultation.status == Consultation.Status.CLOSED:
        raise ValidationError(_("A closed market consultation cannot be changed."))
    errors: dict[str, Any] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Enter the title of the document.")
    try:
        content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        errors["file"] = exc.messages
        content = b""
    if errors:
        raise ValidationError(errors)
    document = ConsultationDocument(
        consultation=consultation,
        title=title,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
    )
    scan.apply(document)
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    audit(
        actor=actor,
        action="consultation.document_uploaded",
        target=consultation,
        document=str(document.public_id),
        sha256=document.sha256,
    )
    return document


# --- Questionnaire ---------------------------------------------------------------------------


def _lock_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(
            _("This version has been published and cannot be changed. Start a new version.")
        )
    return version


def _check_key(key: str, *, taken, field: str = "key") -> str:
    key = (key or "").strip()
    if key != slugify(key) or not key:
        raise ValidationError(
            {field: _("Use only lower-case letters, digits and hyphens for the key.")}
        )
    if taken.filter(key=key).exists():
        raise ValidationError({field: _("This key is already used in this version.")})
    return key


@transaction.atomic
def section_add(
    *, actor: User, version: QuestionnaireVersion, title: str, key: str = ""
) -> QuestionSection:
    require_project_team_editor(actor)
    version = _lock_draft(version)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the title of the section.")})
    key = _check_key(key or slugify(title)[:60], taken=version.sections.all())
    order = (version.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    section = QuestionSection.objects.create(version=version, key=key, title=title, order=order)
    audit(
        actor=actor,
        action="questionnaire.section_added",
        target=version.consultation,
        version=version.number,
        key=key,
    )
    return section


def _clean_options(options) -> list[str]:
    seen: list[str] = []
    for option in options or []:
        option = str(option).strip()
        if option and option not in seen:
            seen.append(option)
    return seen


def _validate_question(
    *, type: str, text: str, options, max_length, unit: str, categories
) -> tuple[list[str], int | None, str, list]:
    """The per-type rules; returns the cleaned options, max length, unit and categories."""
    errors: dict[str, str] = {}
    if type not in T.values:
        errors["type"] = _("Choose the type of question.")
    if not (text or "").strip():
        errors["text"] = _("Enter the question.")
    options = _clean_options(options) if type in Question.CHOICE_TYPES else []
    if type in Question.CHOICE_TYPES and len(options) < 2:
        errors["options"] = _("Enter at least two options, one per line.")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("Enter at most %(max)s options.") % {"max": MAX_OPTIONS}
    if type == T.LONG_TEXT:
        if not max_length or max_length < 1:
            errors["max_length"] = _("Enter the maximum number of characters of the answer.")
    else:
        max_length = None
    unit = (unit or "").strip() if type == T.NUMBER else ""
    categories = list(categories or []) if type == T.PRICE_PER_ITEM else []
    if type == T.PRICE_PER_ITEM and not categories:
        errors["categories"] = _("Choose at least one catalogue category to ask a price for.")
    if errors:
        raise ValidationError(errors)
    return options, max_length, unit, categories


@transaction.atomic
def question_add(
    *,
    actor: User,
    version: QuestionnaireVersion,
    section: QuestionSection,
    type: str,
    text: str,
    key: str = "",
    help_text: str = "",
    required: bool = True,
    options=None,
    max_length: int | None = None,
    unit: str = "",
    categories=None,
) -> Question:
    """Add a question to a draft version, validated for its type: choice types need two
    options or more, long text a maximum length, a price per item at least one category."""
    require_project_team_editor(actor)
    version = _lock_draft(version)
    if section.version_id != version.pk:
        raise ValidationError({"section": _("Choose a section of this version.")})
    options, max_length, unit, categories = _validate_question(
        type=type,
        text=text,
        options=options,
        max_length=max_length,
        unit=unit,
        categories=categories,
    )
    if not key:
        existing = set(version.questions.values_list("key", flat=True))
        n = version.questions.count() + 1
        while f"q{n}" in existing:
            n += 1
        key = f"q{n}"
    key = _check_key(key, taken=version.questions.all())
    order = (section.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    question = Question.objects.create(
        version=version,
        section=section,
        key=key,
        type=type,
        text=text.strip(),
        help_text=(help_text or "").strip(),
        required=required,
        options=options,
        max_length=max_length,
        unit=unit,
        order=order,
    )
    if categories:
        question.categories.set(categories)
    audit(
        actor=actor,
        action="questionnaire.question_added",
        target=version.consultation,
        version=version.number,
        key=key,
        type=type,
    )
    return question


@transaction.atomic
def question_remove(*, actor: User, question: Question) -> None:
    """Remove a question; only while its version is a draft."""
    require_project_team_editor(actor)
    version = _lock_draft(question.version)
    key = question.key
    question.delete()
    audit(
        actor=actor,
        action="questionnaire.question_removed",
        target=version.consultation,
        version=version.number,
        key=key,
    )


@transaction.atomic
def questionnaire_publish(
    *, actor: User, version: QuestionnaireVersion, base_url: str = ""
) -> QuestionnaireVersion:
    """Publish a draft version (with at least one question). From now on it is immutable. A
    version published while the consultation runs is mailed to every supplier taking part."""
    require_project_team_editor(actor)
    version = _lock_draft(version)
    if not version.questions.exists():
        raise ValidationError(_("Add at least one question before you publish this version."))
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    consultation = version.consultation
    # The review reads the questions of the published versions (which keys are a choice).
    Consultation.objects.filter(pk=consultation.pk).raise_review_revision()
    mailed = 0
    if consultation.status == Consultation.Status.PUBLISHED:
        mailed = announcements.questionnaire_version_published(
            consultation=consultation, version=version, base_url=base_url
        )
    audit(
        actor=actor,
        action="questionnaire.published",
        target=consultation,
        version=version.number,
        suppliers_mailed=mailed,
    )
    return version


@transaction.atomic
def questionnaire_new_version(*, actor: User, consultation: Consultation) -> QuestionnaireVersion:
    """A new draft version copying the latest version's sections and questions, keys
    included, so answers to the same key can be compared across versions."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.versions.filter(status=QuestionnaireVersion.Status.DRAFT).exists():
        raise ValidationError(_("There is already a draft version of the questionnaire."))
    latest = consultation.versions.order_by("-number").first()
    version = QuestionnaireVersion.objects.create(
        consultation=consultation, number=(latest.number + 1) if latest else 1
    )
    if latest is not None:
        sections = {}
        for section in latest.sections.all():
            sections[section.pk] = QuestionSection.objects.create(
                version=version, key=section.key, title=section.title, order=section.order
            )
        for question in latest.questions.prefetch_related("categories"):
            copy = Question.objects.create(
                version=version,
                section=sections[question.section_id],
                key=question.key,
                type=question.type,
                text=question.text,
                help_text=question.help_text,
                required=question.required,
                options=list(question.options),
                max_length=question.max_length,
                unit=question.unit,
                order=question.order,
            )
            copy.categories.set(question.categories.all())
    audit(
        actor=actor,
        action="questionnaire.version_created",
        target=consultation,
        version=version.number,
    )
    return version
