"""What may leave the scrutineer's screen: small-number suppression and redaction (SCORING.md).

Everything that leaves the scrutineer's own screen (event packs, exports, API answers, the
`scores` command) goes through here, so nothing can bypass it by another route:

- `scores_for_publication` turns `scrutiny.scoring.ScrutinyScores` into the JSON of CLI.md
  (`scores SLUG --json`), suppressing small cells of the agency and area breakdowns (§9);
- `suppressed_codes` is the suppression rule itself, for any breakdown of counts;
- `rows_coarsen` (and `ResponseLabels`, its reading of the database) decides what agency, area,
  role and day each row of a row-level output (the pack's response sheets) may show;
- `distributions_for_publication` suppresses small counts per option of board questionnaires,
  family feedback and instruments with fewer than 20 responses;
- `Redactor` (or `redact` for one text) removes identifiers from free text (§10);
- `finding_published` and `quote_published` give a finding's and a quote's words as they may
  leave the screen, for the workspace's pages, its API and the event pack alike.

Which cells are suppressed. SCORING.md §9 speaks of breakdowns by agency or by area: small groups
of people who could be recognised from a score. Those cells are suppressed. The per-source cells
are not: a source (case-file audits, the practitioner survey, the board questionnaire, family
feedback) is a way evidence was gathered across the whole partnership, at the same level as the
factor's own score and n, which §7 and §8 require to be shown, and which are shown however small.
A board has to see that a score rests on 12 audits and 300 survey returns to judge it, and hiding
one source would hide how the headline score was triangulated while the headline itself shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, IntegerField, Value
from django.db.models.functions import TruncDate

from scrutiny.models import Finding, Partnership, Quote, Response, Scrutiny, Source
from scrutiny.scoring import Cell, FactorScores, QuestionDistribution, ScrutinyScores

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
# Row-level outputs (§9): agency, area, role and day together only where enough rows share them.

# What a row shows of its response, coarsest first: `rows_coarsen` blanks from the last.
ROW_FIELDS = ("agency", "area", "role", "day")

RowKey = tuple[Any, ...]


def rows_coarsen(counts: Mapping[RowKey, int], *, threshold: int) -> dict[RowKey, RowKey]:
    """What each combination of a row-level output may show.

    `counts` maps each combination of the fields (tuples of one length, fields coarsest first as
    in ROW_FIELDS, None where a row has no value) to how many rows have it; the answer maps each
    to the combination shown, a blanked field being None. SCORING.md §9 says "the finest of them
    are blanked until every combination shown does"; the order, finest first, is the day, then
    the role, then the area, then the agency (the breakdowns' own fields go last):

    1. Rows whose combination at least `threshold` rows share show it whole.
    2. The others lose their last field and are grouped again: a group of at least `threshold`
       rows (counting the rows already shown with the same values) shows what is left; the rest
       lose the next field, and so on until nothing is left to show.
    3. Rows left showing nothing are told apart by elimination when they are from 1 to
       threshold - 1: then, as in a breakdown (`suppressed_codes`), the smallest group shown is
       blanked too (on a tie, the combination first in order).

    So every combination shown, blank included, is shared by at least `threshold` rows, unless
    there are fewer rows than that in all. Pure and linear in the number of combinations (and a
    sort for step 3): callers count the combinations with one grouped query, then map each row
    as it streams.
    """
    counts = {key: n for key, n in counts.items() if n > 0}
    if not counts:
        return {}
    width = len(next(iter(counts)))
    blank: RowKey = (None,) * width
    shown: dict[RowKey, RowKey] = {}
    placed: Counter[RowKey] = Counter()  # rows shown so far, by what they show
    pending = list(counts)
    for keep in range(width, -1, -1):
        groups: dict[RowKey, list[RowKey]] = defaultdict(list)
        for key in pending:
            groups[key[:keep] + (None,) * (width - keep)].append(key)
        pending = []
        for prefix, keys in groups.items():
            size = sum(counts[key] for key in keys)
            if keep == 0 or size + placed[prefix] >= threshold:
                placed[prefix] += size
                shown.update(dict.fromkeys(keys, prefix))
            else:
                pending.extend(keys)
    if 0 < placed[blank] < threshold:
        labels = {repr(prefix): prefix for prefix in placed}
        hidden = suppressed_codes(
            {label: placed[prefix] for label, prefix in labels.items()}, threshold=threshold
        )
        blanked = {labels[label] for label in hidden}
        shown = {key: blank if prefix in blanked else prefix for key, prefix in shown.items()}
    return shown


@dataclass(frozen=True)
class ResponseLabels:
    """What each counting response of a scrutiny may show of its agency, area, role and day
    (codes, the day its submitted time falls on in the site's time zone), instrument by
    instrument: each instrument's response sheet is one row-level output. Build it with one
    grouped query (`for_scrutiny`), then look rows up without another."""

    shown: dict[int, dict[RowKey, RowKey]]  # instrument id → combination → what it shows

    @classmethod
    def for_scrutiny(cls, scrutiny: Scrutiny) -> ResponseLabels:
        combinations: dict[int, dict[RowKey, int]] = defaultdict(dict)
        for instrument_id, agency, area, role, day, n in (
            Response.objects.counting()
            .filter(scrutiny=scrutiny)
            .annotate(submitted_day=TruncDate("submitted_at"))
            .values_list(
                "instrument_id", "agency__code", "area__code", "role__code", "submitted_day"
            )
            .annotate(n=Count("pk"))
            .order_by()
        ):
            combinations[instrument_id][(agency, area, role, day)] = n
        threshold = scrutiny.suppression_threshold
        return cls(
            {
                instrument_id: rows_coarsen(counts, threshold=threshold)
                for instrument_id, counts in combinations.items()
            }
        )

    def __call__(self, instrument_id: int, key: RowKey) -> RowKey:
        """What a response of the instrument with this (agency, area, role, day) shows; all
        blank for a combination not counted (a response submitted since)."""
        return self.shown.get(instrument_id, {}).get(key, (None,) * len(key))


# ---------------------------------------------------------------------------------------------
# Distributions (§9): counts per option.

# Sources whose every distribution is protected: board members answer by name, and a family is
# one of few. So is any instrument with fewer counting responses than SMALL_POPULATION.
NAMED_SOURCES = frozenset({Source.BOARD_QUESTIONNAIRE.value, Source.FAMILY_FEEDBACK.value})
SMALL_POPULATION = 20


@dataclass(frozen=True)
class OptionShown:
    value: str
    label: str
    points: float | None
    count: int | None  # None where suppressed: it reads "fewer than" the threshold

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class DistributionShown:
    """A `scrutiny.scoring.QuestionDistribution` as it may leave the screen."""

    instrument_code: str
    version: int
    code: str
    type: str
    text: str
    answered: int
    options: tuple[OptionShown, ...]  # in option order


def distribution_shown(
    distribution: QuestionDistribution, *, threshold: int, protected: bool
) -> DistributionShown:
    """One question's counts as they may be shown. Where `protected`, a count from 1 to
    threshold - 1 is suppressed, with the secondary suppression of a breakdown
    (`suppressed_codes` over the options chosen at least once); and where that leaves the only
    option chosen hidden alone, the first (by value) of the options chosen by nobody is hidden
    with it, since `answered` and a column of zeros would give it away ("fewer than 5" is true
    of 0). `answered`, a total like a source's n, is shown."""
    hidden: set[str] = set()
    if protected:
        hidden = suppressed_codes(
            {o.value: o.count for o in distribution.options if o.count > 0}, threshold=threshold
        )
        if len(hidden) == 1:
            hidden.update(sorted(o.value for o in distribution.options if o.count == 0)[:1])
    return DistributionShown(
        instrument_code=distribution.instrument_code,
        version=distribution.version,
        code=distribution.code,
        type=distribution.type,
        text=distribution.text,
        answered=distribution.answered,
        options=tuple(
            OptionShown(o.value, o.label, o.points, None if o.value in hidden else o.count)
            for o in distribution.options
        ),
    )


def distributions_protected(*, scrutiny: Scrutiny) -> set[str]:
    """The codes of the scrutiny's instruments whose distributions are protected: those of a
    named source, and those with fewer than SMALL_POPULATION counting responses (one query;
    an instrument with none has nothing to protect)."""
    return {
        code
        for code, kind, n in Response.objects.counting()
        .filter(scrutiny=scrutiny)
        .values_list("instrument__code", "instrument__kind")
        .annotate(n=Count("pk"))
        .order_by()
        if kind in NAMED_SOURCES or n < SMALL_POPULATION
    }


def distributions_for_publication(
    distributions: Iterable[QuestionDistribution],
    *,
    scrutiny: Scrutiny,
    protected: set[str] | None = None,
) -> list[DistributionShown]:
    """Every distribution as it may leave the screen (one query, none if `protected` is given
    from `distributions_protected`)."""
    if protected is None:
        protected = distributions_protected(scrutiny=scrutiny)
    threshold = scrutiny.suppression_threshold
    return [
        distribution_shown(d, threshold=threshold, protected=d.instrument_code in protected)
        for d in distributions
    ]


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


# ---------------------------------------------------------------------------------------------
# The workspace's words: findings and quotes, as pages, the API and the pack show them.

SOURCE_LABELS: dict[str, str] = dict(Source.choices)


@dataclass(frozen=True)
class FindingPublished:
    factor: str  # the success factor's code
    drafted: str
    strengths: tuple[str, ...]  # one a line
    improvements: tuple[str, ...]
    signed_off_at: dt.datetime | None


@dataclass(frozen=True)
class QuotePublished:
    pk: int
    text: str
    source: str  # the source's label
    label: str  # the agency or area it may be shown with, or ""


def finding_published(finding: Finding, *, redactor: Redactor) -> FindingPublished:
    """A finding's words as they may leave the screen: the drafted text and every line the
    scrutineer wrote, redacted (§10). No query (give a finding with its factor)."""
    return FindingPublished(
        factor=finding.factor.code,
        drafted=redactor.redact(finding.drafted),
        strengths=tuple(redactor.redact(line) for line in finding.strengths.splitlines()),
        improvements=tuple(redactor.redact(line) for line in finding.improvements.splitlines()),
        signed_off_at=finding.signed_off_at,
    )


def quote_published(quote: Quote, *, redactor: Redactor) -> QuotePublished:
    """A quote as it may leave the screen: its text redacted again as redaction stands now (a
    case reference or term added since it was tagged goes too), with the label it was given
    when tagged (`scrutiny.workspace.CommentLabels`: an agency or area that the factor's
    breakdown and the response's row both show). No query."""
    return QuotePublished(
        pk=quote.pk,
        text=redactor.redact(quote.text),
        source=SOURCE_LABELS.get(quote.source, ""),
        label=quote.label,
    )
