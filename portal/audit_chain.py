"""The audit trail's hash chain: every event stores the SHA-256 of the event before it and its
own SHA-256 over a canonical serialisation of its fields, so that a changed, removed or
reordered event breaks the chain where it happened (``manage.py verify_audit``).

Only pseudonymous facts are chained: the actor is their ``public_id`` (``actor_ref``), the
organisation its id. Names and e-mail addresses live in the user's row, which can be removed
or pseudonymised without touching a chained field (docs/decisions/0012-audit-trail.md).

The canonical form must never change: events already written were hashed with it. A new form
would need a version number in the serialisation and both forms in the verifier.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections

# The "previous hash" of the first event of the chain.
GENESIS = "0" * 64
# Serialises the chain step on PostgreSQL: one key for the whole trail (a constant of our own,
# the first eight bytes of SHA-256("portal.auditevent") as a signed integer).
LOCK_KEY = int.from_bytes(hashlib.sha256(b"portal.auditevent").digest()[:8], "big", signed=True)
# Fields read for one event, in the order ``event_hash`` takes them.
CHAINED_FIELDS = (
    "prev_hash",
    "created_at",
    "actor_ref",
    "organisation_id",
    "action",
    "target_type",
    "target_id",
    "data",
)
TABLE = "portal_auditevent"
# The triggers the migration installs, by engine (``triggers_missing`` checks them).
TRIGGERS = {
    "postgresql": ("portal_auditevent_no_update_delete", "portal_auditevent_no_truncate"),
    "sqlite": ("portal_auditevent_no_update", "portal_auditevent_no_delete"),
}


def _canonical_value(value: Any) -> Any:
    # PostgreSQL's jsonb gives an integral float back as an int (1.0 -> 1, 1e20 -> 10**20):
    # hash what every engine gives back.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    return value


def normalised_data(data: Any) -> Any:
    """The event's data as the database gives it back (lists for tuples, string keys)."""
    return _canonical_value(json.loads(json.dumps(data)))


def canonical(
    *,
    prev_hash: str,
    created_at: dt.datetime,
    actor_ref: Any,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: Any,
) -> bytes:
    """The bytes an event's hash is taken over: sorted-key JSON without spaces, UTF-8."""
    fields = {
        "v": 1,
        "prev": prev_hash,
        "at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": str(actor_ref) if actor_ref else None,
        "organisation": organisation_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": _canonical_value(data),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def lock_chain(using: str) -> None:
    """Wait until no other transaction is adding to the chain; held until this transaction
    ends. SQLite serialises writers itself (a second writer fails, it never forks)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    event_id: int
    reason: str


@dataclass
class Verification:
    checked: int = 0
    last_hash: str = GENESIS
    broken: Break | None = None


def verify(rows: Iterator[dict[str, Any]], result: Verification) -> Verification:
    """Walk events in id order (dicts with ``id``, ``hash`` and the chained fields) and stop
    at the first break: an event whose hash does not match its fields (changed), or whose
    previous hash is not the hash of the event before it (removed, inserted or reordered)."""
    for row in rows:
        if row["prev_hash"] != result.last_hash:
            reason = (
                "the first event does not start the chain: events before it were removed"
                if result.checked == 0
                else "its previous hash is not the hash of the event before it: an event "
                "was removed, inserted or moved here"
            )
            result.broken = Break(row["id"], reason)
            return result
        if event_hash(**{name: row[name] for name in CHAINED_FIELDS}) != row["hash"]:
            result.broken = Break(row["id"], "its fields do not match its hash: it was changed")
            return result
        result.last_hash = row["hash"]
        result.checked += 1
    return result


def triggers_missing(using: str) -> list[str]:
    """The append-only triggers that are not on the table (a table rebuilt by a later
    migration on SQLite loses them)."""
    connection = connections[using]
    expected = TRIGGERS.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                [TABLE],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:
            return []
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in expected if name not in present]
