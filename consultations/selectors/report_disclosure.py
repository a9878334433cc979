"""What counts as disclosing a supplier in the anonymised report: every included text is
checked against the names, numbers and addresses of every responding supplier."""

from __future__ import annotations

import re

from consultations.models import (
    Answer,
    Consultation,
    ConsultationResponse,
)
from portal.models import Membership

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LEGAL_SUFFIX_RE = re.compile(
    r"[\s,]+(?:b\.?\s?v\.?|n\.?\s?v\.?|v\.?o\.?f\.?|c\.?v\.?|gmbh|ltd\.?|inc\.?)\s*$", re.I
)

# Leading words of company names that are no brand (see _brand).
GENERIC_NAME_WORDS = frozenset(
    {
        "leverancier", "leveranciers", "computer", "computers", "groep", "group", "holding",
        "nederland", "holland", "hardware", "software", "systems", "services", "solutions",
        "digital", "data", "office", "bureau", "company", "international", "europe", "european",
        "dutch", "nationale", "koninklijke",
    }
)  # fmt: skip


class ReportDisclosureError(Exception):
    """A text meant for the report still names a supplier; rendering again will not help."""


# --- Disclosure check -------------------------------------------------------------------------
#
# Every included text is checked against everything that identifies any responding supplier:
# thousands of names and numbers against thousands of texts. The literals are therefore matched
# with one regular expression whose alternatives share their prefixes (a trie), so a text is
# scanned once, whatever the number of suppliers; a brand is checked only against its own
# organisation's answers.

# Deeper than this, the rest of the literals is a plain alternation (bounds the nesting).
_TRIE_MAX_DEPTH = 40
# "1234 5678" is a KvK number too.
_DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)[\s.](?=\d)")


def _name_stem(name: str) -> str | None:
    """A name without its legal form ("Zilvermeeuw Computers" of "Zilvermeeuw Computers
    B.V."), when long enough to identify anyone."""
    stem = LEGAL_SUFFIX_RE.sub("", (name or "").strip()).strip()
    return stem if len(stem) >= 4 else None


def _brand(name: str) -> str | None:
    """The first word of a company name when that is likely its brand ("Zilvermeeuw" of
    "Zilvermeeuw Computers B.V."), not a generic word ("Computer Centrum")."""
    words = LEGAL_SUFFIX_RE.sub("", (name or "").strip()).split()
    if len(words) > 1 and len(words[0]) >= 4 and words[0].casefold() not in GENERIC_NAME_WORDS:
        return words[0]
    return None


def _fold(char: str) -> str:
    # Case-insensitive matching treats an ASCII letter and its lower case alike, so the trie
    # may merge them; other characters stay as they are (their case rules are not as simple).
    return char.lower() if char.isascii() else char


def _trie_regex(literals: set[str]) -> str:
    """A regular expression (for re.IGNORECASE) that matches exactly the given literals, with
    common prefixes factored out: ``abc|abd|x`` → ``(?:ab(?:c|d)|x)``. Factoring a prefix
    never changes what matches; it lets the regex engine reject a position after one
    character instead of trying every literal."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in map(_fold, literal):
            node = node.setdefault(char, {})
        node[""] = None  # a literal ends here

    def build(node: dict, depth: int) -> str:
        ends = "" in node
        children = sorted(char for char in node if char)
        if depth >= _TRIE_MAX_DEPTH:
            rests = sorted(_suffixes(node), key=lambda s: (-len(s), s))
            branches = [re.escape(rest) for rest in rests if rest]
            ends = "" in rests
        else:
            branches = [re.escape(char) + build(node[char], depth + 1) for char in children]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return ("(?:" + body + ")" if len(branches) == 1 else body) + "?"
        return body

    return build(trie, 0)


def _suffixes(node: dict) -> list[str]:
    found = []
    for char, child in node.items():
        if char == "":
            found.append("")
        else:
            found += [char + rest for rest in _suffixes(child)]
    return found


def literals_regex(*, words: set[str], anywhere: set[str]) -> re.Pattern | None:
    """One regex for literals that stand on their own (``words``: not part of a longer word)
    and literals that count wherever they appear (``anywhere``: e-mail addresses)."""
    parts = []
    if words:
        parts.append(r"(?<!\w)" + _trie_regex(words) + r"(?!\w)")
    if anywhere:
        parts.append(_trie_regex(anywhere))
    if not parts:
        return None
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


class Identifiers:
    """What identifies the responding suppliers in any text of the report: their names
    without the legal form, their registration numbers and the names and addresses of their
    people (``shared``). And, per organisation, its brand, which only gives the supplier away
    in its own answers (another supplier may well write that it resells that brand)."""

    def __init__(self, responses: list[ConsultationResponse]):
        organisations = [r.organisation for r in responses]
        words: set[str] = set()
        anywhere: set[str] = set()
        self.brands: dict[int, re.Pattern] = {}
        for organisation in organisations:
            if stem := _name_stem(organisation.name):
                words.add(stem)
            if brand := _brand(organisation.name):
                self.brands[organisation.pk] = re.compile(
                    r"(?<!\w)" + re.escape(brand) + r"(?!\w)", re.I
                )
            profile = getattr(organisation, "supplier_profile", None)
            if profile is not None:
                for number in (
                    profile.kvk_number,
                    profile.foreign_registration_number,
                    profile.vat_number,
                ):
                    if number and len(number) >= 6:
                        words.add(number)
        members = Membership.objects.filter(organisation__in=organisations).values_list(
            "user__name", "user__email"
        )
        for name, email in members:
            if stem := _name_stem(name):
                words.add(stem)
            if email:
                anywhere.add(email)
        self.shared = literals_regex(words=words, anywhere=anywhere)

    def disclosed_in(self, text: str, organisation_id: int) -> bool:
        """Whether ``text``, of an answer of ``organisation_id``, identifies a supplier."""
        if EMAIL_RE.search(text):
            return True
        compact = _DIGIT_SEPARATOR_RE.sub("", text)
        candidates = (text,) if compact == text else (text, compact)
        patterns = [p for p in (self.shared, self.brands.get(organisation_id)) if p is not None]
        return any(p.search(candidate) for p in patterns for candidate in candidates)


def disclosing_answers(
    responses: list[ConsultationResponse],
) -> list[tuple[ConsultationResponse, Answer]]:
    """The included review texts that still contain a supplier's name, number or address."""
    identifiers = Identifiers(responses)
    by_id = {r.pk: r for r in responses}
    answers = Answer.objects.filter(response__in=responses, review__include=True).select_related(
        "review"
    )
    found = []
    for answer in answers:
        response = by_id[answer.response_id]
        if identifiers.disclosed_in(answer.review.redacted_text, response.organisation_id):
            found.append((response, answer))
    return found


def submitted_responses(consultation: Consultation, ids=None) -> list[ConsultationResponse]:
    responses = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    ).select_related("organisation__supplier_profile")
    if ids is not None:
        responses = responses.filter(pk__in=ids)
    return list(responses.order_by("pk"))
