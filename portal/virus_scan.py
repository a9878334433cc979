"""Virus scanning of uploads by ClamAV's daemon (clamd), before anything is stored.

``CLAMD_ADDRESS`` names the daemon (``unix:///run/clamav/clamd.ctl`` or ``tcp://host:3310``);
empty turns scanning off (the embedded default) and the result is recorded as "not scanned".
When it is set, scanning fails closed: an upload that clamd did not call clean is refused.
The client speaks clamd's ``INSTREAM`` command: the file in length-prefixed chunks, at most
``CLAMD_MAX_BYTES``, then clamd's one-line verdict.

A service scans its uploads with ``scan_upload`` *before* its own transaction, so that the
audit event of an infected upload stays when the service then refuses it and rolls back.
"""

from __future__ import annotations

import logging
import socket
import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit
from portal.models import ScanStatus

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
REPLY_MAX = 4096


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no verdict (also: the file is over its limit)."""


class Infected(Exception):
    def __init__(self, signature: str) -> None:
        super().__init__(signature)
        self.signature = signature


@dataclass(frozen=True)
class ScanResult:
    status: str
    scanned_at: datetime | None = None
    scanner_version: str = ""

    def apply(self, instance: models.Model, prefix: str = "") -> None:
        """Record the result on ``instance``'s ``{prefix}scan_status``, ``…scanned_at`` and
        ``…scanner_version`` fields."""
        setattr(instance, f"{prefix}scan_status", self.status)
        setattr(instance, f"{prefix}scanned_at", self.scanned_at)
        setattr(instance, f"{prefix}scanner_version", self.scanner_version[:100])

    @staticmethod
    def fields(prefix: str = "") -> list[str]:
        return [f"{prefix}scan_status", f"{prefix}scanned_at", f"{prefix}scanner_version"]


NOT_SCANNED = ScanResult(ScanStatus.NOT_SCANNED)


def _connect(address: str) -> socket.socket:
    parts = urlsplit(address)
    timeout = settings.CLAMD_TIMEOUT
    try:
        if parts.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(parts.path)
            except OSError:
                sock.close()
                raise
            return sock
        if parts.scheme == "tcp" and parts.hostname:
            return socket.create_connection((parts.hostname, parts.port or 3310), timeout)
    except OSError as exc:
        raise ScannerUnavailable(f"cannot connect to {address}: {exc}") from exc
    raise ScannerUnavailable(f"CLAMD_ADDRESS must be unix:///path or tcp://host:port: {address}")


def _command(address: str, command: bytes, payload: bytes | None = None) -> str:
    """Send one ``z``-command (NUL-terminated), for INSTREAM followed by ``payload`` in chunks,
    and return clamd's reply without its NUL."""
    with _connect(address) as sock:
        try:
            sock.sendall(b"z" + command + b"\0")
            if payload is not None:
                view = memoryview(payload)
                for start in range(0, len(view), CHUNK):
                    chunk = view[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < REPLY_MAX:
                data = sock.recv(REPLY_MAX)
                if not data:
                    break
                reply += data
        except OSError as exc:  # also when clamd hangs up on a stream over its limit
            raise ScannerUnavailable(f"clamd at {address}: {exc}") from exc
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_bytes(content: bytes) -> ScanResult:
    """Scan ``content``; ``NOT_SCANNED`` when scanning is off. Raises ``Infected`` with the
    signature's name, or ``ScannerUnavailable`` when no verdict could be had."""
    address = settings.CLAMD_ADDRESS
    if not address:
        return NOT_SCANNED
    if len(content) > settings.CLAMD_MAX_BYTES:
        raise ScannerUnavailable(f"{len(content)} bytes is over CLAMD_MAX_BYTES")
    version = _command(address, b"VERSION")
    reply = _command(address, b"INSTREAM", content)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        raise Infected(signature[:200])
    if reply != "stream: OK":
        raise ScannerUnavailable(f"clamd answered {reply[:200]!r}")
    return ScanResult(ScanStatus.CLEAN, timezone.now(), version)


def scan_upload(
    file: Any,
    *,
    actor: Any,
    field: str,
    max_bytes: int,
    target: models.Model | None = None,
    organisation: Any = None,
) -> ScanResult:
    """Scan an uploaded file (``None``: nothing to scan) and rewind it for the checks that
    follow. An infected file is audited (with the signature's name) and refused, as is any
    file when the configured scanner gives no verdict: ValidationError at ``field``. A file
    over ``max_bytes`` is not sent; the size check after this refuses it. Call this before
    the service's transaction: the audit event must outlive the refusal."""
    if file is None or not settings.CLAMD_ADDRESS:
        return NOT_SCANNED
    file.seek(0)
    content = file.read(max_bytes + 1)
    file.seek(0)
    if len(content) > max_bytes:
        return NOT_SCANNED
    try:
        return scan_bytes(content)
    except Infected as exc:
        with transaction.atomic():
            audit(
                actor=actor,
                action="upload.infected",
                target=target,
                organisation=organisation,
                field=field,
                signature=exc.signature,
                size=len(content),
            )
        logger.warning("upload refused: %s found in %s", exc.signature, field)
        message = _(
            "The file contains a virus or other malicious content (%(signature)s) and has not "
            "been saved. Check your computer and upload a clean file."
        ) % {"signature": exc.signature}
    except ScannerUnavailable as exc:
        logger.error("upload refused, virus scanner unavailable: %s", exc)
        message = _(
            "The file could not be checked for viruses, so it has not been saved. The virus "
            "scanner is not available; please try again later."
        )
    raise ValidationError({field: [message]})


def scan_uploads(files: dict[str, Any], **kwargs: Any) -> dict[str, ScanResult]:
    """``scan_upload`` for each file by its field; every refusal is reported at its field."""
    results: dict[str, ScanResult] = {}
    errors: dict[str, list[str]] = {}
    for field, file in files.items():
        try:
            results[field] = scan_upload(file, field=field, **kwargs)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return results
