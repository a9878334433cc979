"""What counts as disclosing a supplier: the one rule for every text that the public reads (the
published wording of a clarification, a text of the anonymised report, a point from the
1-on-1 talks, the public wording of a question in a nota van inlichtingen) and for the texts
the project team writes for the report. A public text must not contain the name, KvK or other
registration number, the people, e-mail addresses or the web and mail domains of a supplier
(every supplier taking part in a consultation; the asker of an enquiry), nor any e-mail
address at all.

A supplier's brand alone ("Zilvermeeuw" of "Zilvermeeuw Computers B.V.") gives the supplier
away only in its own texts (another supplier may well write that it resells that brand): it is
checked against the texts of ``own``, the asker of a question or the author of an answer.

Texts and literals are compared in a canonical form (``canonical``), so that what looks the
same to a reader matches: Unicode NFKC (fullwidth and other compatibility forms), no invisible
characters (zero-width space, soft hyphen, bidi marks), the common Cyrillic and Greek look-alikes
of Latin letters as those letters (``CONFUSABLES``), "(at)"/"[at]"/" at " and "(dot)"/"[dot]" in
e-mail addresses and domains as "@" and ".", and case and whitespace runs ignored. Inside names
and numbers, separators do not matter: "A.C.M.E", "Acme-Bouw" for "Acme Bouw", KvK "1234 5678".

Thousands of names and numbers are checked against thousands of texts, so the literals are
matched with one regular expression whose alternatives share their prefixes (a trie): a text is
scanned once, whatever the number of suppliers. See ``docs/legal/disclosure.md``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

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

# --- The canonical form -------------------------------------------------------------------------

# Characters a reader does not see: zero-width space/joiners, soft hyphen, word joiner and the
# other invisible operators, bidi marks and overrides, variation selectors, byte order mark.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)

# The common look-alikes of Latin letters that NFKC leaves alone (fullwidth forms, ligatures
# and mathematical letters NFKC already maps): Cyrillic and Greek letters that are drawn like
# a Latin letter in ordinary fonts, the dotless i, and the dashes and minus as a hyphen. Not the
# whole Unicode confusables table (no data files on this machine): letters that only resemble
# one in some fonts (Cyrillic т, п, Greek η) are left out, to keep real Greek or Cyrillic words
# from matching by accident.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "о": "o", "р": "p", "с": "c", "у": "y",
        "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q",
        "ԝ": "w", "ё": "ë", "ї": "ï",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q",
        "Ԝ": "W", "Ӏ": "I", "Ё": "Ë", "Ї": "Ï",
        # Greek
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
        # Latin
        "ı": "i", "ɡ": "g", "ɑ": "a", "ɩ": "i",
        # Dashes and the minus sign
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u2043": "-",
    }
)  # fmt: skip

# "jan (at) acme (dot) nl", "jan[at]acme[dot]nl", "jan {at} acme", "acme(punt)nl".
_BRACKETED_AT_RE = re.compile(r"\s*[(\[{<]\s*(?:at|@|apenstaartje)\s*[)\]}>]\s*", re.I)
_BRACKETED_DOT_RE = re.compile(r"\s*[(\[{<]\s*(?:dot|punt)\s*[)\]}>]\s*", re.I)
# "jan at acme dot nl", "jan at acme.nl": " at " only between an address and a domain with a
# common top-level domain ("look at the dot on the screen" is no address).
_BARE_AT_RE = re.compile(
    r"(?<![\w.+-])([\w.+-]*\w) at ((?:[\w-]+(?: dot |\.))+"
    r"(?:nl|com|eu|org|net|be|de|fr|uk|io|info|biz|frl|co|app|dev|tech|shop|online|email))"
    r"(?![\w-])",
    re.I,
)
_BARE_DOT_RE = re.compile(r" dot ", re.I)


def normalise(text: str) -> str:
    """Whitespace runs (spaces, tabs, line breaks) as one space: "Leverancier   X" is
    "Leverancier X"."""
    return " ".join((text or "").split())


def _bare_address(match: re.Match) -> str:
    return match.group(1) + "@" + _BARE_DOT_RE.sub(".", match.group(2))


def canonical(text: str) -> str:
    """``text`` as a reader sees it, in the form the checks compare (see the module
    docstring): NFKC, no invisible characters, Latin letters for their look-alikes, one space
    for a whitespace run, and obfuscated e-mail addresses and domains written out. The case is
    kept (the patterns ignore it)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE_RE.sub("", text).translate(CONFUSABLES)
    text = normalise(text)
    lower = text.lower()
    bracketed = any(bracket in text for bracket in "([{<")
    if bracketed and ("at" in lower or "@" in text):
        text = _BRACKETED_AT_RE.sub("@", text)
    if bracketed and ("dot" in lower or "punt" in lower):
        text = _BRACKETED_DOT_RE.sub(".", text)
    if " at " in lower:  # after "(dot)": "jan at acme (dot) nl"
        text = _BARE_AT_RE.sub(_bare_address, text)
    return text


@dataclass(frozen=True)
class Finding:
    """One identifying part of a text: what kind it is and the text as written (in its
    canonical form)."""

    kind: str
    text: str


def _name_stem(name: str) -> str | None:
    """A name without its legal form ("Zilvermeeuw Computers" of "Zilvermeeuw Computers
    B.V."), when long enough to identify anyone."""
    stem = LEGAL_SUFFIX_RE.sub("", canonical(name)).strip()
    return stem if len(stem) >= 4 else None


def _brand(name: str) -> str | None:
    """The first word of a company name when that is likely its brand ("Zilvermeeuw" of
    "Zilvermeeuw Computers B.V."), not a generic word ("Computer Centrum")."""
    words = LEGAL_SUFFIX_RE.sub("", canonical(name)).split()
    if len(words) > 1 and len(words[0]) >= 4 and words[0].casefold() not in GENERIC_NAME_WORDS:
        return words[0]
    return None


# --- One regular expression for many literals ---------------------------------------------------

# In a name or number, a separator between two letters or digits ("Acme Bouw", "B.V.",
# "Acme-Bouw") stands for any one separator or none: it is this marker in the trie.
_SEP = "\x00"
_SEPARATOR_IN_LITERAL_RE = re.compile(r"(?<=\w)(?:\s*[.\-_/]\s*|\s+)(?=\w)")
_SEP_RE = r"[\s.\-_/]?"

# The compact form of a text (see ``compact``) joins what separators split inside a name or
# number: digits ("1234 5678", "12.34.56.78", "1234 - 5678"), letters with dots ("A.C.M.E"),
# and words around a spaced hyphen or slash ("Acme - Bouw").
_DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)(?:\s?[.\-/]\s?|\s)(?=\d)")
_INITIALS_RE = re.compile(r"(?<![\w.])\w(?:\.\w(?!\w))+\.?")
_SPACED_HYPHEN_RE = re.compile(r"(?<=\w) ?([\-/]) ?(?=\w)")


def compact(text: str) -> str:
    """A canonical ``text`` with the separators inside names and numbers removed (or, for a
    spaced hyphen, tightened): checked besides ``text``, so "A.C.M.E" and "KvK 1234 - 5678"
    are found like "ACME" and 12345678, with patterns no larger than the literals."""
    text = _DIGIT_SEPARATOR_RE.sub("", text)
    text = _INITIALS_RE.sub(
        lambda m: m.group(0).replace(".", "") + ("." if m.group(0).endswith(".") else ""), text
    )
    return _SPACED_HYPHEN_RE.sub(r"\1", text)


def _candidates(text: str) -> tuple[str, ...]:
    short = compact(text)
    return (text,) if short == text else (text, short)


def _fold(char: str) -> str:
    # Case-insensitive matching treats an ASCII letter and its lower case alike, so the trie
    # may merge them; other characters stay as they are (their case rules are not as simple).
    return char.lower() if char.isascii() else char


def _char_regex(char: str) -> str:
    return _SEP_RE if char == _SEP else re.escape(char)


def _trie_regex(literals: set[str]) -> str:
    """A regular expression (for re.IGNORECASE) that matches exactly the given literals, with
    common prefixes factored out: ``abc|abd|x`` → ``(?:ab(?:c|d)|x)``. Factoring a prefix
    never changes what matches; it lets the regex engine reject a position after one
    character instead of trying every literal. A separator of a name or number (``_SEP``)
    stands for any one separator or none."""
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
            branches = ["".join(map(_char_regex, rest)) for rest in rests if rest]
            ends = "" in rests
        else:
            branches = [_char_regex(char) + build(node[char], depth + 1) for char in children]
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


def _word_literal(literal: str) -> str:
    """A name or number in its canonical form, its separators as ``_SEP``."""
    return _SEPARATOR_IN_LITERAL_RE.sub(_SEP, canonical(literal))


def literals_regex(
    *, words: set[str], anywhere: set[str], domains: Iterable[str] = ()
) -> re.Pattern | None:
    """See ``_literals_regex``; the same literals (the suppliers of one consultation, for each
    review saved and each report) are compiled once per process."""
    return _literals_regex(frozenset(words), frozenset(anywhere), frozenset(domains))


@lru_cache(maxsize=16)
def _literals_regex(
    words: frozenset[str], anywhere: frozenset[str], domains: frozenset[str]
) -> re.Pattern | None:
    """One regex for literals that stand on their own (``words``: not part of a longer word;
    names and numbers, their separators optional), literals that count wherever they appear
    (``anywhere``: e-mail addresses) and domains (not part of a longer domain name, but
    "www.", "@" or "https://" may precede them). Match it against ``canonical`` text and its
    ``compact`` form."""
    # Addresses and domains first: where a name is also the start of a domain
    # ("acme-bouw.nl"), the domain is what was written.
    parts = []
    if addresses := {canonical(literal) for literal in anywhere} - {""}:
        parts.append(_trie_regex(addresses))
    if domain_literals := {canonical(domain) for domain in domains} - {""}:
        parts.append(r"(?<![\w-])" + _trie_regex(domain_literals) + r"(?![\w-]|\.\w)")
    if word_literals := {_word_literal(word) for word in words} - {""}:
        parts.append(r"(?<!\w)" + _trie_regex(word_literals) + r"(?!\w)")
    if not parts:
        return None
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


def word_regex(literal: str) -> re.Pattern | None:
    """One name or number on its own, matched as ``literals_regex`` matches ``words`` (not
    kept in its cache: one per supplier would push the large patterns out)."""
    return _literals_regex.__wrapped__(frozenset({literal}), frozenset(), frozenset())


def _key(text: str) -> str:
    """What two spellings of one literal have in common: "A.C.M.E" and "acme"."""
    return re.sub(r"[\s.\-_/]", "", canonical(text).casefold())


class Identifiers:
    """What identifies the given suppliers in any public text: their names (with and without
    the legal form), their registration numbers, the names, e-mail addresses and mail domains
    of their people (``shared``); and, per organisation, its brand (see the module
    docstring). Built once for many texts: the patterns are compiled here."""

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
                add(canonical(organisation.name), NAME, words)
            if (brand := _brand(organisation.name)) and (pattern := word_regex(brand)):
                self.brands[organisation.pk] = pattern
            profile = getattr(organisation, "supplier_profile", None)
            if profile is not None:
                for number in (
                    profile.kvk_number,
                    profile.foreign_registration_number,
                    profile.vat_number,
                ):
                    if number and len(number) >= 6:
                        add(canonical(number), NUMBER, words)
        members = Membership.objects.filter(organisation__in=organisations).values_list(
            "user__name", "user__email"
        )
        for name, email in members:
            if stem := _name_stem(name):
                add(stem, PERSON, words)
            if email:
                add(canonical(email), EMAIL, anywhere)
                domain = canonical(email).rsplit("@", 1)[-1].casefold()
                if "." in domain and domain not in PUBLIC_MAIL_DOMAINS:
                    add(domain, DOMAIN, domains)
        self.shared = literals_regex(words=words, anywhere=anywhere, domains=domains)

    def _patterns(self, own: int | None) -> list[re.Pattern]:
        own_brand = self.brands.get(own) if own is not None else None
        return [p for p in (self.shared, own_brand) if p is not None]

    def disclosed_in(self, text: str, own: int | None = None, any_email: bool = True) -> bool:
        """Whether ``text`` (of the organisation ``own``, if any) identifies a supplier;
        ``any_email``: whether every e-mail address counts, not only the suppliers'."""
        text = canonical(text)
        if any_email and EMAIL_RE.search(text):
            return True
        candidates = _candidates(text)
        return any(p.search(c) for p in self._patterns(own) for c in candidates)

    def findings(self, text: str, own: int | None = None, any_email: bool = True) -> list[Finding]:
        """Every identifying part of ``text``, in the order found, each once."""
        text = canonical(text)
        found = [Finding(EMAIL, m.group(0)) for m in EMAIL_RE.finditer(text)] if any_email else []
        for pattern in self._patterns(own):
            for candidate in _candidates(text):
                for match in pattern.finditer(candidate):
                    kind = self._kinds.get(_key(match.group(0)), NAME)
                    found.append(Finding(kind, match.group(0)))
        # An e-mail address found whole also matches as an address and a domain: report it once.
        emails = [f.text.casefold() for f in found if f.kind == EMAIL]
        unique: list[Finding] = []
        # A part found in the text and in its compact form ("B.V." and "BV."), or a name
        # inside a longer one found there, is named once.
        seen: list[str] = []
        for finding in found:
            key = _key(finding.text)
            if any(key in earlier for earlier in seen):
                continue
            seen.append(key)
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
        """``text`` (in its canonical form) with every identifying part replaced by a neutral
        placeholder: a starting point for a public wording, never the asker's identifying
        words."""
        text = canonical(text)
        placeholder = _("[removed]")
        text = EMAIL_RE.sub(placeholder, text)
        for pattern in self._patterns(own):
            text = pattern.sub(placeholder, text)
        # A number written with separators is found in the compact text only.
        for finding in self.findings(text, own):
            if finding.kind == NUMBER:
                digits = r"(?:\s?[.\-/]\s?|\s)?".join(
                    re.escape(ch) for ch in finding.text if ch.isalnum()
                )
                text = re.sub(r"(?<!\w)" + digits + r"(?!\w)", placeholder, text, flags=re.I)
        return text


# A finding is named in a message; a long match (an e-mail address) is cut short.
_LABEL_LIMIT = 60


def shorten(text: str) -> str:
    """A found part as it is named in a message: at most ``_LABEL_LIMIT`` characters."""
    return text if len(text) <= _LABEL_LIMIT else text[: _LABEL_LIMIT - 1] + "…"


def finding_label(finding: Finding) -> str:
    labels = {
        NAME: _("the name “%(text)s”"),
        PERSON: _("the name of a person “%(text)s”"),
        NUMBER: _("the KvK or registration number %(text)s"),
        EMAIL: _("the e-mail address %(text)s"),
        DOMAIN: _("the web or mail domain %(text)s"),
    }
    return labels[finding.kind] % {"text": shorten(finding.text)}


def disclosure_message(findings: list[Finding]) -> str:
    """One Dutch sentence that names what was found and what to do."""
    return _(
        "This text identifies a supplier taking part: %(found)s. Write it in neutral words, "
        "without names, numbers, e-mail addresses or domains of suppliers."
    ) % {"found": ", ".join(finding_label(f) for f in findings)}
