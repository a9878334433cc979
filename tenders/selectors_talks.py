"""Reads of the consultation's talks, scoped to the viewer."""

from __future__ import annotations

from typing import Any


def manage_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for `templates/tenders/consultation_parts/manage_talks.html`."""
    return {}


def public_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for the public page's part (if any)."""
    return {}
