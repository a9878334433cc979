"""Reads of participations (joining a programme and the mandate), scoped to the viewer, and
what the viewer may do with them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from municipalities.models import (
    ContactPerson,
    CoveredMunicipality,
    MandateDocument,
    MandateSignature,
    Municipality,
    Participation,
    ParticipationQuerySet,
)
from municipalities.selectors.signing import (
    approval_problems,
    is_designated_signer,
    mandate_problems,
    mandate_state,
    signature_of_newest_version,
    signing_authority_of,
)
from portal import dates
from portal.models import Organisation, Role
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404


def _role_in(*, user: Any, organisation: Organisation, roles: tuple[str, ...]) -> bool:
    """Whether the user has one of these roles in the organisation (from the memberships the
    request read, ``User.roles_by_organisation``)."""
    return user.is_authenticated and user.roles_by_organisation.get(organisation.pk) in roles


def can_join_for(*, user: Any, organisation: Organisation) -> bool:
    """Editors and admins of a municipality or joint body register its participation."""
    return organisation.is_buyer and _role_in(
        user=user, organisation=organisation, roles=(Role.ADMIN, Role.EDITOR)
    )


def can_edit_participation(*, user: Any, participation: Participation) -> bool:
    return _role_in(
        user=user, organisation=participation.organisation, roles=(Role.ADMIN, Role.EDITOR)
    )


def can_decide_participation(*, user: Any) -> bool:
    return is_project_team_editor(user=user)


def municipalities_available_to(*, organisation: Organisation) -> QuerySet[Municipality]:
    """A municipality joins for itself; a joint body for the municipalities it acts for."""
    if organisation.kind == Organisation.Kind.MUNICIPALITY:
        return Municipality.objects.filter(organisation=organisation)
    if organisation.kind == Organisation.Kind.JOINT_BODY:
        return Municipality.objects.filter(joint_bodies__joint_body=organisation).order_by("name")
    return Municipality.objects.none()


def covered_elsewhere(
    *, participation: Participation, municipalities: list[Municipality]
) -> list[tuple[Municipality, Organisation]]:
    """Which of these municipalities another active participation of the programme covers."""
    rows = (
        CoveredMunicipality.objects.filter(
            programme_id=participation.programme_id,
            municipality__in=municipalities,
            is_active=True,
        )
        .exclude(participation=participation)
        .select_related("municipality", "participation__organisation")
    )
    return [(row.municipality, row.participation.organisation) for row in rows]


def participation_records() -> ParticipationQuerySet:
    """Participations with what the API says of each: the municipalities, the contacts and
    the state of the mandate."""
    return Participation.objects.select_related(
        "programme", "organisation", "signing_authority"
    ).prefetch_related(
        Prefetch(
            "covered",
            queryset=CoveredMunicipality.objects.filter(is_active=True).select_related(
                "municipality"
            ),
        ),
        Prefetch("contacts", queryset=ContactPerson.objects.order_by("kind")),
        Prefetch("mandate_documents", queryset=MandateDocument.objects.order_by("-version")),
        Prefetch(
            "mandate_signatures",
            queryset=MandateSignature.objects.select_related("seal").order_by("-signed_at"),
        ),
    )


def participation_queryset() -> ParticipationQuerySet:
    """Participations with everything the summary of a participation page shows: the records
    of the API, the chosen lots and the programme's deadlines."""
    return participation_records().prefetch_related("lots", "programme__milestones")


def participation_get_for_user(*, user: Any, public_id: Any) -> Participation:
    """404 for anyone who is neither a member of the participant nor in the project team."""
    return get_visible_or_404(participation_queryset(), user, public_id=public_id)


def participation_list(*, user: Any) -> QuerySet[Participation]:
    """The rows of the participations page: organisation, programme and status."""
    return (
        Participation.objects.select_related("programme", "organisation")
        .visible_to(user)
        .order_by("-created_at", "-pk")
    )


def participation_record_list(*, user: Any) -> QuerySet[Participation]:
    """The participations of the API list, with what it says of each."""
    return participation_records().visible_to(user).order_by("-created_at", "-pk")


def participation_for_organisation(
    *, organisation: Organisation, programme_id: int
) -> Participation | None:
    return (
        participation_queryset()
        .filter(organisation=organisation, programme_id=programme_id)
        .active()
        .first()
    )


def _programme_model():
    # The programme model belongs to `tenders`, which this app must not import: reach it
    # through the foreign key instead.
    return Participation._meta.get_field("programme").related_model


def programmes_open_for_joining():
    Programme = _programme_model()
    return Programme.objects.filter(status=Programme.Status.JOINING).prefetch_related("milestones")


def programme_open_for_joining_or_404(*, slug: str):
    from django.http import Http404

    programme = programmes_open_for_joining().filter(slug=slug).first()
    if programme is None:
        raise Http404
    return programme


def latest_mandate_document(*, participation: Participation) -> MandateDocument | None:
    documents = list(participation.mandate_documents.all())  # prefetched, newest first
    return documents[0] if documents else None


def current_signature(*, participation: Participation) -> MandateSignature | None:
    """The signature that completes the mandate now (see ``signature_of_newest_version``)."""
    return signature_of_newest_version(participation=participation)


def mandate_document_or_404(*, participation: Participation, public_id: Any) -> MandateDocument:
    from django.http import Http404

    for document in participation.mandate_documents.all():
        if str(document.public_id) == str(public_id):
            return document
    raise Http404


def mandate_signature_or_404(*, participation: Participation, public_id: Any) -> MandateSignature:
    from django.http import Http404

    for signature in participation.mandate_signatures.all():
        if str(signature.public_id) == str(public_id):
            return signature
    raise Http404


def can_sign_mandate(*, user: Any, participation: Participation) -> bool:
    """Only the signer the participation names may sign in the portal."""
    return is_designated_signer(user=user, participation=participation)


def frozen_reason(*, programme: Any) -> str | None:
    """Why nothing of a participation or its demand may change: the programme's demand is
    frozen (``Programme.frozen_at``, set by the freeze and cleared by an unfreeze)."""
    if programme.frozen_at is None:
        return None
    return _(
        "The demand of %(programme)s was frozen on %(date)s: registrations, demand and deadlines "
        "are fixed as the basis of the tender. Only the project team can lift the freeze, with "
        "a reason, until the tender is published."
    ) % {
        "programme": programme,
        "date": dates.moment_text(programme.frozen_at),
    }


def can_withdraw_participation(*, user: Any, participation: Participation) -> bool:
    if participation.status == Participation.Status.WITHDRAWN:
        return False
    if participation.programme.is_frozen:
        return False
    return can_edit_participation(user=user, participation=participation) or (
        is_project_team_editor(user=user)
    )


def participation_page_context(*, user: Any, participation: Participation) -> dict:
    """Everything the participation pages show, with what the viewer may do."""
    from allauth.mfa.models import Authenticator

    editable = participation.is_editable
    can_edit = can_edit_participation(user=user, participation=participation)
    signature = current_signature(participation=participation)
    document = latest_mandate_document(participation=participation)
    can_sign = can_sign_mandate(user=user, participation=participation)
    covered = participation.covered_now
    problems = mandate_problems(participation=participation)
    steps_done = {
        "details": bool(covered)
        and any(c.kind == ContactPerson.Kind.PROCUREMENT for c in participation.contacts.all()),
        "mandate": not problems,
        "submitted": participation.status
        in (Participation.Status.SUBMITTED, Participation.Status.APPROVED),
    }
    can_decide = can_decide_participation(user=user)
    return {
        "participation": participation,
        "programme": participation.programme,
        "organisation": participation.organisation,
        "covered": covered,
        "contacts": list(participation.contacts.all()),
        "lots": list(participation.lots.all()),
        "document": document,
        "signature": signature,
        "signatures": list(participation.mandate_signatures.all()),
        "authority": signing_authority_of(participation=participation),
        "mandate_problems": problems,
        "mandate_state": mandate_state(participation=participation),
        "approval_problems": approval_problems(participation=participation) if can_decide else [],
        "can_edit": can_edit and editable,
        "can_sign": can_sign
        and editable
        and document is not None
        and document.status == MandateDocument.Status.DONE
        and document.outdated_at is None,
        "can_upload": (can_edit or can_sign) and editable,
        "is_signatory": can_sign,
        "signer_has_mfa": can_sign
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "can_decide": can_decide,
        "can_withdraw": can_withdraw_participation(user=user, participation=participation),
        "steps_done": steps_done,
        "steps_completed": sum(steps_done.values()),
        "demand_id": demand_started(participation=participation),
        # An approved registration can no longer be edited, but its editors start the demand.
        "can_start_demand": can_edit,
    }


def demand_started(*, participation: Participation):
    """The public id of the participation's demand working copy; None before it is started
    (or while the participation is not approved)."""
    from municipalities.models import Demand

    if participation.status != Participation.Status.APPROVED:
        return None
    return (
        Demand.objects.filter(participation=participation)
        .values_list("public_id", flat=True)
        .first()
    )
