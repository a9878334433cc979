"""What counts as disclosing a supplier: the one rule for every text that the public reads (the
published wording of a clarification, a text of the anonymised report, a point from the
1-on-1 talks). A public text must not contain the name, KvK or other registration number, the
people, e-mail addresses or the web and mail domains of any supplier taking part in the
consultation, nor any e-mail address at all. Case and extra whitespace do not matter.

A supplier's brand alone ("Zilvermeeuw" of "Zilvermeeuw Computers B.V.") gives the supplier
away only in its own texts (another supplier may well write that it resells that brand): it is
checked against the texts of ``own``, the asker of a question or the author of an answer.

Thousands of names and numbers are checked against thousands of texts, so the literals are
matched with one regular expression whose alternatives share their prefixes (a trie): a text is
scanned once, whatever the number of suppliers. See ``docs/legal/disclosure.md``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from consultations.selectors.participants import suppliers_taking_part
from portal.models import Membership, Organisation

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

# Mail domains that many people share: they do not point at one supplier.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "live.nl",
        "hotmail.nl", "yahoo.com", "icloud.com", "me.com", "ziggo.nl", "kpnmail.nl",
        "kpnplanet.nl", "xs4all.nl", "planet.nl", "home.nl", "proton.me", "protonmail.com",
        "example.com", "example.nl", "example.org",
    }
)  # fmt: skip

NAME, PERSON, NUMBER, EMAIL, DOMAIN = "name", "person", "number", "email", "domain"

# Deeper than this, the rest of the literals is a plain alternation (bounds the nesting).
_TRIE_MAX_DEPTH = 40
# "1234 5678" and "12.34.56.78" are a KvK number too.
_DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)[\s.-](?=\d)")


@dataclass(frozen=True)
class Finding:
    """One identifying part of a text: what kind it is and the text as written."""

    kind: str
    text: str


def normalise(text: str) -> str:
    """Whitespace runs (spaces, tabs, line breaks) as one space: "Leverancier   X" is
    "Leverancier X"."""
    return " ".join((text or "").split())


def _name_stem(name: str) -> str | None:
    """A name without its legal form ("Zilvermeeuw Computers" of "Zilvermeeuw Computers
    B.V."), when long enough to identify anyone."""
    stem = LEGAL_SUFFIX_RE.sub("", normalise(name)).strip()
    return stem if len(stem) >= 4 else None


def _brand(name: str) -> str | None:
    """The first word of a company name when that is likely its brand ("Zilvermeeuw" of
    "Zilvermeeuw Computers B.V."), not a generic word ("Computer Centrum")."""
    words = LEGAL_SUFFIX_RE.sub("", normalise(name)).split()
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


def literals_regex(
    *, words: set[str], anywhere: set[str], domains: Iterable[str] = ()
) -> re.Pattern | None:
    """One regex for literals that stand on their own (``words``: not part of a longer word),
    literals that count wherever they appear (``anywhere``: e-mail addresses) and domains (not
    part of a longer domain name, but "www.", "@" or "https://" may precede them)."""
    parts = []
    if words:
        parts.append(r"(?<!\w)" + _trie_regex(words) + r"(?!\w)")
    if anywhere:
        parts.append(_trie_regex(anywhere))
    if domains := set(domains):
        parts.append(r"(?<![\w-])" + _trie_regex(domains) + r"(?![\w-]|\.\w)")
    if not parts:
        return None
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


def _key(text: str) -> str:
    return normalise(text).casefold()


class Identifiers:
    """What identifies the suppliers taking part in any public text: their names (with and
    without the legal form), their registration numbers, the names, e-mail addresses and mail
    domains of their people (``shared``); and, per organisation, its brand (see the module
    docstring)."""

    def __init__(self, organisations: Iterable[Organisation]):
        organisations = list(organisations)
        words: set[str] = set()
        anywhere: set[str] = set()
        domains: set[str] = set()
        self._kinds: dict[str, str] = {}
        self.brands: dict[int, re.Pattern] = {}

        def add(literal: str, kind: str, into: set[str]) -> None:
            into.add(literal)
            self._kinds.setdefault(_key(literal), kind)

        for organisation in organisations:
            if stem := _name_stem(organisation.name):
                add(stem, NAME, words)
                add(normalise(organisation.name), NAME, words)
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
                        add(normalise(number), NUMBER, words)
        members = Membership.objects.filter(organisation__in=organisations).values_list(
            "user__name", "user__email"
        )
        for name, email in members:
            if stem := _name_stem(name):
                add(stem, PERSON, words)
            if email:
                add(email, EMAIL, anywhere)
                domain = email.rsplit("@", 1)[-1].casefold()
                if "." in domain and domain not in PUBLIC_MAIL_DOMAINS:
                    add(domain, DOMAIN, domains)
        self.shared = literals_regex(words=words, anywhere=anywhere, domains=domains)

    def _patterns(self, own: int | None) -> list[re.Pattern]:
        own_brand = self.brands.get(own) if own is not None else None
        return [p for p in (self.shared, own_brand) if p is not None]

    def disclosed_in(self, text: str, own: int | None = None) -> bool:
        """Whether ``text`` (of the organisation ``own``, if any) identifies a supplier."""
        text = normalise(text)
        if EMAIL_RE.search(text):
            return True
        compact = _DIGIT_SEPARATOR_RE.sub("", text)
        candidates = (text,) if compact == text else (text, compact)
        return any(p.search(c) for p in self._patterns(own) for c in candidates)

    def findings(self, text: str, own: int | None = None) -> list[Finding]:
        """Every identifying part of ``text``, in the order found, each once."""
        text = normalise(text)
        found = [Finding(EMAIL, m.group(0)) for m in EMAIL_RE.finditer(text)]
        compact = _DIGIT_SEPARATOR_RE.sub("", text)
        for pattern in self._patterns(own):
            for candidate in (text,) if compact == text else (text, compact):
                for match in pattern.finditer(candidate):
                    kind = self._kinds.get(_key(match.group(0)), NAME)
                    found.append(Finding(kind, match.group(0)))
        # An e-mail address found whole also matches as an address and a domain: report it once.
        emails = [f.text.casefold() for f in found if f.kind == EMAIL]
        unique: list[Finding] = []
        for finding in dict.fromkeys(found):
            inside_email = finding.kind in (DOMAIN, PERSON, NAME) and any(
                finding.text.casefold() in email for email in emails
            )
            duplicate_email = finding.kind == EMAIL and finding.text.casefold() in [
                u.text.casefold() for u in unique if u.kind == EMAIL
            ]
            if not inside_email and not duplicate_email:
                unique.append(finding)
        return unique

    def neutral(self, text: str, own: int | None = None) -> str:
        """``text`` with every identifying part replaced by a neutral placeholder: a starting
        point for a public wording, never the asker's identifying words."""
        text = normalise(text)
        placeholder = _("[removed]")
        text = EMAIL_RE.sub(placeholder, text)
        for pattern in self._patterns(own):
            text = pattern.sub(placeholder, text)
        # A number written with separators is found in the compact text only.
        for finding in self.findings(text, own):
            if finding.kind == NUMBER:
                digits = r"[\s.-]?".join(re.escape(ch) for ch in finding.text)
                text = re.sub(r"(?<!\d)" + digits + r"(?!\d)", placeholder, text)
        return text


def consultation_identifiers(*, consultation) -> Identifiers:
    """The identifiers of every supplier taking part in ``consultation``."""
    return Identifiers(suppliers_taking_part(consultation=consultation))


def finding_label(finding: Finding) -> str:
    labels = {
        NAME: _("the name “%(text)s”"),
        PERSON: _("the name of a person “%(text)s”"),
        NUMBER: _("the KvK or registration number %(text)s"),
        EMAIL: _("the e-mail address %(text)s"),
        DOMAIN: _("the web or mail domain %(text)s"),
    }
    return labels[finding.kind] % {"text": finding.text}


def disclosure_message(findings: list[Finding]) -> str:
    """One Dutch sentence that names what was found and what to do."""
    return _(
        "This text identifies a supplier taking part: %(found)s. Write it in neutral words, "
        "without names, numbers, e-mail addresses or domains of suppliers."
    ) % {"found": ", ".join(finding_label(f) for f in findings)}
