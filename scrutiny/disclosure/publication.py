"""What of the scores and the workspace may be published: the scores' JSON with its agency and
area breakdowns suppressed, and a finding's, a quote's and a comment's words and labels as they
leave the screen, for the workspace's pages, its API and the event pack alike.

- `scores_for_publication` turns `scrutiny.scoring.ScrutinyScores` into the JSON of CLI.md
  (`scores SLUG --json`), suppressing small cells of the agency and area breakdowns (§9);
- `finding_published` and `quote_published` give a finding's and a quote's words as they may
  leave the screen (redacted, §10);
- `CommentLabels` decides what agency or area may label a comment on a factor (`shown_labels`
  and the response's row in the pack, `ResponseLabels`).

Which cells are suppressed. SCORING.md §9 speaks of breakdowns by agency or by area: small groups
of people who could be recognised from a score. Those cells are suppressed. The per-source cells
are not: a source (case-file audits, the practitioner survey, the board questionnaire, family
feedback) is a way evidence was gathered across the whole partnership, at the same level as the
factor's own score and n, which §7 and §8 require to be shown, and which are shown however small.
A board has to see that a score rests on 12 audits and 300 survey returns to judge it, and hiding
one source would hide how the headline score was triangulated while the headline itself shows.
Where a source's score would give back the counts a question's distribution hides, it is the
counts that are hidden (`scrutiny.disclosure.distributions`), never the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import translation

from scrutiny.disclosure.redaction import Redactor
from scrutiny.disclosure.suppression import SUPPRESSED, ResponseLabels, suppressed_codes
from scrutiny.models import Answer, Finding, Quote, Scrutiny, Source, SuccessFactor
from scrutiny.scoring import Cell, FactorScores, ScrutinyScores, scrutiny_scores

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _SourceWords(Mapping[str, str]):
    """Each source's label in English whatever the language active (`Source`'s labels are lazy,
    issue 18): the words scores, frozen findings and published snapshots carry (as JSON), put in
    the reader's language where they are shown (`scrutiny.packs.words.source_word`)."""

    def __getitem__(self, source: str) -> str:
        if source not in Source.values:
            raise KeyError(source)
        with translation.override("en"):
            return str(Source(source).label)

    def __iter__(self) -> Iterator[str]:
        return iter(Source.values)

    def __len__(self) -> int:
        return len(Source.values)


SOURCE_LABELS: Mapping[str, str] = _SourceWords()


# ---------------------------------------------------------------------------------------------
# The scores (§9): the agency and area breakdowns suppressed, the sources shown.


def _cell(cell: Cell) -> dict[str, Any]:
    return {"score": cell.display, "n": cell.n}


def _breakdown(cells: Mapping[str, Cell], *, threshold: int) -> dict[str, Any]:
    hidden = suppressed_codes({code: cell.n for code, cell in cells.items()}, threshold=threshold)
    return {
        code: dict(SUPPRESSED) if code in hidden else _cell(cell)
        for code, cell in sorted(cells.items())
    }


def _factor(factor: FactorScores, *, threshold: int) -> dict[str, Any]:
    return {
        "code": factor.code,
        "statement": factor.statement,
        "score": factor.display,
        "rating": factor.rating.value,
        "n": factor.n,
        # Sources are not suppressed: see the module docstring.
        "sources": {source: _cell(cell) for source, cell in factor.sources.items()},
        "agencies": _breakdown(factor.agencies, threshold=threshold),
        "areas": _breakdown(factor.areas, threshold=threshold),
    }


def scores_for_publication(scores: ScrutinyScores, *, scrutiny: Scrutiny) -> dict[str, Any]:
    """The scores as they may be published: the JSON of CLI.md `scores SLUG --json`."""
    threshold = scrutiny.suppression_threshold
    return {
        "scrutiny": scores.slug,
        "factors": [
            _factor(factor, threshold=threshold)
            for factor in sorted(scores.factors, key=lambda f: f.code)
        ],
    }


# ---------------------------------------------------------------------------------------------
# The workspace's words: findings and quotes, as pages, the API and the pack show them.


@dataclass(frozen=True)
class FindingPublished:
    factor: str  # the success factor's code
    drafted: str
    strengths: tuple[str, ...]  # one a line
    improvements: tuple[str, ...]
    signed_off_at: dt.datetime | None


@dataclass(frozen=True)
class QuotePublished:
    pk: int
    text: str
    source: str  # the source's label
    label: str  # the agency or area it may be shown with, or ""


def finding_published(finding: Finding, *, redactor: Redactor) -> FindingPublished:
    """A finding's words as they may leave the screen: the drafted text and every line the
    scrutineer wrote, redacted (§10). No query (give a finding with its factor)."""
    return FindingPublished(
        factor=finding.factor.code,
        drafted=redactor.redact(finding.drafted),
        strengths=tuple(redactor.redact(line) for line in finding.strengths.splitlines()),
        improvements=tuple(redactor.redact(line) for line in finding.improvements.splitlines()),
        signed_off_at=finding.signed_off_at,
    )


def quote_published(quote: Quote, *, redactor: Redactor, label: str) -> QuotePublished:
    """A quote as it may leave the screen: its text redacted again as redaction stands now (a
    case reference or term added since it was tagged goes too), with the label it may carry
    now (`QuoteLabels`; "" where none is wanted). No query."""
    return QuotePublished(
        pk=quote.pk,
        text=redactor.redact(quote.text),
        source=SOURCE_LABELS.get(quote.source, ""),
        label=label,
    )


# ---------------------------------------------------------------------------------------------
# What may label a comment on a factor, wherever it is shown (a quote's too, worked out as it
# leaves the screen).


def shown_labels(
    *, scrutiny: Scrutiny, factor_code: str, scores: ScrutinyScores | None = None
) -> tuple[set[str], set[str]]:
    """The agency and area codes that may label a comment on the factor: those whose cell of
    the factor's published breakdown is shown (not suppressed, not empty)."""
    scores = scores or scrutiny_scores(scrutiny=scrutiny)
    published = next(
        f
        for f in scores_for_publication(scores, scrutiny=scrutiny)["factors"]
        if f["code"] == factor_code
    )
    agencies = {code for code, cell in published["agencies"].items() if not cell.get("suppressed")}
    areas = {code for code, cell in published["areas"].items() if not cell.get("suppressed")}
    return agencies, areas


class _SubmittedDay(TypedDict):
    submitted_day: dt.date | None


@dataclass(frozen=True)
class CommentLabels:
    """What may label a comment on a factor: an agency or area whose breakdown cell is shown
    (`shown_labels`) and that its response's row-level combination shows (`ResponseLabels`)."""

    agencies: set[str]
    areas: set[str]
    rows: ResponseLabels

    @classmethod
    def for_factor(
        cls, *, scrutiny: Scrutiny, factor_code: str, scores: ScrutinyScores | None = None
    ) -> CommentLabels:
        agencies, areas = shown_labels(scrutiny=scrutiny, factor_code=factor_code, scores=scores)
        return cls(agencies, areas, ResponseLabels.for_scrutiny(scrutiny))

    @staticmethod
    def answers(
        answers: QuerySet[Answer],
    ) -> QuerySet[WithAnnotations[Answer, _SubmittedDay]]:
        """`answers` with what `__call__` reads of each."""
        return answers.select_related(
            "response__agency", "response__area", "response__role"
        ).annotate(submitted_day=TruncDate("response__submitted_at"))

    def __call__(self, answer: WithAnnotations[Answer, _SubmittedDay]) -> str:
        response = answer.response
        agency, area, _, _ = self.rows(
            response.instrument_id,
            (
                response.agency.code if response.agency else None,
                response.area.code if response.area else None,
                response.role.code if response.role else None,
                answer.submitted_day,
            ),
        )
        parts = []
        if response.agency is not None and agency is not None and agency in self.agencies:
            parts.append(response.agency.name)
        if response.area is not None and area is not None and area in self.areas:
            parts.append(response.area.name)
        return ", ".join(parts)


class QuoteLabels:
    """The label each of some quotes may carry now: its factor's `CommentLabels` as the
    breakdowns and the rows stand, not the label stored when it was tagged, which goes stale
    when a response moves to another agency or an agency falls below the threshold. Built for
    the quotes to show (with their factors: `select_related("factor")`, else a query more): a
    query for their answers, with the scores given (or kept) and the rows' labels (kept)."""

    def __init__(
        self, quotes: Sequence[Quote], *, scrutiny: Scrutiny, scores: ScrutinyScores | None = None
    ) -> None:
        self._labels: dict[int, str] = {}
        if not quotes:
            return
        scores = scores or scrutiny_scores(scrutiny=scrutiny)
        rows = ResponseLabels.for_scrutiny(scrutiny)
        answers = CommentLabels.answers(
            Answer.objects.filter(pk__in={quote.answer_id for quote in quotes})
        )
        by_pk = {answer.pk: answer for answer in answers}
        codes = {q.factor_id: q.factor.code for q in quotes if Quote.factor.is_cached(q)}
        if len(codes) < len({quote.factor_id for quote in quotes}):
            codes = dict(
                SuccessFactor.objects.filter(
                    pk__in={quote.factor_id for quote in quotes}
                ).values_list("pk", "code")
            )
        labels: dict[int, CommentLabels] = {}
        for quote in quotes:
            if quote.factor_id not in labels:
                agencies, areas = shown_labels(
                    scrutiny=scrutiny, factor_code=codes[quote.factor_id], scores=scores
                )
                labels[quote.factor_id] = CommentLabels(agencies, areas, rows)
            self._labels[quote.pk] = labels[quote.factor_id](by_pk[quote.answer_id])

    def __call__(self, quote: Quote) -> str:
        return self._labels.get(quote.pk, "")
