"""The scorecard: a read model of the scrutineer's workspace (the scorecard, a factor's evidence,
its comments), for the workspace's pages, its API, the findings and the event pack.

Reads only. Everything here is built from `scrutiny.scoring` (the numbers) and passes through
`scrutiny.disclosure` (suppression and redaction), because the workspace feeds the event pack
and the API as well as the scrutineer's screen:

- `scorecard`: per success factor its score, rating and n, a bar per source, how far the
  sources' scores spread (in points of 100·S) and whether that is more than the scrutiny's
  divergence margin (triangulation), and the change since an earlier scrutiny that shares the
  factor's code;
- `factor_evidence`: for one factor, each linked question's distribution (by source: a question
  belongs to one instrument, whose kind is its source), with its small counts suppressed
  (`shown`), and the published agency and area breakdowns; `question_scores`, each linked
  question's own score where it may be shown beside its counts (the drafted findings');
- `factor_comments`: the free-text answers given on the pages of the factor's linked questions,
  redacted (SCORING.md §10), searchable, labelled only with an agency or area whose cell of the
  factor's breakdown is shown, never with one that is suppressed, and only as far as its
  response's row in the pack's response sheet shows it (`scrutiny.disclosure.CommentLabels`,
  SCORING.md §9): the comment's text is in that row too, so its label must tell no more
  (the API's list; the evidence page pages, searches and folds them in
  `scrutiny.evidence_comments`);
- `shortened`: a question's words cut at a word's end, for a line that names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from scrutiny.disclosure import (
    SOURCE_LABELS,
    CommentLabels,
    DistributionProtection,
    DistributionShown,
    Redactor,
    answers_shown,
    distributions_protected,
    question_score_shown,
    scores_for_publication,
)
from scrutiny.models import (
    Agency,
    Answer,
    Area,
    FactorLink,
    Question,
    Quote,
    Scrutiny,
    SuccessFactor,
)
from scrutiny.scoring import (
    RATING_LABELS,
    FactorScores,
    QuestionDistribution,
    ScrutinyScores,
    display_score,
    question_distributions,
    scrutiny_scores,
)


@dataclass(frozen=True)
class SourceBar:
    source: str
    label: str
    score: float  # 100·S, one decimal
    n: int


@dataclass(frozen=True)
class ScorecardRow:
    code: str
    statement: str
    score: float | None
    rating: str
    rating_label: str
    n: int
    sources: tuple[SourceBar, ...]
    spread: float | None  # highest source score minus lowest, where two or more sources speak
    divergent: bool
    previous: float | None = None  # the earlier scrutiny's score for the same factor code
    change: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "statement": self.statement,
            "score": self.score,
            "rating": self.rating,
            "rating_label": self.rating_label,
            "n": self.n,
            "sources": [bar.__dict__ for bar in self.sources],
            "spread": self.spread,
            "divergent": self.divergent,
            "previous": self.previous,
            "change": self.change,
        }


def _row(factor: FactorScores, *, margin: float, previous: FactorScores | None) -> ScorecardRow:
    bars = tuple(
        SourceBar(source, SOURCE_LABELS.get(source, source), cell.display, cell.n)
        for source, cell in factor.sources.items()
    )
    spread = None
    if len(factor.sources) > 1:
        scores = [cell.score for cell in factor.sources.values()]
        spread = display_score(max(scores) - min(scores))
    before = previous.display if previous is not None else None
    change = None
    if before is not None and factor.display is not None:
        change = round(factor.display - before, 1)
    return ScorecardRow(
        code=factor.code,
        statement=factor.statement,
        score=factor.display,
        rating=factor.rating.value,
        rating_label=RATING_LABELS[factor.rating],
        n=factor.n,
        sources=bars,
        spread=spread,
        divergent=spread is not None and spread > margin,
        previous=before,
        change=change,
    )


def scorecard(*, scrutiny: Scrutiny, scores: ScrutinyScores | None = None) -> list[ScorecardRow]:
    """The scorecard, factor by factor in code order. Two aggregate queries (three with an
    earlier scrutiny to compare with), however many responses."""
    scores = scores or scrutiny_scores(scrutiny=scrutiny)
    earlier: dict[str, FactorScores] = {}
    if scrutiny.previous_id is not None:
        previous = Scrutiny.objects.get(pk=scrutiny.previous_id)
        earlier = {f.code: f for f in scrutiny_scores(scrutiny=previous).factors}
    return [
        _row(factor, margin=scrutiny.divergence_margin, previous=earlier.get(factor.code))
        for factor in scores.factors
    ]


def shortened(text: str, *, limit: int = 90) -> str:
    """A question's words cut to about `limit` characters at a word's end, for a line that
    names it ("Strongest question: …"); the whole text where it is short enough."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0] if " " in words[:limit] else words[:limit]
    return cut.rstrip(" ,;:.-\u2013") + "…"


# ---------------------------------------------------------------------------------------------
# A factor's evidence


@dataclass(frozen=True)
class BreakdownCell:
    code: str
    name: str
    score: float | None  # None where suppressed
    n: int | None

    @property
    def suppressed(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class QuestionEvidence:
    source: str
    source_label: str
    distribution: QuestionDistribution  # unsuppressed: for the findings' arithmetic, not to show
    weight: float
    shown: DistributionShown  # what pages, API and pack show (SCORING.md §9)
    instrument_title: str = ""  # the words a person reads; the code stays for analysts


@dataclass(frozen=True)
class FactorEvidence:
    factor: SuccessFactor
    row: ScorecardRow
    questions: tuple[QuestionEvidence, ...]
    agencies: tuple[BreakdownCell, ...]
    areas: tuple[BreakdownCell, ...]
    threshold: int
    notes: tuple[Any, ...] = field(default_factory=tuple)


def _breakdown(cells: dict[str, Any], names: dict[str, str]) -> tuple[BreakdownCell, ...]:
    return tuple(
        BreakdownCell(code, names.get(code, code), cell.get("score"), cell.get("n"))
        for code, cell in cells.items()
    )


def factor_links(*, factor: SuccessFactor) -> list[FactorLink]:
    return list(
        FactorLink.objects.filter(factor=factor).select_related(
            "question__version__instrument", "question__section"
        )
    )


def factor_evidence(
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor,
    scores: ScrutinyScores | None = None,
    rows: list[ScorecardRow] | None = None,
    distributions: list[QuestionDistribution] | None = None,
    protection: DistributionProtection | None = None,
) -> FactorEvidence:
    """One factor's evidence: a fixed number of queries, however many responses. Callers that
    look at every factor pass the scores, scorecard rows, distributions and their protection
    (`distributions_protected`) they already have, so that each is worked out once."""
    scores = scores or scrutiny_scores(scrutiny=scrutiny)
    published = next(
        f
        for f in scores_for_publication(scores, scrutiny=scrutiny)["factors"]
        if f["code"] == factor.code
    )
    rows = rows if rows is not None else scorecard(scrutiny=scrutiny, scores=scores)
    row = next(r for r in rows if r.code == factor.code)
    links = factor_links(factor=factor)
    linked = {
        (
            link.question.version.instrument.code,
            link.question.version.number,
            link.question.code,
        ): link
        for link in links
    }
    questions = []
    if distributions is None:
        distributions = question_distributions(scrutiny=scrutiny)
    if protection is None:
        protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
    for distribution in distributions:
        key = (distribution.instrument_code, distribution.version, distribution.code)
        link = linked.get(key)
        if link is None:
            continue
        source = link.question.version.instrument.kind
        questions.append(
            QuestionEvidence(
                source,
                SOURCE_LABELS[source],
                distribution,
                link.weight,
                protection(distribution),
                instrument_title=link.question.version.instrument.title,
            )
        )
    partnership_id = scrutiny.partnership_id
    agency_names = dict(
        Agency.objects.filter(partnership_id=partnership_id).values_list("code", "name")
    )
    area_names = dict(
        Area.objects.filter(partnership_id=partnership_id).values_list("code", "name")
    )
    return FactorEvidence(
        factor=factor,
        row=row,
        questions=tuple(questions),
        agencies=_breakdown(published["agencies"], agency_names),
        areas=_breakdown(published["areas"], area_names),
        threshold=scrutiny.suppression_threshold,
        notes=tuple(factor.notes.select_related("recorded_by").order_by("-recorded_at")),
    )


@dataclass(frozen=True)
class QuestionScore:
    instrument: str
    code: str
    text: str
    source: str
    score: float  # 100 x the mean answer score of those who gave a scored option, as shown
    n: int
    instrument_title: str = ""


def question_scores(questions: tuple[QuestionEvidence, ...]) -> list[QuestionScore]:
    """Each scored linked question's score and n as they may be shown beside its distribution
    (`disclosure.question_score_shown`: none where a count of it is suppressed, SCORING.md §9,
    since "79.2, n 8" beside "6, fewer than 5, fewer than 5" gives the hidden counts back)."""
    scored = []
    for item in questions:
        cell = question_score_shown(item.distribution, item.shown)
        if cell is not None:
            scored.append(
                QuestionScore(
                    item.distribution.instrument_code,
                    item.distribution.code,
                    item.distribution.text,
                    item.source,
                    cell.display,
                    cell.n,
                    instrument_title=item.instrument_title,
                )
            )
    return scored


# ---------------------------------------------------------------------------------------------
# Comments and quotes


@dataclass(frozen=True)
class Comment:
    answer_id: int
    source: str
    source_label: str
    instrument: str
    question: str
    text: str  # redacted
    label: str  # the agency and area it may be shown with, or ""
    quoted: bool = False


def comment_question_set(*, factor: SuccessFactor) -> QuerySet[Question]:
    """The factor's comment questions: the text questions on the same pages (sections) as its
    linked questions."""
    sections = FactorLink.objects.filter(factor=factor).values("question__section_id")
    return Question.objects.filter(type=Question.Type.TEXT, section_id__in=sections)


def comment_questions(*, factor: SuccessFactor) -> Q:
    """The answers to the factor's comment questions (`comment_question_set`): by the
    questions' ids (a subquery), not a join on the question, so that the answers are read
    through their question's index, a few of them, not every answer of the scrutiny."""
    return Q(question_id__in=comment_question_set(factor=factor).values("pk"))


def factor_comments(
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor,
    search: str = "",
    limit: int = 200,
    scores: ScrutinyScores | None = None,
) -> list[Comment]:
    """The factor's comments from counting responses, redacted, newest first, at most `limit`,
    for outputs beyond the scrutineer's screen (the API): never a possible disclosure
    (`answers_shown`). A search matches the redacted text, so no one can find a comment by the
    identifier that was removed from it."""
    redactor = Redactor.for_scrutiny(scrutiny)
    labels = CommentLabels.for_factor(scrutiny=scrutiny, factor_code=factor.code, scores=scores)
    answers = CommentLabels.answers(
        answers_shown(Answer.objects.counting())
        .filter(comment_questions(factor=factor), response__scrutiny=scrutiny)
        .exclude(text="")
        .select_related("question__version__instrument")
        .order_by("-response__submitted_at", "-pk")
    )
    needle = search.strip().lower()
    if needle:
        answers = answers.filter(text__icontains=needle)
    quoted = set(Quote.objects.filter(factor=factor).values_list("answer_id", flat=True))
    comments = []
    for answer in answers.iterator(chunk_size=500):
        text = redactor.redact(answer.text)
        if needle and needle not in text.lower():
            continue
        instrument = answer.question.version.instrument
        comments.append(
            Comment(
                answer_id=answer.pk,
                source=instrument.kind,
                source_label=SOURCE_LABELS[instrument.kind],
                instrument=instrument.title,
                question=answer.question.text,
                text=text,
                label=labels(answer),
                quoted=answer.pk in quoted,
            )
        )
        if len(comments) >= limit:
            break
    return comments
