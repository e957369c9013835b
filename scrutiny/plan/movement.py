"""How a success factor moved between two scrutinies of a theme: its score and rating in each
(`scrutiny.scoring`), the change, and whether it moved up far enough to count as evidence of
impact. Shown beside a carried action and checked when a later scrutiny is Blue's evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrutiny.models import Action, Scrutiny
from scrutiny.scoring import RATING_LABELS, FactorScores, Rating, ScrutinyScores, scrutiny_scores


@dataclass(frozen=True)
class Movement:
    code: str
    before_title: str
    after_title: str
    before: float | None  # 0 to 100, one decimal place
    after: float | None
    before_rating: Rating
    after_rating: Rating

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)

    @property
    def moved_up(self) -> bool:
        """Evidence of impact: scored in both, sufficient in the later one, and higher."""
        return (
            self.change is not None and self.change > 0 and self.after_rating != Rating.INSUFFICIENT
        )

    def describe(self) -> str:
        def point(score: float | None, rating: Rating, title: str) -> str:
            if score is None:
                return f"no score in {title}"
            return f"{score:.1f} ({RATING_LABELS[rating].lower()}) in {title}"

        start = point(self.before, self.before_rating, self.before_title)
        end = point(self.after, self.after_rating, self.after_title)
        change = f": {self.change:+.1f} points" if self.change is not None else ""
        return f"{self.code} went from {start} to {end}{change}."


class ScoresCache:
    """Each scrutiny's scores worked out once, however many actions ask."""

    def __init__(self) -> None:
        self._scores: dict[int, ScrutinyScores] = {}

    def factor(self, scrutiny: Scrutiny, code: str) -> FactorScores | None:
        if scrutiny.pk not in self._scores:
            self._scores[scrutiny.pk] = scrutiny_scores(scrutiny=scrutiny)
        try:
            return self._scores[scrutiny.pk].factor(code)
        except KeyError:
            return None


def factor_movement(
    *, code: str, before: Scrutiny, after: Scrutiny, cache: ScoresCache | None = None
) -> Movement:
    cache = cache or ScoresCache()
    earlier, later = cache.factor(before, code), cache.factor(after, code)
    return Movement(
        code=code,
        before_title=before.title,
        after_title=after.title,
        before=earlier.display if earlier else None,
        after=later.display if later else None,
        before_rating=earlier.rating if earlier else Rating.INSUFFICIENT,
        after_rating=later.rating if later else Rating.INSUFFICIENT,
    )


def factor_movements(actions: Iterable[Action]) -> dict[int, Movement]:
    """How the factor of each carried action moved between the scrutiny it was carried from
    and the one it is in now (actions need `scrutiny`, `carried_from` and `factor` loaded)."""
    cache = ScoresCache()
    movements: dict[int, Movement] = {}
    for action in actions:
        if not (action.carried_from_id and action.scrutiny_id and action.factor_id):
            continue
        before, after, factor = action.carried_from, action.scrutiny, action.factor
        assert before is not None and after is not None and factor is not None  # their ids are
        movements[action.pk] = factor_movement(
            code=factor.code, before=before, after=after, cache=cache
        )
    return movements
