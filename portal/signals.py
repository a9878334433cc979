"""Core event hooks.

Lower apps announce what happened through ``domain_event`` (sent on commit); ``tenders``
listens. This keeps imports leaning one way: no lower app imports ``tenders``.
"""

from allauth.account.signals import user_logged_in
from django.db import transaction
from django.dispatch import Signal, receiver

from portal.audit import audit

# Sent with ``name`` (e.g. "participation.withdrawn"), ``instance`` and ``actor``.
domain_event = Signal()


def send_domain_event(name: str, *, instance, actor) -> None:
    """Announce that something happened, once the surrounding transaction has committed."""
    transaction.on_commit(
        lambda: domain_event.send(sender=type(instance), name=name, instance=instance, actor=actor)
    )


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit(actor=user, action="user.logged_in", target=user)
