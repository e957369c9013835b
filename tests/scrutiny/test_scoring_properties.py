"""Property tests: `scrutiny_scores` against a plain-Python statement of SCORING.md.

Hypothesis draws small random scrutinies (instruments of several kinds, option lists with any
points, factor weights, source weights, drafts, moderated audits, responses with and without an
agency or area). Each is built through the core services; the reference below computes the same
scores from the drawn data alone, with exact fractions, and the two must agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrutiny.instruments import OptionDef
from scrutiny.models import Source
from scrutiny.scoring import scrutiny_scores
from tests.scrutiny.test_scoring_builders import (
    Evidence,
    Q,
    make_instrument,
    make_scrutiny,
    supersede,
)

FACTOR_CODES = ("SF1", "SF2", "SF3")
AGENCIES = ("AG1", "AG2", "AG3")
AREAS = ("AR1", "AR2")


# The data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    points: tuple[int | None, ...]  # one option per entry, valued o0, o1, …; None: no points
    factors: tuple[tuple[str, Fraction], ...]

    def option_value(self, index: int) -> str:
        return f"o{index}"

    @property
    def scored(self) -> bool:
        return len({p for p in self.points if p is not None}) >= 2


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    kind: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class ResponseSpec:
    instrument: int
    answers: tuple[int | None, ...]  # chosen option index per question, None: unanswered
    agency: str | None
    area: str | None
    draft: bool
    superseded: bool  # a contribution replaced by a later agreed response


@dataclass(frozen=True)
class DataSpec:
    weights: dict[str, Fraction]
    min_responses: int
    instruments: tuple[InstrumentSpec, ...]
    responses: tuple[ResponseSpec, ...]


weights_st = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3)])


@st.composite
def question_st(draw: st.DrawFn, code: str) -> QuestionSpec:
    points = draw(
        st.lists(st.one_of(st.none(), st.integers(-3, 6)), min_size=2, max_size=5).filter(
            lambda ps: len({p for p in ps if p is not None}) >= 2
        )
    )
    factors = draw(st.lists(st.sampled_from(FACTOR_CODES), unique=True, max_size=3))
    return QuestionSpec(code, tuple(points), tuple((f, draw(weights_st)) for f in sorted(factors)))


@st.composite
def data_st(draw: st.DrawFn) -> DataSpec:
    kinds = draw(st.lists(st.sampled_from(Source.values), min_size=1, max_size=3, unique=True))
    instruments = tuple(
        InstrumentSpec(
            f"I{i}",
            kind,
            tuple(draw(question_st(f"I{i}Q{j}")) for j in range(draw(st.integers(1, 3)))),
        )
        for i, kind in enumerate(kinds)
    )
    responses = []
    for _ in range(draw(st.integers(0, 12))):
        index = draw(st.integers(0, len(instruments) - 1))
        answers = tuple(
            draw(st.one_of(st.none(), st.integers(0, len(q.points) - 1)))
            for q in instruments[index].questions
        )
        draft = draw(st.integers(0, 3)) == 0
        responses.append(
            ResponseSpec(
                instrument=index,
                answers=answers,
                agency=draw(st.one_of(st.none(), st.sampled_from(AGENCIES))),
                area=draw(st.one_of(st.none(), st.sampled_from(AREAS))),
                draft=draft,
                superseded=not draft and draw(st.integers(0, 4)) == 0,
            )
        )
    weights = {kind: draw(weights_st) for kind in draw(st.lists(st.sampled_from(kinds)))}
    return DataSpec(weights, draw(st.integers(1, 4)), instruments, tuple(responses))


# The reference: SCORING.md §2 to §9 in plain Python -------------------------------------------


def answer_score(question: QuestionSpec, index: int) -> Fraction | None:
    points = [p for p in question.points if p is not None]
    chosen = question.points[index]
    if chosen is None or not question.scored:
        return None
    return Fraction(chosen - min(points), max(points) - min(points))


def response_score(instrument: InstrumentSpec, response: ResponseSpec, factor: str):
    weighted, weights = Fraction(0), Fraction(0)
    for question, chosen in zip(instrument.questions, response.answers, strict=True):
        for code, weight in question.factors:
            score = None if chosen is None else answer_score(question, chosen)
            if code == factor and score is not None:
                weighted += weight * score
                weights += weight
    return weighted / weights if weights else None


def triangulate(data: DataSpec, responses: list[ResponseSpec], factor: str):
    by_source: dict[str, list[Fraction]] = defaultdict(list)
    for response in responses:
        if response.draft or response.superseded:
            continue
        instrument = data.instruments[response.instrument]
        score = response_score(instrument, response, factor)
        if score is not None:
            by_source[instrument.kind].append(score)
    if not by_source:
        return None, 0, {}
    means = {kind: sum(scores) / len(scores) for kind, scores in by_source.items()}
    weight = {kind: data.weights.get(kind, Fraction(1)) for kind in means}
    score = sum(weight[k] * means[k] for k in means) / sum(weight.values())
    n = sum(len(scores) for scores in by_source.values())
    return score, n, {k: (means[k], len(by_source[k])) for k in means}


def shown(score: Fraction) -> float:
    exact = Decimal(score.numerator * 100) / Decimal(score.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rated(score: Fraction | None, n: int, minimum: int) -> str:
    if score is None or n < minimum:
        return "insufficient"
    return "strong" if score * 100 >= 75 else "some" if score * 100 >= 50 else "limited"


# Building the drawn data through the core services ----------------------------------------------


def build(partnership, data: DataSpec):
    scrutiny = make_scrutiny(
        partnership,
        slug="property",
        factors=[(code, f"Factor {code}") for code in FACTOR_CODES],
        source_weights={k: float(w) for k, w in data.weights.items()},
        min_responses=data.min_responses,
        agencies=AGENCIES,
        areas=AREAS,
    )
    compiled = [
        make_instrument(
            scrutiny,
            code=spec.code,
            kind=spec.kind,
            questions=[
                Q(q.code, q.code, "; ".join(f"{f}:{float(w)}" for f, w in q.factors))
                for q in spec.questions
            ],
            option_lists={
                q.code: tuple(
                    OptionDef(q.option_value(i), f"Option {i}", None if p is None else float(p))
                    for i, p in enumerate(q.points)
                )
                for q in spec.questions
            },
        )
        for spec in data.instruments
    ]
    evidence = Evidence(scrutiny)
    for response in data.responses:
        spec = data.instruments[response.instrument]
        values = {
            q.code: q.option_value(chosen)
            for q, chosen in zip(spec.questions, response.answers, strict=True)
            if chosen is not None
        }
        written = evidence.submit(
            compiled[response.instrument],
            values,
            agency=response.agency,
            area=response.area,
            draft=response.draft,
        )
        if response.superseded:
            agreed = evidence.submit(compiled[response.instrument], values)
            supersede([written], agreed=agreed)
    return scrutiny


def agreed_responses(data: DataSpec) -> list[ResponseSpec]:
    """The agreed response `build` adds for each superseded one: the same answers, agreed at a
    moderation meeting, with no agency or area."""
    return [
        ResponseSpec(r.instrument, r.answers, None, None, False, False)
        for r in data.responses
        if r.superseded
    ]


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=data_st())
def test_scores_match_the_plain_statement_of_the_rules(partnership, data):
    with transaction.atomic():
        scrutiny = build(partnership, data)
        scores = scrutiny_scores(scrutiny=scrutiny)
        transaction.set_rollback(True)

    responses = [*data.responses, *agreed_responses(data)]
    assert [f.code for f in scores.factors] == list(FACTOR_CODES)
    for factor in scores.factors:
        score, n, sources = triangulate(data, responses, factor.code)
        assert factor.n == n
        if score is None:
            assert (factor.score, factor.display, factor.sources) == (None, None, {})
        else:
            assert factor.score == pytest.approx(float(score), abs=1e-12)
            assert factor.display == shown(score)
        assert factor.rating == rated(score, n, data.min_responses)
        assert {k: (c.score, c.n) for k, c in factor.sources.items()} == {
            k: (pytest.approx(float(mean), abs=1e-12), count)
            for k, (mean, count) in sources.items()
        }
        for attribute, codes in (("agency", AGENCIES), ("area", AREAS)):
            expected = {}
            for code in codes:
                alone = [r for r in responses if getattr(r, attribute) == code]
                cell_score, cell_n, _ = triangulate(data, alone, factor.code)
                if cell_n:
                    expected[code] = (pytest.approx(float(cell_score), abs=1e-12), cell_n)
            cells = factor.agencies if attribute == "agency" else factor.areas
            assert {code: (c.score, c.n) for code, c in cells.items()} == expected
            assert list(cells) == sorted(cells)
