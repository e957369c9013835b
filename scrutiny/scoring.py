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

How it is computed. One query works out ``s(r, f)`` for every counting response and factor
and, around it, adds those up by source, agency and area: for each factor, a sum of ``s(r, f)``
and a count. That table has at most (sources x agencies x areas x factors)
rows, whatever the number of responses, and source means, triangulation and every breakdown are
combined from it in Python. So scoring a scrutiny is two queries (its factors, then that one),
however many responses, agencies or areas it has.

Floating point. Scores such as 1/3 cannot be held exactly in binary floating point, so a score
whose true value is 62.25 may be computed as 62.249999999999993. Before a score is rounded for
display or compared with a threshold, ``100·S`` is taken as a decimal and rounded to nine decimal
places (``percent``), which removes that noise (it is around 1e-13) and changes no true score
that has a realistic number of responses. Only then is it rounded half-up to one decimal place.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.db import connection
from django.db.models import Count

from scrutiny.errors import ApplicationError
from scrutiny.instruments import answer_score
from scrutiny.models import (
    Agency,
    Answer,
    Area,
    FactorLink,
    Instrument,
    Option,
    Question,
    Response,
    Scrutiny,
    Source,
    SuccessFactor,
)

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


# ---------------------------------------------------------------------------------------------
# The aggregate.


@dataclass(frozen=True)
class _Row:
    """Counting responses of one source, agency and area, for one factor: Σ s(r, f) and n."""

    source: str
    agency: str | None
    area: str | None
    factor_id: int
    total: float
    n: int


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type) -> str:
    return _q(model._meta.db_table)  # type: ignore[attr-defined]


def _column(model: type, name: str) -> str:
    return _q(model._meta.get_field(name).column)  # type: ignore[attr-defined]


def _aggregate_sql(factors: int) -> str:
    """SQL of the one scoring query, for a scrutiny of `factors` success factors.

    Parameters: each factor's id twice, then the scrutiny's id and the submitted status.

    The inner query makes one row per counting response, holding for each factor f the sums
    ``Σ w(q, f)·s(r, q)`` (n_f) and ``Σ w(q, f)`` (d_f) over its scored answers; d_f is null when
    the response has none for f. Grouping by response alone (rather than by response and factor)
    lets SQLite read the rows in the order of the response index without sorting them, which
    halves the time. The outer query adds ``s(r, f) = n_f / d_f`` up by source, agency and area,
    and counts the responses with a d_f. Plain SQL that SQLite and PostgreSQL both run: the ORM
    cannot aggregate over an aggregate. Only names of the models' tables and columns are
    formatted in; every value is a parameter.
    """
    r, a, link, ag, ar = Response, Answer, FactorLink, Agency, Area
    weight, score = f"l.{_column(link, 'weight')}", f"a.{_column(a, 'score')}"
    factor = f"l.{_column(link, 'factor')}"
    sums = ",\n".join(
        f"SUM(CASE WHEN {factor} = %s THEN {weight} * {score} END) AS n{i}, "
        f"SUM(CASE WHEN {factor} = %s THEN {weight} END) AS d{i}"
        for i in range(factors)
    )
    means = ",\n".join(f"SUM(p.n{i} / p.d{i}), COUNT(p.d{i})" for i in range(factors))
    # GROUP BY the response's primary key: its other columns depend on it (PostgreSQL allows
    # them for that reason; SQLite allows them anyway). The WHERE on status and superseded_by is
    # the rule of the counting responses (`ResponseQuerySet.counting`) spelt in this plain SQL.
    per_response = f"""
        SELECT r.{_column(r, "source")} AS source,
               r.{_column(r, "agency")} AS agency_id,
               r.{_column(r, "area")} AS area_id,
               {sums}
        FROM {_table(r)} r
        INNER JOIN {_table(a)} a ON a.{_column(a, "response")} = r.{_column(r, "id")}
        INNER JOIN {_table(link)} l ON l.{_column(link, "question")} = a.{_column(a, "question")}
        WHERE r.{_column(r, "scrutiny")} = %s
          AND r.{_column(r, "status")} = %s
          AND r.{_column(r, "superseded_by")} IS NULL
          AND a.{_column(a, "score")} IS NOT NULL
        GROUP BY r.{_column(r, "source")}, r.{_column(r, "id")}
    """  # noqa: S608
    return f"""
        SELECT p.source, ag.{_column(ag, "code")}, ar.{_column(ar, "code")},
               {means}
        FROM ({per_response}) p
        LEFT JOIN {_table(ag)} ag ON ag.{_column(ag, "id")} = p.agency_id
        LEFT JOIN {_table(ar)} ar ON ar.{_column(ar, "id")} = p.area_id
        GROUP BY p.source, p.agency_id, ag.{_column(ag, "code")},
                 p.area_id, ar.{_column(ar, "code")}
    """  # noqa: S608


def _rows(scrutiny: Scrutiny, factor_ids: list[int]) -> list[_Row]:
    if not factor_ids:
        return []
    params: list[object] = [pk for pk in factor_ids for _ in range(2)]
    params += [scrutiny.pk, Response.Status.SUBMITTED]
    rows: list[_Row] = []
    with connection.cursor() as cursor:
        cursor.execute(_aggregate_sql(len(factor_ids)), params)
        for source, agency, area, *cells in cursor.fetchall():
            for i, factor_id in enumerate(factor_ids):
                total, n = cells[2 * i], cells[2 * i + 1]
                if n:
                    rows.append(_Row(source, agency, area, factor_id, float(total), int(n)))
    return rows


# ---------------------------------------------------------------------------------------------
# Combining the small table: source means (§6), triangulation (§7), breakdowns (§9).


class _Tally:
    """Sums of s(r, f) and counts, kept per source, to be combined into a triangulated cell."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, row: _Row) -> None:
        self.totals[row.source].append(row.total)
        self.counts[row.source] += row.n

    def sources(self) -> dict[str, Cell]:
        """S(src, f) and n(src, f) for each source with n > 0 (§6), in SOURCES order."""
        return {
            source: Cell(_unit(math.fsum(self.totals[source]) / self.counts[source]), n)
            for source in SOURCES
            if (n := self.counts.get(source, 0)) > 0
        }

    def cell(self, weights: Mapping[str, float]) -> Cell | None:
        """The triangulated score of these responses (§7); None when none count."""
        return _triangulate(self.sources(), weights)


def _unit(value: float) -> float:
    # A mean of numbers from 0 to 1 is from 0 to 1; floating point may step a hair outside.
    return min(1.0, max(0.0, value))


def _triangulate(sources: Mapping[str, Cell], weights: Mapping[str, float]) -> Cell | None:
    if not sources:
        return None
    total_weight = math.fsum(weights[source] for source in sources)
    if not total_weight > 0:
        raise ApplicationError(
            "The source weights of " + ", ".join(sources) + " add up to 0: each must be above 0."
        )
    score = math.fsum(weights[source] * cell.score for source, cell in sources.items())
    return Cell(_unit(score / total_weight), sum(cell.n for cell in sources.values()))


def _breakdown(tallies: Mapping[str, _Tally], weights: Mapping[str, float]) -> dict[str, Cell]:
    cells = {code: tally.cell(weights) for code, tally in sorted(tallies.items())}
    return {code: cell for code, cell in cells.items() if cell is not None}


def scrutiny_scores(*, scrutiny: Scrutiny) -> ScrutinyScores:
    """Every success factor's score, rating and breakdowns: unsuppressed (two queries)."""
    factors = sorted(
        SuccessFactor.objects.filter(scrutiny=scrutiny).only("id", "code", "statement"),
        key=lambda factor: factor.code,
    )
    weights = {source: scrutiny.source_weight(source) for source in SOURCES}
    overall: dict[int, _Tally] = defaultdict(_Tally)
    by_agency: dict[int, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    by_area: dict[int, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    for row in _rows(scrutiny, [factor.pk for factor in factors]):
        overall[row.factor_id].add(row)
        if row.agency is not None:
            by_agency[row.factor_id][row.agency].add(row)
        if row.area is not None:
            by_area[row.factor_id][row.area].add(row)

    results: list[FactorScores] = []
    for factor in factors:
        tally = overall.get(factor.pk, _Tally())
        sources = tally.sources()
        cell = _triangulate(sources, weights)
        score = cell.score if cell else None
        n = cell.n if cell else 0
        results.append(
            FactorScores(
                code=factor.code,
                statement=factor.statement,
                score=score,
                display=display_score(score) if score is not None else None,
                rating=rating_for(
                    score=score,
                    n=n,
                    strong=scrutiny.strong_threshold,
                    some=scrutiny.some_threshold,
                    minimum=scrutiny.min_responses,
                ),
                n=n,
                sources=sources,
                agencies=_breakdown(by_agency.get(factor.pk, {}), weights),
                areas=_breakdown(by_area.get(factor.pk, {}), weights),
            )
        )
    return ScrutinyScores(slug=scrutiny.slug, title=scrutiny.title, factors=tuple(results))


# ---------------------------------------------------------------------------------------------
# How each choice question was answered.


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
    version and question order. Four queries, however many questions and responses."""
    questions = Question.objects.filter(
        version__instrument__scrutiny=scrutiny,
        type__in=(Question.Type.SINGLE, Question.Type.MULTIPLE),
    )
    options = Option.objects.filter(option_list__version__instrument__scrutiny=scrutiny)
    answers = Answer.objects.counting().filter(response__scrutiny=scrutiny, option__isnull=False)
    if instrument is not None:
        questions = questions.filter(version__instrument=instrument)
        options = options.filter(option_list__version__instrument=instrument)
        answers = answers.filter(response__instrument=instrument)

    options_by_list: dict[int, list[Option]] = defaultdict(list)
    for option in options.order_by("option_list_id", "position"):
        options_by_list[option.option_list_id].append(option)
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
    return Cell(_unit(math.fsum(count * (s or 0.0) for count, s in scored) / n), n)
