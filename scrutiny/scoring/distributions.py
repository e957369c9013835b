"""How each choice question was answered: counts per option (`question_distributions`), and a
scored question's own score (`question_score`), which the drafted findings quote.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from scrutiny.instruments import answer_score
from scrutiny.kept import kept
from scrutiny.models import Answer, Instrument, Option, Question, Scrutiny
from scrutiny.scoring.results import Cell, clamped


@dataclass(frozen=True)
class OptionCount:
    value: str
    label: str
    points: float | None
    count: int


@dataclass(frozen=True)
class QuestionDistribution:
    """How a choice question of one instrument version was answered by counting responses.

    `answered` is how many counting responses answered it; a multiple-choice answer counts once
    there but once for each chosen option in `options`.
    """

    instrument_code: str
    version: int
    code: str
    type: str
    text: str
    answered: int
    options: tuple[OptionCount, ...]  # in option order


def question_distributions(
    *, scrutiny: Scrutiny, instrument: Instrument | None = None
) -> list[QuestionDistribution]:
    """Counts per option of every choice question (of one instrument, or all), in instrument,
    version and question order. Four queries, however many questions and responses; two while
    the scrutiny's evidence is unchanged (the counts are kept: `scrutiny.kept`)."""
    questions = Question.objects.filter(
        version__instrument__scrutiny=scrutiny,
        type__in=(Question.Type.SINGLE, Question.Type.MULTIPLE),
    )
    options = Option.objects.filter(option_list__version__instrument__scrutiny=scrutiny)
    answers = Answer.objects.counting_in(scrutiny).filter(option__isnull=False)
    if instrument is not None:
        questions = questions.filter(version__instrument=instrument)
        options = options.filter(option_list__version__instrument=instrument)
        answers = answers.filter(response__instrument=instrument)

    options_by_list: dict[int, list[Option]] = defaultdict(list)
    for option in options.order_by("option_list_id", "position"):
        options_by_list[option.option_list_id].append(option)
    counts, answered = kept(
        scrutiny,
        "distributions",
        lambda: _counted(answers),
        instrument.pk if instrument is not None else None,
    )
    return [
        QuestionDistribution(
            instrument_code=question.version.instrument.code,
            version=question.version.number,
            code=question.code,
            type=question.type,
            text=question.text,
            answered=answered.get(question.pk, 0),
            options=tuple(
                OptionCount(
                    option.value,
                    option.label,
                    option.points,
                    counts.get((question.pk, option.pk), 0),
                )
                for option in options_by_list.get(question.option_list_id or 0, [])
            ),
        )
        for question in questions.select_related("version__instrument").order_by(
            "version__instrument__code", "version__number", "position"
        )
    ]


def _counted(answers: QuerySet[Answer]) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """How many answers chose each (question, option), and how many responses answered each
    question: the two aggregates over every answer, kept while the evidence is unchanged."""
    counts = {
        (row["question_id"], row["option_id"]): row["n"]
        for row in answers.values("question_id", "option_id").annotate(n=Count("id")).order_by()
    }
    answered = {
        row["question_id"]: row["n"]
        for row in answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    return counts, answered


def question_score(distribution: QuestionDistribution) -> Cell | None:
    """A scored question's mean answer score ``s(r, q)`` (SCORING.md §2) over the counting
    responses that answered it with a scored option, and how many did: a `Cell`, so that it is
    shown as every score is (`display_score`, half up). None for a question that is not scored
    (§1) or that no counting response answered with a scored option."""
    points = [o.points for o in distribution.options if o.points is not None]
    if distribution.type != Question.Type.SINGLE or len(set(points)) < 2:
        return None
    lo, hi = min(points), max(points)
    scored = [
        (option.count, answer_score(option.points, lo, hi))
        for option in distribution.options
        if option.points is not None and option.count
    ]
    n = sum(count for count, _ in scored)
    if not n:
        return None
    return Cell(clamped(math.fsum(count * (s or 0.0) for count, s in scored) / n), n)
