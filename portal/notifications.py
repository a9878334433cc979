"""Mail to the people concerned, sent after the transaction commits, one message each (no
recipient sees the others' addresses)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.models import Membership, Organisation, Role


def _send(*, recipients: Iterable[str], subject: str, template: str, context: dict) -> None:
    addresses = sorted(set(recipients))
    if not addresses:
        return

    def deliver() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(template, context)
        for address in addresses:
            send_mail(str(subject), body, None, [address])

    transaction.on_commit(deliver)


def notify_members(
    *,
    organisation: Organisation,
    subject: str,
    template: str,
    context: dict,
    roles: tuple[str, ...] = (Role.ADMIN, Role.EDITOR),
) -> None:
    recipients = Membership.objects.filter(
        organisation=organisation, role__in=roles, user__is_active=True
    ).values_list("user__email", flat=True)
    _send(recipients=list(recipients), subject=subject, template=template, context=context)


def notify_project_team(*, subject: str, template: str, context: dict) -> None:
    recipients = Membership.objects.filter(
        organisation__kind=Organisation.Kind.PROJECT_TEAM,
        role__in=(Role.ADMIN, Role.EDITOR),
        user__is_active=True,
    ).values_list("user__email", flat=True)
    _send(recipients=list(recipients), subject=subject, template=template, context=context)


def notify_addresses(
    *, addresses: Iterable[str], subject: str, template: str, context: dict
) -> None:
    _send(recipients=addresses, subject=subject, template=template, context=context)
