"""Who takes part in a market consultation: the suppliers with a response (draft or submitted),
a clarification question or a booked 1-on-1 talk. One definition for the disclosure check
(whose names must stay out of public texts) and for the mail that reaches every supplier taking
part (a changed closing time, a new questionnaire version, a published answer)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from portal.models import Membership, Organisation, Role

ALL_ROLES = (Role.ADMIN, Role.EDITOR, Role.VIEWER)


def taking_part_filter(consultation) -> Q:
    """Organisations with a response, a clarification question or a booked talk."""
    return (
        Q(consultation_responses__consultation=consultation)
        | Q(clarification_questions__consultation=consultation)
        | Q(talk_slots__consultation=consultation)
    )


def supplier_ids_taking_part(*, consultation) -> set[int]:
    return set(
        Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER)
        .filter(taking_part_filter(consultation))
        .values_list("pk", flat=True)
    )


def suppliers_taking_part(*, consultation) -> list[Organisation]:
    """Every supplier taking part (active or not: a name identifies either way)."""
    return list(
        Organisation.objects.filter(pk__in=supplier_ids_taking_part(consultation=consultation))
        .select_related("supplier_profile")
        .order_by("pk")
    )


def member_addresses(*, organisation_ids: Iterable[int]) -> list[str]:
    """The e-mail addresses of the active people of these suppliers (every role), each once."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=set(organisation_ids),
                organisation__kind=Organisation.Kind.SUPPLIER,
                organisation__is_active=True,
                role__in=ALL_ROLES,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def participant_addresses(*, consultation, exclude: Iterable[int] = ()) -> list[str]:
    """One address per person of every active supplier taking part (but ``exclude``)."""
    ids = supplier_ids_taking_part(consultation=consultation) - set(exclude)
    return member_addresses(organisation_ids=ids)
