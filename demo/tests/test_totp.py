"""The demo's TOTP codes: never handed out in the last seconds of their window."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from demo.loader import DEMO_TOTP_SECRET
from demo.totp import fresh_totp_code


class Clock:
    """A clock that only moves when something sleeps."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def code_of(window: int) -> str:
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, window))


def test_a_code_with_time_left_is_the_current_one():
    clock = Clock(1_000 * 30 + 10.0)

    code = fresh_totp_code(DEMO_TOTP_SECRET, clock=clock, sleep=clock.sleep)

    assert code == code_of(1_000)
    assert clock.slept == []


def test_a_code_about_to_turn_waits_for_the_next_window():
    # 1.5 s left: the check a moment later could fall in the next window and refuse it.
    clock = Clock(1_000 * 30 + 28.5)

    code = fresh_totp_code(DEMO_TOTP_SECRET, clock=clock, sleep=clock.sleep)

    assert code == code_of(1_001)
    assert code != code_of(1_000)
    assert len(clock.slept) == 1 and 1.5 < clock.slept[0] < 2.0


def test_the_offset_counts_from_the_fresh_window():
    clock = Clock(1_000 * 30 + 29.0)

    assert fresh_totp_code(DEMO_TOTP_SECRET, offset=-1, clock=clock, sleep=clock.sleep) == (
        code_of(1_000)
    )
