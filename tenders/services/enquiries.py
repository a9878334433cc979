"""The nota van inlichtingen. A member of a supplier asks a question about a published tender
until the deadline for questions; it stays private to the asker's organisation and the project
team. The team answers it in a neutral public wording that does not name the asker, or merges
it into a question that says the same. A round collects the answered questions: one team
member asks to publish it, a second confirms (four eyes). Then the round gets its number, its
questions and answers become public without the asker, its numbered nota van inlichtingen is
queued for the worker (a new version of the tender's NvI document), an OCDS release tagged
``tenderUpdate`` is added and the confirmed subscribers are mailed.

A round is refused later than 6 days before the deadline for bids, and while an answer changes
a document that has no new version (made by a change notice) yet. See docs/legal/enquiries.md."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import dates
from portal.audit import audit, person_ref
from portal.disclosure import Finding, Identifiers, finding_label
from portal.models import Membership, Organisation, User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.documents.nvi import nvi_inputs
from tenders.models import Enquiry, EnquiryRound, Tender, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.selectors.enquiries import enquiry_round_refusals, round_changed_versions
from tenders.services.documents import document_version_add
from tenders.services.ocds import ocds_release_add
from tenders.services.subscriptions import subscribers_notify

E = Enquiry.Status
# How long the same question sent again by the same person counts as the one already asked.
REPEAT_WINDOW = timedelta(minutes=10)
R = EnquiryRound.Status


def _is_supplier_member(user: User, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and organisation.kind == Organisation.Kind.SUPPLIER
        and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


@transaction.atomic
def enquiry_ask(
    *,
    actor: User,
    organisation: Organisation,
    tender: Tender,
    question: str,
    lot_number: int | None = None,
    section: str = "",
) -> Enquiry:
    """A member of ``organisation`` (a supplier) asks a question about a published tender,
    until the tender's deadline for questions."""
    require(_is_supplier_member(actor, organisation))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != Tender.Status.PUBLISHED:
        raise ValidationError(_("Questions can only be asked while the tender is published."))
    deadline = tender.question_deadline_at
    if deadline is None or timezone.now() > deadline:
        raise ValidationError(
            _(
                "The deadline for questions has passed (%(deadline)s): questions are no longer "
                "accepted."
            )
            % {"deadline": dates.moment_text(deadline) if deadline else "-"}
        )
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Enter your question.")})
    if lot_number is not None and not tender.lots.filter(number=lot_number).exists():
        raise ValidationError({"lot_number": _("Choose one of the tender's lots.")})
    section = " ".join((section or "").split())
    # A form sent twice (a double click, a reload after a lost answer) asks once: the same
    # open question of the same person a moment ago is the one asked (the tender's row lock
    # above orders two sends of it).
    repeated = Enquiry.objects.filter(
        tender=tender,
        organisation=organisation,
        asked_by=actor,
        lot_number=lot_number,
        section=section,
        question=question,
        status=E.OPEN,
        asked_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if repeated is not None:
        return repeated
    enquiry = Enquiry.objects.create(
        tender=tender,
        lot_number=lot_number,
        section=section,
        question=question,
        organisation=organisation,
        asked_by=actor,
    )
    audit(
        actor=actor,
        action="tender.enquiry_asked",
        target=tender.programme,
        enquiry=str(enquiry.public_id),
    )
    return enquiry


def _asker_identifiers(enquiry: Enquiry) -> Identifiers:
    """What identifies the asker (the disclosure rule of ``portal.disclosure``): its name,
    brand, registration numbers, people, e-mail addresses and domains."""
    organisation = Organisation.objects.select_related("supplier_profile").get(
        pk=enquiry.organisation_id
    )
    return Identifiers([organisation])


def _found(findings: list[Finding]) -> str:
    return ", ".join(finding_label(finding) for finding in findings)


def _require_open_for_team(enquiry: Enquiry) -> None:
    if enquiry.round is not None and enquiry.round.status != R.DRAFT:
        raise ValidationError(_("This question is in a round that is being published."))
    if enquiry.status == E.MERGED:
        raise ValidationError(_("This question has been merged into another one."))


@transaction.atomic
def enquiry_answer(
    *,
    actor: User,
    enquiry: Enquiry,
    public_question: str,
    answer: str,
    changes_document: TenderDocument | None = None,
) -> Enquiry:
    """The project team answers a question, with the neutral wording of the question that is
    published (it never names the asker). ``changes_document``: the tender document the answer
    changes (None: it changes none); its round waits for the document's new version."""
    require(is_project_team_editor(user=actor))
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("organisation", "round")
        .get(pk=enquiry.pk)
    )
    _require_open_for_team(enquiry)
    public_question, answer = (public_question or "").strip(), (answer or "").strip()
    errors: dict[str, str] = {}
    identifiers = _asker_identifiers(enquiry)
    if not public_question:
        errors["public_question"] = _("Word the question as it will be published.")
    elif found := identifiers.findings(public_question, own=enquiry.organisation_id):
        errors["public_question"] = _(
            "The public wording names the supplier who asked (%(found)s): word the question "
            "neutrally."
        ) % {"found": _found(found)}
    if not answer:
        errors["answer"] = _("Enter the answer.")
    # The answer is the team's text (another supplier's brand may be named, and so may the
    # team's own e-mail address), but it is published too: it must not name the asker.
    elif found := identifiers.findings(answer, any_email=False):
        errors["answer"] = _(
            "The answer names the supplier who asked (%(found)s): word it neutrally."
        ) % {"found": _found(found)}
    if changes_document is not None and (
        changes_document.tender_id != enquiry.tender_id
        or changes_document.kind not in DOCUMENT_SET_KINDS
    ):
        errors["changes_document"] = _("Choose one of the tender's documents.")
    if errors:
        raise ValidationError(errors)
    enquiry.public_question, enquiry.answer = public_question, answer
    enquiry.changes_document = changes_document
    enquiry.status, enquiry.answered_at = E.ANSWERED, timezone.now()
    enquiry.save(
        update_fields=["public_question", "answer", "changes_document", "status", "answered_at"]
    )
    audit(
        actor=actor,
        action="tender.enquiry_answered",
        target=enquiry.tender.programme,
        enquiry=str(enquiry.public_id),
        changes_document=changes_document.kind if changes_document else None,
    )
    return enquiry


@transaction.atomic
def enquiry_merge(*, actor: User, enquiry: Enquiry, into: Enquiry) -> Enquiry:
    """A duplicate question is answered by the one it is merged into; it is not published on
    its own."""
    require(is_project_team_editor(user=actor))
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",)).select_related("round").get(pk=enquiry.pk)
    )
    into = Enquiry.objects.get(pk=into.pk)
    _require_open_for_team(enquiry)
    if into.pk == enquiry.pk or into.tender_id != enquiry.tender_id or into.status == E.MERGED:
        raise ValidationError(
            {"merged_into": _("Choose another, not merged question of the same tender.")}
        )
    enquiry.status, enquiry.merged_into, enquiry.round = E.MERGED, into, None
    enquiry.save(update_fields=["status", "merged_into", "round"])
    audit(
        actor=actor,
        action="tender.enquiry_merged",
        target=enquiry.tender.programme,
        enquiry=str(enquiry.public_id),
        into=str(into.public_id),
    )
    return enquiry


def _require_publishable(tender: Tender, round_: EnquiryRound) -> None:
    refusals = enquiry_round_refusals(tender=tender, round_=round_, at=timezone.now())
    if refusals:
        raise ValidationError(refusals)


@transaction.atomic
def enquiry_round_request(*, actor: User, tender: Tender) -> EnquiryRound:
    """Collect the answered questions not yet published into the tender's draft round and ask
    to publish it; a second team member confirms."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != Tender.Status.PUBLISHED:
        raise ValidationError(_("Clarification notices are published while the tender is."))
    if EnquiryRound.objects.filter(tender=tender, status=R.PENDING).exists():
        raise ValidationError(
            _("A clarification notice awaits confirmation: confirm or cancel it first.")
        )
    round_ = EnquiryRound.objects.filter(tender=tender, status=R.DRAFT).first()
    if round_ is None:
        round_ = EnquiryRound.objects.create(tender=tender)
    Enquiry.objects.filter(tender=tender, status=E.ANSWERED, round__isnull=True).update(
        round=round_
    )
    if not round_.enquiries.filter(status=E.ANSWERED).exists():
        raise ValidationError(_("Answer at least one question before publishing a notice."))
    _require_publishable(tender, round_)
    round_.status, round_.asked_by = R.PENDING, actor
    round_.save(update_fields=["status", "asked_by"])
    audit(
        actor=actor,
        action="tender.enquiry_round_requested",
        target=tender.programme,
        round=str(round_.public_id),
    )
    return round_


@transaction.atomic
def enquiry_round_decide(
    *, actor: User, round: EnquiryRound, confirm: bool, base_url: str | None = None
) -> EnquiryRound:
    """Confirm (a team member other than the one who asked) or cancel publishing a round."""
    require(is_project_team_editor(user=actor))
    round_ = EnquiryRound.objects.select_for_update().get(pk=round.pk)
    if round_.status != R.PENDING:
        raise ValidationError(_("This clarification notice has already been decided."))
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=round_.tender_id)
    if not confirm:
        round_.status, round_.asked_by = R.DRAFT, None
        round_.save(update_fields=["status", "asked_by"])
        audit(
            actor=actor,
            action="tender.enquiry_round_cancelled",
            target=tender.programme,
            round=str(round_.public_id),
        )
        return round_
    if round_.asked_by_id == actor.pk:
        raise ValidationError(
            _(
                "A second member of the project team confirms the clarification notice, not "
                "the one who asked."
            )
        )
    if tender.status != Tender.Status.PUBLISHED:
        raise ValidationError(_("Clarification notices are published while the tender is."))
    _require_publishable(tender, round_)
    changed, _missing = round_changed_versions(tender=tender, round_=round_)
    last = EnquiryRound.objects.filter(tender=tender).aggregate(n=Max("number"))["n"] or 0
    round_.number, round_.status = last + 1, R.PUBLISHED
    round_.confirmed_by, round_.published_at = actor, timezone.now()
    round_.save(update_fields=["number", "status", "confirmed_by", "published_at"])
    round_.changed_versions.set(changed)
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Clarification notice %(number)s") % {"number": round_.number}
        subject = _("%(label)s for %(tender)s") % {"label": label, "tender": tender.title}
    # Version N of the tender's NvI document is nota van inlichtingen N: this round alone.
    notice = document_version_add(
        actor=actor,
        tender=tender,
        kind=TenderDocument.Kind.NVI,
        inputs=nvi_inputs(tender=tender, round_=round_, changed=changed),
        change_note=label,
    )
    round_.document_version = notice
    round_.save(update_fields=["document_version"])
    # After the version is linked: the release lists the notice among the tender's documents.
    release = ocds_release_add(actor=actor, tender=tender, tag="tenderUpdate")
    round_.ocds_release = release
    round_.save(update_fields=["ocds_release"])
    enquiries = list(round_.enquiries.filter(status=E.ANSWERED).order_by("asked_at", "pk"))
    mailed = subscribers_notify(
        tender=tender,
        subject=subject,
        template="tenders/email/enquiry_round.txt",
        context={"round": round_, "label": label, "enquiries": enquiries},
        base_url=base_url,
    )
    audit(
        actor=actor,
        action="tender.enquiry_round_published",
        target=tender.programme,
        round=str(round_.public_id),
        number=round_.number,
        requested_by=person_ref(round_.asked_by),
        questions=len(enquiries),
        document_version=notice.number,
        changed_versions={v.document.kind: v.number for v in changed},
        release=release.release_id,
        mailed=mailed,
    )
    return round_
