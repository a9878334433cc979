"""Idempotent form submissions: a form that creates something carries a fresh key in a hidden
field (``IdempotencyKeyField``); the service claims the key in its own transaction. A second
POST with the same key waits for the first (the unique index) and then raises ``AlreadyDone``
with the first result, so the view can show that result instead of creating a duplicate."""

from __future__ import annotations

import uuid

from django import forms
from django.db import IntegrityError, transaction

from portal.models import IdempotencyKey, User


class AlreadyDone(Exception):  # noqa: N818 - it is an outcome, not an error
    """The submission was carried out before; ``object_id`` is what it created, if known."""

    def __init__(self, *, action: str, object_id: int | None):
        super().__init__(action)
        self.action = action
        self.object_id = object_id


class IdempotencyKeyField(forms.UUIDField):
    """Hidden; a new key for every unbound form, the posted key kept when a form is shown again
    with errors (the failed attempt claimed nothing, its transaction was rolled back)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def claim(*, actor: User, key: uuid.UUID | str | None, action: str) -> IdempotencyKey | None:
    """Claim ``key`` for ``actor`` inside the caller's transaction. Without a key (the API, an
    old form) nothing is claimed. Raises ``AlreadyDone`` when the key was used before."""
    if not key:
        return None
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    try:
        # A savepoint: the unique violation must not break the caller's transaction.
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=actor, key=key, action=action)
    except IntegrityError:
        record = IdempotencyKey.objects.get(user=actor, key=key)
        raise AlreadyDone(action=record.action, object_id=record.object_id) from None


def settle(record: IdempotencyKey | None, *, obj) -> None:
    """Remember what the claimed submission created, for the answer to a repeat."""
    if record is not None:
        record.object_id = obj.pk
        record.save(update_fields=["object_id"])
