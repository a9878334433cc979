"""The disclosure rule (``portal.disclosure``) for a market consultation: the identifiers of
every supplier taking part. The rule itself, and its canonical form of a text, live in
``portal.disclosure`` so that the nota van inlichtingen of a tender uses the same one."""

from __future__ import annotations

from consultations.selectors.participants import suppliers_taking_part
from portal.disclosure import (
    DOMAIN,
    EMAIL,
    EMAIL_RE,
    GENERIC_NAME_WORDS,
    LEGAL_SUFFIX_RE,
    NAME,
    NUMBER,
    PERSON,
    PUBLIC_MAIL_DOMAINS,
    Finding,
    Identifiers,
    canonical,
    disclosure_message,
    finding_label,
    literals_regex,
    normalise,
)

__all__ = [
    "DOMAIN",
    "EMAIL",
    "EMAIL_RE",
    "GENERIC_NAME_WORDS",
    "LEGAL_SUFFIX_RE",
    "NAME",
    "NUMBER",
    "PERSON",
    "PUBLIC_MAIL_DOMAINS",
    "Finding",
    "Identifiers",
    "canonical",
    "consultation_identifiers",
    "disclosure_message",
    "finding_label",
    "literals_regex",
    "normalise",
]


def consultation_identifiers(*, consultation) -> Identifiers:
    """The identifiers of every supplier taking part in ``consultation``."""
    return Identifiers(suppliers_taking_part(consultation=consultation))
