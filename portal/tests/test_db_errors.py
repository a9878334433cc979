"""Integrity errors read the same way on PostgreSQL and on the embedded SQLite."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import IntegrityError

from portal.db import violated_constraint

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_error(message: str) -> IntegrityError:
    try:
        try:
            raise sqlite3.IntegrityError(message)
        except sqlite3.IntegrityError as cause:
            raise IntegrityError(*cause.args) from cause
    except IntegrityError as exc:
        return exc


def test_sqlite_unique_columns_map_to_the_named_constraint():
    exc = _sqlite_error(
        "UNIQUE constraint failed: tenders_talkslot.consultation_id,"
        " tenders_talkslot.organisation_id"
    )
    assert violated_constraint(exc) == "talkslot_one_per_supplier"
    exc = _sqlite_error(
        "UNIQUE constraint failed: tenders_talkslot.consultation_id, tenders_talkslot.starts_at"
    )
    assert violated_constraint(exc) == "talkslot_unique_start"


def test_sqlite_check_index_and_unknown_messages():
    assert violated_constraint(_sqlite_error("CHECK constraint failed: slot_ends")) == "slot_ends"
    assert violated_constraint(_sqlite_error("UNIQUE constraint failed: index 'ix_a'")) == "ix_a"
    assert violated_constraint(_sqlite_error("NOT NULL constraint failed: x.y")) is None
    assert violated_constraint(_sqlite_error("UNIQUE constraint failed: nowhere.col")) is None


def test_a_second_talk_booking_is_refused_clearly_on_sqlite(tmp_path):
    """The embedded mode (SQLite, decision 0002): the booking tests that go through the
    database constraint run in a pytest session of their own against SQLite."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-x",
            "consultations/tests/test_talks_slots.py::test_one_talk_per_supplier",
            "consultations/tests/test_talks_slots.py::test_a_taken_slot_cannot_be_booked",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
