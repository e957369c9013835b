"""Small-number suppression (SCORING.md §9): what of a count may leave the scrutineer's screen.

- `suppressed_codes` is the suppression rule itself, for any breakdown of counts (code → n): the
  agency and area breakdowns of the scores (`scrutiny.disclosure.publication`), response rates;
- `rows_coarsen` (and `ResponseLabels`, its reading of the database) decides what agency, area,
  role and day each row of a row-level output (the pack's response sheets) may show;
- `distributions_for_publication` (`distribution_shown` for one question) suppresses small
  counts per option of board questionnaires, family feedback and instruments with fewer than
  SMALL_POPULATION responses (`distributions_protected`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate

from scrutiny.kept import kept
from scrutiny.models import Response, Scrutiny, Source
from scrutiny.scoring import QuestionDistribution

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


def _combinations(scrutiny: Scrutiny) -> dict[int, dict[RowKey, int]]:
    """How many counting responses of each instrument have each (agency, area, role, day)."""
    combinations: dict[int, dict[RowKey, int]] = defaultdict(dict)
    for instrument_id, agency, area, role, day, n in (
        Response.objects.counting()
        .filter(scrutiny=scrutiny)
        .annotate(submitted_day=TruncDate("submitted_at"))
        .values_list("instrument_id", "agency__code", "area__code", "role__code", "submitted_day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        combinations[instrument_id][(agency, area, role, day)] = n
    return dict(combinations)


@dataclass(frozen=True)
class ResponseLabels:
    """What each counting response of a scrutiny may show of its agency, area, role and day
    (codes, the day its submitted time falls on in the site's time zone), instrument by
    instrument: each instrument's response sheet is one row-level output. Build it with one
    grouped query (`for_scrutiny`), then look rows up without another."""

    shown: dict[int, dict[RowKey, RowKey]]  # instrument id → combination → what it shows

    @classmethod
    def for_scrutiny(cls, scrutiny: Scrutiny) -> ResponseLabels:
        combinations = kept(scrutiny, "response labels", lambda: _combinations(scrutiny))
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

# Sources whose every distribution is protected: board members answer by name, a family is one
# of few, and a child is one of a class. So is any instrument with fewer counting responses than
# SMALL_POPULATION.
NAMED_SOURCES = frozenset(
    {
        Source.BOARD_QUESTIONNAIRE.value,
        Source.FAMILY_FEEDBACK.value,
        Source.YOUNG_PEOPLE.value,
    }
)
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
    an instrument with none has nothing to protect); none while its evidence is unchanged."""
    counted = kept(
        scrutiny,
        "instrument counts",
        lambda: list(
            Response.objects.counting()
            .filter(scrutiny=scrutiny)
            .values_list("instrument__code", "instrument__kind")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    return {code for code, kind, n in counted if kind in NAMED_SOURCES or n < SMALL_POPULATION}


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
