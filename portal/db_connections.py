"""Database connection set-up that settings cannot express (decision 0037)."""

from __future__ import annotations

from django.db.backends.signals import connection_created
from django.dispatch import receiver

# How many prepared statements a connection keeps (psycopg's default is 100, fewer than the
# distinct statements of the portal's pages together; the least recently used is dropped).
# A connection lives at most CONN_MAX_AGE seconds, so the server's memory stays bounded.
PREPARED_MAX = 1000


@receiver(connection_created)
def keep_more_prepared_statements(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql" and hasattr(connection.connection, "prepared_max"):
        connection.connection.prepared_max = PREPARED_MAX
