"""Small-number suppression (SCORING.md §9): what of a count may leave the scrutineer's screen.

- `suppressed_codes` is the suppression rule itself, for any breakdown of counts (code → n): the
  agency and area breakdowns of the scores (`scrutiny.disclosure.publication`), response rates;
- `rows_coarsen` (and `ResponseLabels`, its reading of the database) decides what agency, area,
  role and day each row of a row-level output (the pack's response sheets) may show;
- the counts per option that may be shown, built on `suppressed_codes`, are
  `scrutiny.disclosure.distributions`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate

from scrutiny.kept import kept
from scrutiny.models import Response, Scrutiny

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
