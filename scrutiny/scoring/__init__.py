"""Scoring: the rule of SCORING.md, computed in the database.

The formula, step by step (section numbers are those of SCORING.md):

1. A question is scored when it is single choice and its option list gives points to at least two
   options with different points. Options without points ("Not applicable", "Don't know") are
   answers that count for nothing.
2. An answer with points p to a scored question whose options run from lo to hi scores
   ``s(r, q) = (p - lo) / (hi - lo)``, from 0 to 1. It is fixed when the answer is saved
   (``Answer.score``), and null for an unscored answer.
3. A scored question maps to success factors, each with a weight ``w(q, f) > 0``.
4. A response's score for a factor: ``s(r, f) = Σ w(q, f)·s(r, q) / Σ w(q, f)`` over the scored
   questions mapped to f that r answered with a scored option. With no such answer r does not
   count for f.
5. Counting responses: submitted, and not superseded by a moderated, agreed response.
6. Source score: ``S(src, f)`` = the plain mean of ``s(r, f)`` over the counting responses from
   instruments of that kind; ``n(src, f)`` = how many.
7. Factor score (triangulation): ``S(f) = Σ W(src)·S(src, f) / Σ W(src)`` over the sources with
   ``n(src, f) > 0``, W being the scrutiny's source weight (1 when not set);
   ``n(f) = Σ n(src, f)``. Shown as ``100·S`` rounded half-up to one decimal place, for display
   only.
8. Rating: ``n(f)`` below the scrutiny's minimum → insufficient; else ``100·S(f)`` at or above the
   strong threshold → strong; at or above the some threshold → some; else limited. Thresholds
   are compared with the unrounded score.
9. A breakdown by agency (area) applies 6 and 7 to that agency's (area's) counting responses
   alone; responses with no agency (area) and cells with n = 0 are left out. (Suppressing small
   cells is for output that leaves the scrutineer's screen: ``scrutiny.disclosure``.)

A question's own score (`question_score`, which the drafted findings quote) is the mean of its
answer scores ``s(r, q)`` over the counting responses that gave a scored option, shown as every
score is (``display_score``).

The rule is computed in three modules, and every name they offer is importable from
`scrutiny.scoring` itself, as it was when this was one module:

- `results`: ``percent``, ``display_score`` (half up) and ``rating_for`` (§7, §8), and the
  results as plain data (`Cell`, `FactorScores`, `ScrutinyScores`), unsuppressed;
- `aggregate`: `scrutiny_scores`, steps 4 to 9 in one query;
- `distributions`: counts per option of every choice question (`question_distributions`) and a
  question's own score (`question_score`).
"""

from scrutiny.scoring.aggregate import scrutiny_scores
from scrutiny.scoring.distributions import (
    OptionCount,
    QuestionDistribution,
    question_distributions,
    question_score,
)
from scrutiny.scoring.results import (
    RATING_LABELS,
    SOURCES,
    Cell,
    FactorScores,
    Rating,
    ScrutinyScores,
    clamped,
    display_score,
    percent,
    rating_for,
)

__all__ = [
    "RATING_LABELS",
    "SOURCES",
    "Cell",
    "FactorScores",
    "OptionCount",
    "QuestionDistribution",
    "Rating",
    "ScrutinyScores",
    "clamped",
    "display_score",
    "percent",
    "question_distributions",
    "question_score",
    "rating_for",
    "scrutiny_scores",
]
