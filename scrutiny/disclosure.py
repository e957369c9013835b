"""What may leave the scrutineer's screen: small-number suppression and redaction (SCORING.md).

Everything that leaves the scrutineer's own screen (event packs, exports, API answers, the
`scores` command) goes through here, so nothing can bypass it by another route:

- `scores_for_publication` turns `scrutiny.scoring.ScrutinyScores` into the JSON of CLI.md
  (`scores SLUG --json`), suppressing small cells of the agency and area breakdowns (§9);
- `suppressed_codes` is the suppression rule itself, for any breakdown of counts;
- `Redactor` (or `redact` for one text) removes identifiers from free text (§10).

Which cells are suppressed. SCORING.md §9 speaks of breakdowns by agency or by area: small groups
of people who could be recognised from a score. Those cells are suppressed. The per-source cells
are not: a source (case-file audits, the practitioner survey, the board questionnaire, family
feedback) is a way evidence was gathered across the whole partnership, at the same level as the
factor's own score and n, which §7 and §8 require to be shown, and which are shown however small.
A board has to see that a score rests on 12 audits and 300 survey returns to judge it, and hiding
one source would hide how the headline score was triangulated while the headline itself shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scrutiny.models import Response, Scrutiny
from scrutiny.scoring import Cell, FactorScores, ScrutinyScores

REMOVED = "[removed]"
SUPPRESSED: dict[str, bool] = {"suppressed": True}


# ---------------------------------------------------------------------------------------------
# Small numbers (§9).


def suppressed_codes(counts: Mapping[str, int], *, threshold: int) -> set[str]:
    """The cells of one breakdown (code → n, every n > 0) to suppress.

    A cell with n below the threshold is suppressed. Where that leaves exactly one suppressed
    cell, the cell with the next smallest n is suppressed too, ties going to the code that sorts
    first, so that the hidden one cannot be worked out from a total and the others.
    """
    primary = {code for code, n in counts.items() if n < threshold}
    if len(primary) != 1:
        return primary
    others = sorted((n, code) for code, n in counts.items() if code not in primary)
    if others:
        primary.add(others[0][1])
    return primary


def _cell(cell: Cell) -> dict[str, Any]:
    return {"score": cell.display, "n": cell.n}


def _breakdown(cells: Mapping[str, Cell], *, threshold: int) -> dict[str, Any]:
    hidden = suppressed_codes({code: cell.n for code, cell in cells.items()}, threshold=threshold)
    return {
        code: dict(SUPPRESSED) if code in hidden else _cell(cell)
        for code, cell in sorted(cells.items())
    }


def _factor(factor: FactorScores, *, threshold: int) -> dict[str, Any]:
    return {
        "code": factor.code,
        "statement": factor.statement,
        "score": factor.display,
        "rating": factor.rating.value,
        "n": factor.n,
        # Sources are not suppressed: see the module docstring.
        "sources": {source: _cell(cell) for source, cell in factor.sources.items()},
        "agencies": _breakdown(factor.agencies, threshold=threshold),
        "areas": _breakdown(factor.areas, threshold=threshold),
    }


def scores_for_publication(scores: ScrutinyScores, *, scrutiny: Scrutiny) -> dict[str, Any]:
    """The scores as they may be published: the JSON of CLI.md `scores SLUG --json`."""
    threshold = scrutiny.suppression_threshold
    return {
        "scrutiny": scores.slug,
        "factors": [
            _factor(factor, threshold=threshold)
            for factor in sorted(scores.factors, key=lambda f: f.code)
        ],
    }


# ---------------------------------------------------------------------------------------------
# Free text (§10).


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10 down to 2 on the first nine digits; check = 11 - (sum mod 11),
    11 → 0, and 10 means no valid number has those nine digits."""
    if len(digits) != 10 or not digits.isdigit():
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
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def upn_is_valid(text: str) -> bool:
    upn = text.upper()
    if len(upn) != 13 or upn[0] not in UPN_LETTERS or not upn[1:12].isdigit():
        return False
    if not (upn[12].isdigit() or upn[12] in UPN_LETTERS):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
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


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case; the longest first so that it wins over its parts."""
    parts = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w.lower()))
    if not parts:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(p) for p in part.split()) for part in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Redactor:
    """Removes identifiers from free text. Build one per scrutiny (one query), then apply it to
    as many comments as needed without another query."""

    words: re.Pattern[str] | None

    @classmethod
    def for_scrutiny(cls, scrutiny: Scrutiny) -> Redactor:
        case_refs = (
            Response.objects.filter(scrutiny=scrutiny)
            .exclude(case_ref="")
            .values_list("case_ref", flat=True)
            .distinct()
        )
        return cls.for_terms([*case_refs, *scrutiny.redaction_list])

    @classmethod
    def for_terms(cls, terms: Iterable[str]) -> Redactor:
        return cls(words=_words_pattern(terms))

    def __call__(self, text: str) -> str:
        return self.redact(text)

    def redact(self, text: str) -> str:
        """`text` with every identifier of §10 replaced by [removed]."""
        if not text:
            return text
        text = _EMAIL.sub(REMOVED, text)
        text = _UPN.sub(_upn, text)
        text = _NHS.sub(_nhs, text)
        text = _PHONE.sub(_phone, text)
        text = _POSTCODE.sub(REMOVED, text)
        if self.words is not None:
            text = self.words.sub(REMOVED, text)
        return text


def redact(text: str, *, scrutiny: Scrutiny) -> str:
    """Redact one text (one query). For many texts build a `Redactor` once instead."""
    return Redactor.for_scrutiny(scrutiny).redact(text)
