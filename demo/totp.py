"""TOTP codes for the demo users, made the way an authenticator app makes them.

A code is checked a moment after it is made. Without tolerance (none is configured), a code made
in the last seconds of its 30-second window reaches the check in the next window and is refused.
So a code is only handed out with at least ``margin`` seconds of its window left; otherwise this
waits for the next window, as a person reading the app would.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30


def fresh_totp_code(
    secret: str,
    *,
    offset: int = 0,
    margin: float = 3.0,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The code of ``secret`` for the current window (``offset`` windows on), with at least
    ``margin`` seconds of that window left."""
    left = PERIOD - clock() % PERIOD
    if left < margin:
        sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(clock()) // PERIOD + offset))
