"""Attempt limits and rate limits, counted in the shared cache (Redis) with a window.

Two uses, one mechanism:

- **Code entry** (a TOTP code when signing, a token in a link): ``ensure_open`` before the code
  is checked, ``failed`` after a wrong one, ``succeeded`` after a right one. After
  ``attempts`` wrong codes within ``window`` seconds the subject is locked for ``lockout``
  seconds; the lock is audited and its message says when it lifts.
- **Rate limits** on actions that send mail (an invitation, a question): ``consume`` counts
  one action and refuses once ``attempts`` were used within ``window`` seconds.

Both fail closed: with the cache down, code entry and mail-sending actions are refused with a
clear message, never let through unlimited. The limits are in ``settings.ATTEMPT_LIMITS``
(``purpose: (attempts, window, lockout)``, seconds).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PREFIX = "attempts"


@dataclass(frozen=True)
class Limit:
    purpose: str
    attempts: int
    window: int
    lockout: int


def limit_for(purpose: str) -> Limit:
    attempts, window, lockout = settings.ATTEMPT_LIMITS[purpose]
    return Limit(purpose=purpose, attempts=attempts, window=window, lockout=lockout)


class Refused(ValidationError):
    """A refusal by the limit (locked, over the rate, or the cache down); ``until`` is when it
    lifts (None when the cache is down)."""

    def __init__(self, message, *, field: str | None, until: datetime | None):
        super().__init__({field: [message]} if field else message)
        self.until = until


def _unavailable(field: str | None) -> Refused:
    return Refused(
        _(
            "This cannot be checked right now because a system the portal needs is not "
            "available. Nothing has been changed. Please try again in a few minutes."
        ),
        field=field,
        until=None,
    )


def _at(until: datetime) -> str:
    return time_format(timezone.localtime(until), "H:i")


def _locked(until: datetime, field: str | None) -> Refused:
    return Refused(
        _(
            "Too many wrong codes. For your security, entering a code is blocked until "
            "%(time)s. Nothing has been changed."
        )
        % {"time": _at(until)},
        field=field,
        until=until,
    )


def _keys(purpose: str, subject: str) -> tuple[str, str]:
    return f"{PREFIX}:{purpose}:{subject}:count", f"{PREFIX}:{purpose}:{subject}:until"


def subject_of(user) -> str:
    """The key of a signed-in user (their public id, not a guessable number)."""
    return f"user-{user.public_id}"


def _cache_call(field: str | None, call):
    try:
        return call()
    except Exception as exc:  # the cache is down or misconfigured: fail closed
        logger.error("Attempt limits: the cache is unavailable: %r", exc)
        raise _unavailable(field) from exc


def ensure_open(*, purpose: str, subject: str, field: str | None = "code") -> None:
    """Refuse (``Refused``) when ``subject`` is locked for ``purpose``, or when the cache that
    holds the counters cannot be reached."""
    _count_key, until_key = _keys(purpose, subject)
    until = _cache_call(field, lambda: cache.get(until_key))
    if until is not None and until > timezone.now().timestamp():
        raise _locked(datetime.fromtimestamp(until, tz=UTC), field)


def _incr(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def failed(
    *,
    purpose: str,
    subject: str,
    actor=None,
    organisation=None,
    field: str | None = "code",
) -> Refused | None:
    """Count one wrong code. Returns the ``Refused`` to raise when this one locked the
    subject (the lock is audited), else None (raise the usual wrong-code error)."""
    limit = limit_for(purpose)
    count_key, until_key = _keys(purpose, subject)
    count = _cache_call(field, lambda: _incr(count_key, limit.window))
    if count < limit.attempts:
        return None
    until = timezone.now() + timedelta(seconds=limit.lockout)
    _cache_call(field, lambda: cache.set(until_key, until.timestamp(), timeout=limit.lockout))
    _cache_call(field, lambda: cache.delete(count_key))
    from portal.audit import audit

    # In a transaction of its own: the wrong code's service rolls back, the lock stays on record.
    with transaction.atomic():
        audit(
            actor=actor,
            action="attempts.locked",
            organisation=organisation,
            purpose=purpose,
            subject=subject,
            attempts=count,
            until=until.isoformat(),
        )
    return _locked(until, field)


def succeeded(*, purpose: str, subject: str) -> None:
    """A right code: the wrong ones before it no longer count."""
    count_key, _until_key = _keys(purpose, subject)
    _cache_call(None, lambda: cache.delete(count_key))


def _over_rate(until: datetime, field: str | None) -> Refused:
    return Refused(
        _(
            "You have done this too often in a short time. Nothing has been sent. "
            "You can try again after %(time)s."
        )
        % {"time": _at(until)},
        field=field,
        until=until,
    )


def consume(*, counters: list[tuple[str, str]], field: str | None = None) -> None:
    """Count one action against every ``(purpose, subject)`` counter (say the user's and their
    organisation's); refuse (``Refused``, nothing counted) when any of them has used up its
    ``attempts`` in the current window. Call before the action, in the view: what a worker or
    the demo loader does is not limited."""
    now = timezone.now().timestamp()
    found = []
    for purpose, subject in counters:
        limit = limit_for(purpose)
        key = f"{PREFIX}:{purpose}:{subject}:rate"
        started = _cache_call(
            field, lambda key=key, limit=limit: cache.get_or_set(key + ":start", now, limit.window)
        )
        used = _cache_call(field, lambda key=key: cache.get(key, 0))
        if used >= limit.attempts:
            until = datetime.fromtimestamp(started + limit.window, tz=UTC)
            raise _over_rate(until, field)
        found.append((key, limit))
    for key, limit in found:
        _cache_call(field, lambda key=key, limit=limit: _incr(key, limit.window))


def address_of(request) -> str:
    """The client's address, the subject of limits on anonymous visitors: as allauth's rate
    limits see it (``ALLAUTH_TRUSTED_PROXY_COUNT``: the reverse proxy's X-Forwarded-For)."""
    from allauth.account.adapter import get_adapter

    return "ip-" + get_adapter(request).get_client_ip(request)


# --- Tokens in links (an invitation, a subscription's confirmation) -------------------------

LINK_PURPOSE = "link_token"


def refused_page(request, refused: Refused):
    """The page for a refusal outside a form: 429 with Retry-After, or 503 with the cache down."""
    from django.shortcuts import render

    status = 503 if refused.until is None else 429
    response = render(
        request, "portal/refused.html", {"message": " ".join(refused.messages)}, status=status
    )
    seconds = 60 if refused.until is None else (refused.until - timezone.now()).total_seconds()
    response["Retry-After"] = str(max(1, int(seconds)))
    return response


def link_refused(request):
    """Before a token from a link is looked up: the refusal page while the client is locked out
    (too many unknown tokens) or the cache is down, else None."""
    try:
        ensure_open(purpose=LINK_PURPOSE, subject=address_of(request), field=None)
    except Refused as refused:
        return refused_page(request, refused)
    return None


def link_unknown(request) -> None:
    """A token that matched nothing: counted against the client's address (a lock is audited)."""
    # With the cache gone down after the check, the next request is refused.
    with contextlib.suppress(Refused):
        failed(purpose=LINK_PURPOSE, subject=address_of(request), field=None)
