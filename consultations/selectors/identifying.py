"""What in a reviewer's text identifies the supplier who wrote the answer: its name or brand,
KvK number, e-mail address (these block publication), and phone numbers, web addresses and
other eight-digit numbers (these are hints). Read by the review pages and the review service.
Texts are compared in the canonical form of ``portal.disclosure`` (look-alike letters,
invisible characters, "(at)" and separators inside names and numbers do not hide anything)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from portal.disclosure import canonical, compact, shorten, word_regex
from portal.models import Organisation

# --- Identifying content ----------------------------------------------------------------------

# Legal forms and country words that often follow a brand ("HP Nederland B.V."): the brand
# alone identifies the supplier too.
_SUFFIX = re.compile(
    r"[\s,]+(?:b\.?\s?v\.?|n\.?\s?v\.?|v\.?o\.?f\.?|c\.?v\.?|gmbh|ltd\.?|inc\.?|llc|s\.?a\.?"
    r"|ag|plc|se|holding|group|groep|nederland|netherlands|benelux|europe)$",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Dutch numbers (06-12345678, 020 123 4567, +31 6 1234 5678, 0031 …) and other international
# numbers written with a plus sign.
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31(?:[\s.-]|\(0\))*|0)[1-9](?:[\s.-]?\d){8}(?!\d)"
    r"|(?<![\w+])\+\d{1,3}(?:[\s.-]?\d){6,12}(?!\d)"
)
URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:nl|com|eu|org|net|be|de|io|info|biz|shop|tech)\b(?![@\w-])",
    re.IGNORECASE,
)
EIGHT_DIGITS_RE = re.compile(r"(?<![\d.,])\d{8}(?![\d.,]?\d)")

NAME, KVK, EMAIL, PHONE, URL, NUMBER = "name", "kvk", "email", "phone", "url", "number"
# What may never be published: an included text with any of these is refused.
BLOCKING = (NAME, KVK, EMAIL)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str


def _name_variants(name: str) -> list[str]:
    """The organisation's name, and the name without its legal form and country words."""
    variants = [name.strip()]
    core = name.strip()
    while (stripped := _SUFFIX.sub("", core).strip(" ,")) != core:
        core = stripped
        if len(core) >= 2:
            variants.append(core)
    return [v for v in dict.fromkeys(variants) if v]


# A list of open answers checks many answers of the same suppliers: compile each supplier's
# patterns once (more suppliers than the `re` module's own cache holds).
@lru_cache(maxsize=4096)
def _name_patterns(name: str) -> tuple[re.Pattern, ...]:
    patterns = (word_regex(variant) for variant in _name_variants(canonical(name)))
    return tuple(pattern for pattern in patterns if pattern is not None)


@lru_cache(maxsize=4096)
def _kvk_pattern(kvk: str) -> re.Pattern:
    digits = re.sub(r"\D", "", kvk)
    return re.compile(r"(?<!\d)" + r"(?:\s?[.\-/]\s?|\s)?".join(digits) + r"(?!\d)")


def _kvk_number(organisation: Organisation | None) -> str:
    try:
        return (organisation.supplier_profile.kvk_number or "") if organisation else ""
    except ObjectDoesNotExist:
        return ""


def identifying_findings(text: str, organisation: Organisation | None) -> list[Finding]:
    """What in ``text`` may identify the supplier: its own name or KvK number, e-mail
    addresses, phone numbers, web addresses and other 8-digit numbers."""
    text = canonical(text)
    findings: list[Finding] = []
    if organisation is not None:
        short = compact(text)
        for pattern in _name_patterns(organisation.name):
            match = pattern.search(text) or pattern.search(short)
            if match:
                findings.append(Finding(NAME, match.group(0)))
                break
    kvk = _kvk_number(organisation)
    own_kvk = None
    if kvk:
        own_kvk = _kvk_pattern(kvk)
        if match := own_kvk.search(text):
            findings.append(Finding(KVK, match.group(0)))
    findings += [Finding(EMAIL, m.group(0)) for m in EMAIL_RE.finditer(text)]
    findings += [Finding(PHONE, m.group(0).strip()) for m in PHONE_RE.finditer(text)]
    findings += [Finding(URL, m.group(0).rstrip(".,;:)")) for m in URL_RE.finditer(text)]
    findings += [
        Finding(NUMBER, m.group(0))
        for m in EIGHT_DIGITS_RE.finditer(text)
        if not (own_kvk and own_kvk.fullmatch(m.group(0)))
    ]
    return list(dict.fromkeys(findings))


def _hint(finding: Finding) -> str:
    messages = {
        NAME: _("The supplier's name: “%(text)s”."),
        KVK: _("The supplier's KvK number: %(text)s."),
        EMAIL: _("An e-mail address: %(text)s."),
        PHONE: _("A phone number: %(text)s."),
        URL: _("A web address: %(text)s."),
        NUMBER: _("An 8-digit number that may be a KvK number: %(text)s."),
    }
    return messages[finding.kind] % {"text": shorten(finding.text)}


def identifying_hints(text: str, organisation: Organisation | None) -> list[str]:
    """Warnings for the reviewer about likely identifying content in ``text``."""
    return [_hint(finding) for finding in identifying_findings(text, organisation)]
