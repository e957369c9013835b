"""Drawing a sample of case files: a pure function of the population, the rule and the seed.

No database, no clock and no `random`: the same case list, rule and seed give the same sample on
any installation, operating system and version of Python, so that a draw can be shown to be fair
and repeated by anyone, with this code or without it.

The method
----------
1. **Filter.** Keep the case files whose value in each filtered column is one of the values
   chosen for it (values compared exactly as written in the list; columns not filtered keep
   every case file). The number kept is the *population*.
2. **Group.** Put the kept case files into groups by their value of the stratifying column
   (`by`). Groups come in the order their first case file appears in the list.
3. **Order each group at random, reproducibly.** Give every case file the key

       SHA-256 of the UTF-8 text "<seed>:<case_ref>"

   written as 64 lower-case hexadecimal digits, with the seed in plain decimal (for seed 42 and
   case C-1042 the text is `42:C-1042`). Order each group by its keys, smallest first.
4. **Take.** Take the first `per` case files of each group: all of a group that has fewer.

The sample is the groups in order, each group's case files in key order.

Why it is fair: SHA-256 is designed so that its output cannot be predicted or steered from its
input; ordering by it is, for every practical purpose, a uniformly random ordering of each
group, and which cases come first depends on the seed, which nobody can tune without the draw
changing. Why it repeats: the keys depend only on the seed and the case references, not on the
order of rows within a group, Python's `random` (whose `sample` and `shuffle` have changed
between versions), hash randomisation, the database or the machine. Anyone can check a draw
with any SHA-256 tool, for example `printf '42:C-1042' | sha256sum`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from scrutiny.errors import ApplicationError

SEED_MIN = 0
SEED_MAX = 2**63 - 1  # what the database keeps (a signed 64-bit integer)
PER_MAX = 2**31 - 1  # what the database keeps (an integer column, on PostgreSQL too)
ROWS_LISTED = 10


class Candidate(Protocol):
    """A case file of the population: a row of a case list."""

    @property
    def row(self) -> int: ...

    @property
    def case_ref(self) -> str: ...

    @property
    def data(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Rule:
    """What to draw: `per` case files from each value of column `by`, after the filters
    (column → the values kept)."""

    by: str
    per: int
    filters: Mapping[str, Collection[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Drawn:
    case: Candidate
    group: str
    key: str  # the SHA-256 the case file was ordered by

    @property
    def case_ref(self) -> str:
        return self.case.case_ref


@dataclass(frozen=True)
class Group:
    value: str
    population: int  # case files of the group after filtering
    drawn: tuple[Drawn, ...]


@dataclass(frozen=True)
class Draw:
    seed: int
    rule: Rule
    population: int  # case files kept by the filters
    groups: tuple[Group, ...]

    @property
    def cases(self) -> list[Drawn]:
        """The sample in order: the groups in order, each in key order."""
        return [drawn for group in self.groups for drawn in group.drawn]


def draw_key(seed: int, case_ref: str) -> str:
    """The key a case file is ordered by within its group (step 3 of the method)."""
    return hashlib.sha256(f"{seed}:{case_ref}".encode()).hexdigest()


def _first(pair: tuple[str, Candidate]) -> str:
    return pair[0]


def _rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_LISTED])
    more = len(rows) - ROWS_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _per_check(per: int) -> None:
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise ApplicationError(
            "How many case files from each group must be a whole number of at least 1."
        )
    if per > PER_MAX:
        raise ApplicationError(
            f"How many case files from each group must be at most {PER_MAX}: a group with fewer "
            "case files gives all of them, so the size of the largest group takes them all."
        )


def _rule_check(rule: Rule, seed: int) -> None:
    _per_check(rule.per)
    if isinstance(seed, bool) or not isinstance(seed, int) or not SEED_MIN <= seed <= SEED_MAX:
        raise ApplicationError(f"The seed must be a whole number from {SEED_MIN} to {SEED_MAX}.")
    if not rule.by:
        raise ApplicationError("Choose the column to stratify the draw by.")
    for column, values in rule.filters.items():
        if not values:
            raise ApplicationError(
                f"The filter on {column} keeps no value, so no case file would be kept: choose "
                "at least one value, or leave the column unfiltered."
            )


def sample_cases(population: Sequence[Candidate], *, rule: Rule, seed: int) -> Draw:
    """Draw the sample from the population as the module's docstring says.

    Every case file needs a value in the `by` column once filtered: an empty one is an error
    that names its rows (fill it in, or filter those rows out).
    """
    _rule_check(rule, seed)
    kept = [
        case
        for case in population
        if all(case.data.get(column, "") in values for column, values in rule.filters.items())
    ]
    blank = [case.row for case in kept if not case.data.get(rule.by, "")]
    if blank:
        s = "" if len(blank) == 1 else "s"
        raise ApplicationError(
            f"Row{s} {_rows(blank)} of the case list {'has' if not s else 'have'} no {rule.by}, "
            f"the column the draw is stratified by. Fill {'it' if not s else 'them'} in, or "
            "filter those case files out."
        )
    groups: dict[str, list[Candidate]] = {}
    for case in kept:
        groups.setdefault(case.data[rule.by], []).append(case)
    drawn_groups = []
    for value, members in groups.items():
        keyed = sorted(((draw_key(seed, case.case_ref), case) for case in members), key=_first)
        drawn_groups.append(
            Group(
                value=value,
                population=len(members),
                drawn=tuple(Drawn(case, value, key) for key, case in keyed[: rule.per]),
            )
        )
    return Draw(seed=seed, rule=rule, population=len(kept), groups=tuple(drawn_groups))
