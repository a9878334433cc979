"""Writes of the tender's e-mail subscriptions and the announcements of its publication.

- ``subscription_request``: the subscribe form. Double opt-in: a confirmation link is mailed;
  nothing is sent until it is confirmed. The visitor is told the same whatever the address's
  state (no enumeration), and one address gets at most one mail an hour from the form.
- ``subscription_confirm`` / ``subscription_unsubscribe``: the links in the mails, changed by a
  POST only (a GET, such as a mail scanner following the link, changes nothing).
- ``subscribers_notify``: what other parts call when a document version or a nota van
  inlichtingen is published: one mail per confirmed subscriber, each with its own unsubscribe
  link, through the outbox in the caller's transaction.
- ``tender_published_announce``: the domain event ``tender.published``; the consultation app
  tells the suppliers that took part in its market consultation (tenders does not import it).

Mail is written to the outbox in the transaction and sent after it commits."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import outbox
from portal.audit import audit
from portal.models import User, hash_token
from portal.signals import send_domain_event
from tenders.models import Subscription, Tender
from tenders.selectors.public import (
    subscription_for_confirm_token,
    subscription_for_unsubscribe_token,
)

FOOTER_TEMPLATE = "tenders/email/subscription_footer.txt"


def _base(base_url: str | None) -> str:
    return (base_url or settings.PORTAL_BASE_URL).rstrip("/")


def _links(subscription: Subscription, tender: Tender, base_url: str | None) -> dict[str, str]:
    base = _base(base_url)
    return {
        "tender_url": base + reverse("tenders:tender-public", args=[tender.reference]),
        "unsubscribe_url": base
        + reverse(
            "tenders:subscription-unsubscribe",
            args=[tender.reference, subscription.unsubscribe_token],
        ),
    }


def _mail(
    *,
    subscription: Subscription,
    tender: Tender,
    subject: str,
    body: str,
    base_url: str | None,
) -> None:
    """One mail to one subscriber, its unsubscribe link appended (every mail carries it)."""
    links = _links(subscription, tender, base_url)
    with translation.override(settings.LANGUAGE_CODE):
        footer = render_to_string(FOOTER_TEMPLATE, {"tender": tender, **links})
    outbox.mail_later(recipient=subscription.email, subject=subject, body=body + "\n" + footer)


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def subscription_request(*, tender: Tender, email: str, base_url: str | None = None) -> None:
    """Ask to follow ``tender`` by e-mail. Returns nothing on purpose: the caller tells the
    visitor the same thing whether the address was new, waiting for confirmation, subscribed
    or unsubscribed."""
    if tender.is_draft:
        raise ValueError("only a published tender can be followed")
    email = normalise_email(email)
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        tender=tender, email=email
    )
    now = timezone.now()
    interval = timedelta(seconds=settings.SUBSCRIPTION_MAIL_INTERVAL)
    last = subscription.last_requested_mail_at
    if last is not None and now - last < interval:
        audit(actor=None, action="subscription.request_ignored", target=subscription)
        return
    with translation.override(settings.LANGUAGE_CODE):
        if subscription.is_active:
            subject = _("You already follow %(tender)s") % {"tender": tender.title}
            body = render_to_string(
                "tenders/email/subscription_already.txt",
                {"tender": tender, **_links(subscription, tender, base_url)},
            )
        else:
            token = secrets.token_urlsafe(32)
            subscription.confirm_token_hash = hash_token(token)
            confirm_url = _base(base_url) + reverse(
                "tenders:subscription-confirm", args=[tender.reference, token]
            )
            subject = _("Confirm that you want to follow %(tender)s") % {"tender": tender.title}
            body = render_to_string(
                "tenders/email/subscription_confirm.txt",
                {
                    "tender": tender,
                    "confirm_url": confirm_url,
                    "valid_days": settings.SUBSCRIPTION_CONFIRM_VALID_DAYS,
                },
            )
    subscription.last_requested_mail_at = now
    subscription.save(update_fields=["confirm_token_hash", "last_requested_mail_at"])
    _mail(subscription=subscription, tender=tender, subject=subject, body=body, base_url=base_url)
    audit(
        actor=None,
        action="subscription.requested",
        target=subscription,
        tender=str(tender.public_id),
        created=created,
    )


@transaction.atomic
def subscription_confirm(*, tender: Tender, token: str) -> Subscription | None:
    """Confirm with the link's token; None when the link is not (or no longer) valid."""
    found = subscription_for_confirm_token(tender=tender, token=token)
    if found is None:
        return None
    subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    if not subscription.is_confirmable:
        return None
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.confirm_token_hash = ""
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "confirm_token_hash"])
    audit(actor=None, action="subscription.confirmed", target=subscription)
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, tender: Tender, token: str) -> Subscription | None:
    """Stop the mails (idempotent); None when the link is unknown."""
    found = subscription_for_unsubscribe_token(tender=tender, token=token)
    if found is None:
        return None
    subscription = Subscription.objects.select_for_update().get(pk=found.pk)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.confirm_token_hash = ""
        subscription.save(update_fields=["unsubscribed_at", "confirm_token_hash"])
        audit(actor=None, action="subscription.unsubscribed", target=subscription)
    return subscription


@transaction.atomic
def subscribers_notify(
    *,
    tender: Tender,
    subject: str,
    template: str,
    context: dict[str, Any],
    base_url: str | None = None,
) -> int:
    """Mail every confirmed subscriber of ``tender`` once: ``template`` rendered with
    ``context`` (plus ``tender`` and ``tender_url``), the unsubscribe link appended. Called when
    a document version or a nota van inlichtingen is published. Returns the number mailed."""
    subscribers = list(Subscription.objects.active().filter(tender=tender).order_by("pk"))
    if not subscribers:
        return 0
    tender_url = _base(base_url) + reverse("tenders:tender-public", args=[tender.reference])
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
        body = render_to_string(template, {**context, "tender": tender, "tender_url": tender_url})
    for subscription in subscribers:
        _mail(
            subscription=subscription,
            tender=tender,
            subject=subject,
            body=body,
            base_url=base_url,
        )
    audit(
        actor=None,
        action="tender.subscribers_notified",
        target=tender.programme,
        tender=str(tender.public_id),
        subject=subject,
        recipients=len(subscribers),
    )
    return len(subscribers)


def tender_published_announce(*, tender: Tender, actor: User | None = None) -> None:
    """Announce ``tender.published`` once the publishing transaction commits. The publication
    calls this; receivers (the market consultation) tell the people concerned."""
    send_domain_event("tender.published", instance=tender, actor=actor or tender.published_by)
