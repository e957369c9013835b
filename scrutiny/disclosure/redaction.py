"""Redaction (SCORING.md §10): identifiers removed from free text before it leaves the screen.

- the identifiers found by their form: email addresses, NHS numbers (`nhs_number_is_valid`),
  Unique Pupil Numbers (`upn_is_valid`), UK phone numbers and postcodes;
- the terms a partnership holds (`HeldTerms`): every case reference, its redaction terms and
  each scrutiny's, found as whole words in one pattern (`_words_pattern`);
- `Redactor` applies both to as many texts as needed after one query; `redact` does one text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.apps import apps
from django.db.models import IntegerField, Value

from scrutiny.models import Partnership, Response, Scrutiny

REMOVED = "[removed]"


# ---------------------------------------------------------------------------------------------
# Free text (§10).


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10 down to 2 on the first nine digits; check = 11 - (sum mod 11),
    11 → 0, and 10 means no valid number has those nine digits."""
    if len(digits) != 10 or not digits.isdecimal():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# The DfE's check letters for remainders 0 to 22: the alphabet without I, O and S.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(rest: str) -> str:
    """The check letter of a Unique Pupil Number whose last twelve characters are `rest`.

    Characters 2 to 13 are weighted 2 to 13; a digit counts as itself and a letter (the last
    character of a temporary UPN) as its place in UPN_LETTERS (A = 0, B = 1, ...). The check
    letter is UPN_LETTERS[sum mod 23].
    """
    total = 0
    for weight, char in enumerate(rest.upper(), start=2):
        total += weight * (int(char) if char.isdecimal() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def upn_is_valid(text: str) -> bool:
    upn = text.upper()
    if len(upn) != 13 or upn[0] not in UPN_LETTERS or not upn[1:12].isdecimal():
        return False
    if not (upn[12].isdecimal() or upn[12] in UPN_LETTERS):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


# Redaction runs in time linear in the text's length, whatever the text (a comment can be 1 MB,
# and a pack redacts every comment): bench/redaction.py measures it, tests/red_team checks it.
# Every pattern below but the email's tries a bounded number of characters from each place it
# starts. The email's did not: searched for as one pattern, a long run of address characters
# with no "@" after it was scanned to its end from every place in it (the square of its length:
# 2.4 s for 40,000 characters), so an address is found from its "@" instead.
#
# An address's local part: a whole run of address characters ending in "@" with a domain after
# it. The look-behind lets the search start only where a run starts, and `++` never gives a
# character back, so each run is scanned once; each domain is looked at from its "@" only, and
# cannot run past the next "@".
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_LOCAL = re.compile(rf"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]++@(?={_EMAIL_DOMAIN.pattern})")
_DIGIT = re.compile(r"\d")
_UPN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[A-Za-z0-9](?![A-Za-z0-9])")
# Ten digits, 3-3-4 with or without spaces (or hyphens) between the groups.
_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
# +44 or 0, then an area or mobile code and the number, in groups; the count of digits is
# checked afterwards (9 or 10 after the 0 or +44).
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?\d{2,4}|\(0\d{2,4}\)|0\d{2,4})"
    r"[ -]?\d{3,4}[ -]?\d{3,4}(?!\d)"
)
# Outward code (A9, A99, A9A, AA9, AA99, AA9A) and inward code (9AA; its letters are never
# C, I, K, M, O or V).
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _nhs(match: re.Match[str]) -> str:
    return REMOVED if nhs_number_is_valid("".join(match.groups())) else match.group(0)


def _upn(match: re.Match[str]) -> str:
    return REMOVED if upn_is_valid(match.group(0)) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    national = digits[2:] if match.group(0).startswith("+44") else digits[1:]
    if national.startswith("0"):  # +44 (0)20 …: the 0 is not part of the number
        national = national[1:]
    return REMOVED if len(national) in (9, 10) else match.group(0)


def _emails_removed(text: str) -> str:
    """`text` with every email address replaced by [removed]: what `re.sub` of the one pattern
    `[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}` gives, in linear time.

    The search would resume where the last address removed ended, so a local part starts at
    its run's start or there, whichever is later."""
    if "@" not in text:
        return text
    pieces: list[str] = []
    done = 0
    for run in _EMAIL_LOCAL.finditer(text):
        at = run.end() - 1
        start = max(run.start(), done)
        domain = _EMAIL_DOMAIN.match(text, at + 1) if start < at else None
        if domain is not None:
            pieces += (text[done:start], REMOVED)
            done = domain.end()
    pieces.append(text[done:])
    return "".join(pieces)


# A term's words are joined by any run of spaces: `\s++` (whitespace never gives back a
# character, which is safe because a word never starts with one).
_GAP = r"\s++"
_END = ""  # the key in a node of the trie where a term ends
_Trie = dict[str, "_Trie"]


def _folded(char: str) -> str:
    """One key for the characters the pattern, ignoring case, takes as one (K, k and the
    Kelvin sign; s and the long s), so that terms differing only in case share a node."""
    for folded in (char.lower().casefold(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


def _words_trie(terms: Iterable[str]) -> str:
    """Terms as one pattern of nested alternatives sharing their prefixes, so that finding any
    of thousands of terms (a partnership's case references) costs at each place in the text
    about the length of the longest, not the number of terms. Where a term is the start of a
    longer one the longer is tried first (`(?:…)?` is greedy), so it wins over its parts."""
    root: _Trie = {}
    for term in terms:
        node = root
        for number, word in enumerate(term.split()):
            if number:
                node = node.setdefault(_GAP, {})
            for char in word:
                node = node.setdefault(_folded(char), {})
        node[_END] = {}
    # Built from the leaves up without recursion: a term can be long.
    shown: dict[int, str] = {}
    stack: list[tuple[_Trie, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for key, child in node.items() if key != _END)
            continue
        branches = [
            (_GAP if key == _GAP else re.escape(key)) + shown.pop(id(child))
            for key, child in sorted(node.items())
            if key != _END
        ]
        if not branches:
            shown[id(node)] = ""
        elif len(branches) == 1 and _END not in node:
            shown[id(node)] = branches[0]
        else:
            shown[id(node)] = "(?:" + "|".join(branches) + (")?" if _END in node else ")")
    return shown[id(root)]


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case, their words apart by any spaces; the longest first
    so that it wins over its parts."""
    parts = sorted({" ".join(w.split()) for w in words if w.strip()}, key=lambda w: (-len(w), w))
    if not parts:
        return None
    try:
        return re.compile(rf"(?<!\w)(?:{_words_trie(parts)})(?!\w)", re.IGNORECASE)
    except RecursionError:
        # Hundreds of terms each the start of the next nest too deep for `re` to compile: one
        # alternative a term (slower with many terms, still linear in the text).
        alternatives = "|".join(_GAP.join(re.escape(p) for p in part.split()) for part in parts)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Redactor:
    """Removes identifiers from free text. Build one per scrutiny or partnership (one query),
    then apply it to as many texts as needed without another query."""

    words: re.Pattern[str] | None

    @classmethod
    def for_partnership(cls, partnership_id: int, *, scrutiny: Scrutiny | None = None) -> Redactor:
        """The redaction of every text of the partnership that leaves the screen (one query):
        every case reference it holds and its redaction terms, with the scrutiny's own terms,
        or every scrutiny's for text of no scrutiny (see `HeldTerms.redactor`)."""
        held = HeldTerms.of_partnership(partnership_id)
        return held.redactor(frozenset({scrutiny.pk}) if scrutiny else frozenset())

    @classmethod
    def for_scrutiny(cls, scrutiny: Scrutiny) -> Redactor:
        return cls.for_partnership(scrutiny.partnership_id, scrutiny=scrutiny)

    @classmethod
    def for_terms(cls, terms: Iterable[str]) -> Redactor:
        return cls(words=_words_pattern(terms))

    @property
    def digest(self) -> str:
        """The terms this redactor removes (beyond the identifiers every redactor removes), as
        a digest: redactors of the same terms give the same one, so that an output can keep
        which terms it was redacted with, and not the terms themselves."""
        pattern = self.words.pattern if self.words is not None else ""
        return hashlib.sha256(pattern.encode()).hexdigest()

    def __call__(self, text: str) -> str:
        return self.redact(text)

    def redact(self, text: str) -> str:
        """`text` with every identifier of §10 replaced by [removed]."""
        if not text:
            return text
        text = _emails_removed(text)
        if _DIGIT.search(text):  # each of these needs one
            text = _UPN.sub(_upn, text)
            text = _NHS.sub(_nhs, text)
            text = _PHONE.sub(_phone, text)
            text = _POSTCODE.sub(REMOVED, text)
        if self.words is not None:
            text = self.words.sub(REMOVED, text)
        return text


@dataclass(frozen=True)
class HeldTerms:
    """What a partnership holds that redaction removes, read in one query: every case reference
    of its scrutinies' responses and of the case files other apps keep (an app's config may
    offer `case_references(partnership_id=...)`, a query of one column: the audits' sampled
    files), its own redaction terms (`common`, for every text), and each scrutiny's terms."""

    common: frozenset[str]
    by_scrutiny: Mapping[int, frozenset[str]]

    @classmethod
    def of_partnership(cls, partnership_id: int) -> HeldTerms:
        everyone = Value(0, output_field=IntegerField())  # a scrutiny's own rows carry its pk
        parts = [
            Response.objects.filter(scrutiny__partnership_id=partnership_id)
            .exclude(case_ref="")
            .values_list("case_ref")
            .annotate(owner=everyone),
            Partnership.objects.filter(pk=partnership_id)
            .exclude(redaction_terms="")
            .values_list("redaction_terms")
            .annotate(owner=everyone),
            Scrutiny.objects.filter(partnership_id=partnership_id)
            .exclude(redaction_terms="")
            .values_list("redaction_terms", "pk"),
        ]
        for config in apps.get_app_configs():
            provider = getattr(config, "case_references", None)
            if callable(provider):
                parts.append(provider(partnership_id=partnership_id).annotate(owner=everyone))
        first, *others = (part.order_by() for part in parts)
        common: set[str] = set()
        by_scrutiny: dict[int, set[str]] = {}
        for text, owner in first.union(*others):
            terms = {line.strip() for line in text.splitlines() if line.strip()}
            (by_scrutiny.setdefault(owner, set()) if owner else common).update(terms)
        return cls(frozenset(common), {pk: frozenset(terms) for pk, terms in by_scrutiny.items()})

    def redactor(self, scrutinies: frozenset[int]) -> Redactor:
        """The redactor for text of `scrutinies` (an action's, every scrutiny whose plan it
        has been in): their own terms with `common`. Text of none (the plan's other work, its
        outcomes) goes through every scrutiny's terms, as SCORING.md §10 says."""
        own = scrutinies or self.by_scrutiny.keys()
        return Redactor.for_terms(
            [*self.common, *(term for pk in own for term in self.by_scrutiny.get(pk, ()))]
        )


def redact(text: str, *, scrutiny: Scrutiny) -> str:
    """Redact one text (one query). For many texts build a `Redactor` once instead."""
    return Redactor.for_scrutiny(scrutiny).redact(text)
