"""Core event hooks.

Lower apps announce what happened through ``domain_event`` (sent on commit); ``tenders``
listens. This keeps imports leaning one way: no lower app imports ``tenders``.
"""

import logging

from allauth.account.signals import user_logged_in
from django.db import transaction
from django.dispatch import Signal, receiver

from portal.audit import audit

logger = logging.getLogger(__name__)

# Sent with ``name`` (e.g. "participation.withdrawn"), ``instance`` and ``actor``.
domain_event = Signal()


def send_domain_event(name: str, *, instance, actor) -> None:
    """Announce that something happened, once the surrounding transaction has committed."""
    # Robust twice over: a failing callback registered before this one does not stop it, and
    # one failing receiver neither stops the others nor fails the request that was saved.
    transaction.on_commit(lambda: _send(name, instance=instance, actor=actor), robust=True)


def _send(name: str, *, instance, actor) -> None:
    results = domain_event.send_robust(
        sender=type(instance), name=name, instance=instance, actor=actor
    )
    for receiver_, result in results:
        if isinstance(result, Exception):
            logger.error("Receiver %r of domain event %s failed", receiver_, name, exc_info=result)


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(actor=user, action="user.logged_in", target=user)
