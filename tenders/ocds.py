"""Offline validation of the tender's open data against the official OCDS 1.1.5 schemas.

The schemas are copies in ``tenders/data/ocds/`` (Apache-2.0, see its README). The release
package schema refers to the release schema by its URL; a ``referencing`` registry resolves
that URL to the local copy, and the registry has no way to retrieve anything else, so
validation never touches the network.

``jsonschema`` checks the ``format`` keyword only for formats it has a checker for; the two
that OCDS uses (``date-time`` and ``uri``) need optional packages that are not installed, so
this module checks them itself, strictly (RFC 3339 date-times, absolute URIs)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "ocds"
OCDS_VERSION = "1.1"

# RFC 3339 section 5.6: full-date "T" full-time with a required offset.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

_format_checker = FormatChecker()


@_format_checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))  # month 13, day 32 ...
    return True


@_format_checker.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def package_validator() -> Draft4Validator:
    """A validator for a release package, built once per process."""
    release_schema = _load("release-schema.json")
    package_schema = _load("release-package-schema.json")
    registry: Registry = Registry().with_resource(
        release_schema["id"],
        Resource.from_contents(release_schema, default_specification=DRAFT4),
    )
    return Draft4Validator(package_schema, registry=registry, format_checker=_format_checker)


def package_errors(package: dict[str, Any]) -> list[str]:
    """Every way ``package`` breaks the OCDS release package schema, as "path: message"; an
    empty list when it is valid."""
    errors = sorted(package_validator().iter_errors(package), key=lambda e: list(e.path))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(package)'}: {error.message}"
        for error in errors
    ]
