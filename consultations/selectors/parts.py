"""The consultation's management page and public page are assembled from parts: each follow-up
feature (clarification questions, talks, review, report) adds its own context through a
``manage_part`` / ``public_part`` selector and renders it in its own template under
``templates/consultations/consultation_parts/``."""

from __future__ import annotations

from typing import Any

from consultations.selectors import clarifications as selectors_clarifications
from consultations.selectors import report as selectors_report
from consultations.selectors import review as selectors_review
from consultations.selectors import talks as selectors_talks

MANAGE_PARTS = (selectors_clarifications, selectors_talks, selectors_review, selectors_report)
PUBLIC_PARTS = (selectors_clarifications, selectors_report)


def manage_context(*, user: Any, consultation) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for part in MANAGE_PARTS:
        context.update(part.manage_part(user=user, consultation=consultation))
    return context


def public_context(*, user: Any, consultation, page_number: Any = None) -> dict[str, Any]:
    """The public page's parts; ``page_number`` is the page of its (one) paged list."""
    context: dict[str, Any] = {}
    for part in PUBLIC_PARTS:
        context.update(
            part.public_part(user=user, consultation=consultation, page_number=page_number)
        )
    return context
