"""Health of the parts the portal depends on, for ``GET /healthz``."""

from __future__ import annotations

import time

from django.conf import settings


def database_status(connection) -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not OK"
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def broker_status() -> dict:
    # The project's Celery app (created by config/ when settings load) is the current one.
    from celery import current_app as app

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.BROKER_HEALTH_TIMEOUT)
            if conn.transport_cls == "redis" or conn.transport.driver_type == "redis":
                conn.default_channel.client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not OK"
        return {"status": "error", "error": exc.__class__.__name__}
    return {
        "status": "ok",
        "transport": app.conf.broker_url.split(":", 1)[0],
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def cache_status() -> dict:
    """The shared cache (allauth's rate limits, used TOTP codes): a write and a read back."""
    from django.core.cache import cache

    started = time.monotonic()
    try:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            return {"status": "error", "error": "ReadBackMismatch"}
    except Exception as exc:  # noqa: BLE001 - any failure means "not OK"
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}
