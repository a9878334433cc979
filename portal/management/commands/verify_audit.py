"""Walk the audit trail's hash chain and report the first broken link."""

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from portal import audit_chain
from portal.models import AuditEvent


def audit_rows(*, using: str, chunk_size: int) -> Iterator[dict[str, Any]]:
    """Every event in id order with the fields the chain needs, a chunk at a time (keyset
    pagination: memory stays the size of one chunk however long the trail is)."""
    last_id = 0
    fields = ("id", "hash", *audit_chain.CHAINED_FIELDS)
    while True:
        chunk = list(
            AuditEvent.objects.using(using)
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values(*fields)[:chunk_size]
        )
        yield from chunk
        if len(chunk) < chunk_size:
            return
        last_id = chunk[-1]["id"]


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every event's hash matches its fields and links to the event "
        "before it, and the append-only triggers are in place. Exits non-zero on a break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, **options):
        using = options["database"]
        result = audit_chain.verify(
            audit_rows(using=using, chunk_size=options["chunk_size"]),
            audit_chain.Verification(),
        )
        problems = []
        if result.broken is not None:
            problems.append(
                f"audit trail broken at event {result.broken.event_id} "
                f"(after {result.checked} intact events): {result.broken.reason}"
            )
        missing = audit_chain.triggers_missing(using)
        if missing:
            problems.append(f"append-only triggers missing or disabled: {', '.join(missing)}")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(
            f"audit trail intact: {result.checked} events, last hash {result.last_hash}"
        )
