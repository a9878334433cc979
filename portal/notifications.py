"""Mail to the people concerned, one message each (no recipient sees the others' addresses),
written to the outbox in the caller's transaction and sent after it commits by the worker,
with retries: a mail server that is down loses no mail and fails no request."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal import outbox
from portal.models import Membership, Organisation, Role


def _send(*, recipients: Iterable[str], subject: str, template: str, context: dict) -> None:
    addresses = sorted(set(recipients))
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = str(subject)
    for address in addresses:
        outbox.mail_later(recipient=address, subject=subject, body=body)


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
