"""What scoring gives: scores rounded for display, ratings, and the results as plain data.

Floating point. Scores such as 1/3 cannot be held exactly in binary floating point, so a score
whose true value is 62.25 may be computed as 62.249999999999993. Before a score is rounded for
display or compared with a threshold, ``100·S`` is taken as a decimal and rounded to nine decimal
places (``percent``), which removes that noise (it is around 1e-13) and changes no true score
that has a realistic number of responses. Only then is it rounded half-up to one decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from scrutiny.models import Source

SOURCES: tuple[str, ...] = tuple(Source.values)

# 100·S is rounded to this many decimal places before anything else is done with it: enough to
# keep every true score apart, few enough to remove floating-point noise (see the docstring).
_NOISE = Decimal("1e-9")
_ONE_DECIMAL = Decimal("0.1")


class Rating(StrEnum):
    STRONG = "strong"
    SOME = "some"
    LIMITED = "limited"
    INSUFFICIENT = "insufficient"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS: dict[Rating, str] = {
    Rating.STRONG: "Strong evidence",
    Rating.SOME: "Some evidence",
    Rating.LIMITED: "Limited evidence",
    Rating.INSUFFICIENT: "Insufficient evidence",
}


# ---------------------------------------------------------------------------------------------
# Rounding and rating.


def percent(score: float) -> Decimal:
    """``100·S`` as a decimal, rid of floating-point noise: the unrounded score of SCORING.md."""
    return (Decimal(repr(score)) * 100).quantize(_NOISE, rounding=ROUND_HALF_EVEN)


def display_score(score: float) -> float:
    """``100·S`` rounded half-up to one decimal place: 0.6225 → 62.3, 1/3 → 33.3, 2/3 → 66.7."""
    return float(percent(score).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def rating_for(*, score: float | None, n: int, strong: float, some: float, minimum: int) -> Rating:
    """SCORING.md §8, comparing the unrounded ``100·S`` with the thresholds."""
    if score is None or n < minimum:
        return Rating.INSUFFICIENT
    value = percent(score)
    if value >= Decimal(repr(float(strong))):
        return Rating.STRONG
    if value >= Decimal(repr(float(some))):
        return Rating.SOME
    return Rating.LIMITED


def clamped(value: float) -> float:
    """`value` kept from 0 to 1: a mean of numbers from 0 to 1 is from 0 to 1, but floating
    point may step a hair outside."""
    return min(1.0, max(0.0, value))


# ---------------------------------------------------------------------------------------------
# Results: plain data, unsuppressed. Only the scrutineer's own screen shows them as they are;
# everything else goes through scrutiny.disclosure.


@dataclass(frozen=True)
class Cell:
    """A score from 0 to 1 with the number of responses behind it (n > 0)."""

    score: float
    n: int

    @property
    def display(self) -> float:
        return display_score(self.score)


@dataclass(frozen=True)
class FactorScores:
    code: str
    statement: str
    score: float | None  # S(f), 0 to 1; None when no response counts
    display: float | None  # 100·S(f) rounded half-up to one decimal place
    rating: Rating
    n: int
    sources: dict[str, Cell] = field(default_factory=dict)  # by kind, in SOURCES order
    agencies: dict[str, Cell] = field(default_factory=dict)  # by agency code, in code order
    areas: dict[str, Cell] = field(default_factory=dict)  # by area code, in code order


@dataclass(frozen=True)
class ScrutinyScores:
    slug: str
    title: str
    factors: tuple[FactorScores, ...]  # in code order

    def factor(self, code: str) -> FactorScores:
        for factor in self.factors:
            if factor.code == code:
                return factor
        raise KeyError(code)
