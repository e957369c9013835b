"""Drawing one response's answers for the demo.

A scored question aims at the mean target of its success factors, moved by a shift (the
respondent's agency and area) and a little personal noise. The option is then drawn so that its
expected answer score is that aim: of the two options either side of it, the nearer one is the
likelier. So a source's mean score for a factor comes out close to its target, and a breakdown
by agency or area shows the shifts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import pairwise
from statistics import fmean
from typing import Any

from scrutiny.instruments import (
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    option_list_is_scored,
)

Texts = Callable[[QuestionDef, dict[str, Any]], str]


def _scores(options: tuple[OptionDef, ...]) -> list[tuple[float, str]]:
    """(answer score, value) of the scored options, lowest first (SCORING.md §2)."""
    scored = sorted((o for o in options if o.points is not None), key=lambda o: o.points or 0)
    lo, hi = scored[0].points or 0.0, scored[-1].points or 0.0
    return [(((o.points or 0.0) - lo) / (hi - lo), o.value) for o in scored]


def _scored_value(rng: random.Random, levels: list[tuple[float, str]], aim: float) -> str:
    """An option whose expected score is `aim`: the two options either side of it, the nearer
    one the likelier."""
    x = min(1.0, max(0.0, aim))
    for (low, low_value), (high, high_value) in pairwise(levels):
        if x <= high:
            return high_value if rng.random() < (x - low) / (high - low) else low_value
    return levels[-1][1]


def answers_draw(
    rng: random.Random,
    definition: InstrumentDefinition,
    *,
    targets: dict[str, float],
    shift: float,
    texts: Texts,
    fixed: dict[str, Any] | None = None,
    unscored: dict[str, float] | None = None,
    skip: float = 0.0,
    noise: float = 0.15,
) -> dict[str, Any]:
    """One response's answers (question code to value).

    `fixed` answers are given, not drawn. `unscored` is the chance, by question code ("" for
    any other), of an unscored option such as Not applicable or Don't know. `skip` is the
    chance of leaving an optional choice question unanswered. A scored question linked to no
    factor (an overall grade) aims at the mean of the scores this response has drawn so far.
    """
    fixed = fixed or {}
    unscored = unscored or {}
    values: dict[str, Any] = {}
    drawn: list[float] = []
    for question in definition.questions:
        code = question.code
        if code in fixed:
            values[code] = fixed[code]
            continue
        if question.type == "text":
            text = texts(question, values)
            if text:
                values[code] = text
            continue
        options = definition.option_lists[question.options]
        if not question.required and rng.random() < skip:
            continue
        if question.type == "multiple":
            values[code] = [o.value for o in rng.sample(options, rng.randint(1, 2))]
            continue
        if not option_list_is_scored(options):
            values[code] = rng.choice(options).value
            continue
        blanks = [o for o in options if o.points is None]
        if blanks and rng.random() < unscored.get(code, unscored.get("", 0.0)):
            values[code] = rng.choice(blanks).value
            continue
        if question.factors:
            aim = fmean(targets[ref.code] for ref in question.factors) + shift
            aim += rng.gauss(0, noise)
        else:
            aim = fmean(drawn) if drawn else fmean(targets.values()) + shift
            aim += rng.gauss(0, noise / 2)
        levels = _scores(options)
        values[code] = _scored_value(rng, levels, aim)
        drawn.append({value: score for score, value in levels}[values[code]])
    return values
