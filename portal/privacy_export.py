"""A person's own data as a ZIP (AVG art. 15 and 20): ``gegevens.json`` (machine-readable)
and ``leesmij.html`` (what is in it, to read). Every part is bounded by
``settings.PRIVACY_EXPORT_MAX_ROWS``; a part that holds more says so (``truncated``)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.audit import audit
from portal.models import User
from portal.privacy import SOURCES

JSON_NAME = "gegevens.json"
README_NAME = "leesmij.html"


def _mfa_enabled(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


def personal_data(user: User, *, language: str = "") -> dict[str, Any]:
    """Everything the portal holds about ``user``, part by part (no secrets: no password hash,
    no MFA secrets, no token hashes). The language is not stored with the account: it is the
    one the portal is shown in (the language cookie)."""
    limit = settings.PRIVACY_EXPORT_MAX_ROWS
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "account": {
            "pseudonym": str(user.public_id),
            "name": user.name,
            "email": user.email,
            "language": language or settings.LANGUAGE_CODE,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "active": user.is_active,
            "mfa_enabled": _mfa_enabled(user),
        },
        "parts": {},
    }
    for key, source in SOURCES.items():
        rows = source.export(user, limit + 1)
        data["parts"][key] = {
            "title": str(source.title),
            "rows": rows[:limit],
            "truncated": len(rows) > limit,
        }
    return data


def export_zip(*, actor: User, language: str = "") -> bytes:
    """The ZIP of the actor's own data; the download is audited (and only that is written)."""
    data = personal_data(actor, language=language)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    readme = render_to_string(
        "portal/privacy_export_readme.html",
        {"data": data, "json_name": JSON_NAME, "max_rows": settings.PRIVACY_EXPORT_MAX_ROWS},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, body)
        archive.writestr(README_NAME, readme)
    counts = {key: len(part["rows"]) for key, part in data["parts"].items()}
    with transaction.atomic():
        audit(actor=actor, action="privacy.data_exported", target=actor, rows=counts)
    return buffer.getvalue()
