"""A factor's comments as its evidence page reads them: grouped by question, searched, the same
words from several people folded into one, and paged, all in the database.

`factor_comment_page` reads one page in a fixed number of queries, however many comments the
factor has; without a search, it never loads more answers than a page shows:

- the questions whose comments are the factor's (the text questions on the pages of its linked
  questions, `scrutiny.scorecard.comment_question_set`), in their instruments' order, each with
  how many different comments (and answers) it has that match the search;
- one page of different comments, question by question, those said by most people first: the
  same words (ignoring capitals and runs of spaces) are one comment "said by N people", counted
  in the database (`comment_key`), shown with the newest answer's words, which is the one a
  scrutineer tags as a quote.

This is the scrutineer's own screen: a possible disclosure of harm (`scrutiny.disclosure.harm`)
is shown here, flagged, and nowhere beyond it (the API reads `scrutiny.scorecard.factor_comments`).
Each comment shown is redacted (SCORING.md §10) and labelled as `scrutiny.disclosure.CommentLabels`
allows; a comment said by several people carries no agency or area (theirs may differ).

A search finds what the page shows. Its counts, the questions it lists and its pages are those
of the comments whose redacted words hold it (`scrutiny.comment_search`: the database finds the
comments holding it, each is redacted once and kept only if it still does), and a search for
something redaction removes finds nothing. So no one finds a comment, or counts comments, by an
identifier taken out of them. A search is the one read that goes through every comment found,
streamed and never held; what it finds is kept while the evidence is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from scrutiny.comment_search import (
    Searched,
    comment_key,
    folded,
    searched,
    words_digest,
    words_key,
)
from scrutiny.disclosure import SOURCE_LABELS, CommentLabels, Redactor
from scrutiny.kept import kept
from scrutiny.models import Answer, FactorLink, Question, Quote, Scrutiny, SuccessFactor
from scrutiny.scorecard import comment_question_set, shortened
from scrutiny.scoring import ScrutinyScores

PER_PAGE = 10


@dataclass(frozen=True)
class CommentQuestion:
    pk: int
    text: str  # the question's words
    instrument: str  # its instrument's title
    source_label: str
    code: str  # instrument and question codes, for analysts
    comments: int  # different comments matching the search
    answers: int  # the answers behind them
    section: str = ""  # the title of its page
    about: str = ""  # the question it follows on its page ("Your evidence" of what), shortened

    @property
    def heading(self) -> str:
        """Its words, with the question it follows where several read alike ("Your evidence")."""
        return f"{self.text} \u2013 {self.about}" if self.about else self.text

    @property
    def label(self) -> str:
        """The question in a line, for choosing it: its words, what it follows on its page
        (or the page), its instrument."""
        context = self.about or self.section
        return f"{shortened(self.text, limit=50)} \u2013 {context} ({self.instrument})"


@dataclass(frozen=True)
class FoldedComment:
    answer_id: int  # the newest answer with these words: the one tagged as a quote
    text: str  # redacted
    label: str  # the agency and area it may be shown with, or ""
    people: int
    quoted: bool
    # Words that may be a child's disclosure of harm: flagged to the business unit, never
    # quoted, never shown beyond this screen.
    disclosure: bool = False


@dataclass(frozen=True)
class QuestionComments:
    question: CommentQuestion
    comments: tuple[FoldedComment, ...]


@dataclass(frozen=True)
class CommentPage:
    questions: tuple[CommentQuestion, ...]  # every question with comments, in order
    groups: tuple[QuestionComments, ...]  # this page's comments, question by question
    chosen: CommentQuestion | None
    search: str
    number: int
    pages: int
    total: int  # different comments matching, over every page
    answers: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def page_numbers(self) -> list[int | None]:
        """The pages to link to, GOV.UK style: the first, the last, the current and its
        neighbours, None for a gap (an ellipsis)."""
        wanted = {1, self.pages, self.number - 1, self.number, self.number + 1}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        numbers: list[int | None] = []
        last = 0
        for n in shown:
            if last and n - last > 1:
                numbers.append(None)
            numbers.append(n)
            last = n
        return numbers


def _questions(factor: SuccessFactor) -> list[tuple[Question, str]]:
    """The factor's comment questions in order, each with the words of the question it follows
    on its page (two queries)."""
    sections = FactorLink.objects.filter(factor=factor).values("question__section_id")
    questions = list(
        comment_question_set(factor=factor)
        .select_related("version__instrument", "section")
        .order_by("version__instrument__code", "version__number", "position")
    )
    asked = sorted(
        Question.objects.filter(section_id__in=sections)
        .exclude(type=Question.Type.TEXT)
        .values_list("section_id", "position", "text")
    )
    result = []
    for question in questions:
        before = [
            text
            for section, position, text in asked
            if section == question.section_id and position < question.position
        ]
        result.append((question, shortened(before[-1], limit=70) if before else ""))
    return result


def _answers(
    *, scrutiny: Scrutiny, question_ids: list[int], needle: str, redactor: Redactor
) -> QuerySet[Answer]:
    """The factor's comments (the answers to its comment questions, `question_ids`) that match
    the search, each with its `key`. A search for something redaction removes can only find
    what was removed: it finds nothing. The questions are given by their ids, so that the
    database reads their answers through the question's index: a few, not the scrutiny's every
    answer (a subquery of the questions let SQLite go through every response instead)."""
    answers = (
        Answer.objects.counting()
        .filter(question_id__in=question_ids, response__scrutiny=scrutiny)
        .exclude(text="")
        .annotate(key=comment_key())
        .order_by()
    )
    if needle and redactor.redact(needle) != needle:
        return answers.none()
    return answers.filter(key__icontains=needle) if needle else answers


def factor_comment_page(
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor,
    search: str = "",
    question_id: int | None = None,
    page: int = 1,
    scores: ScrutinyScores | None = None,
    per_page: int = PER_PAGE,
    redactor: Redactor | None = None,
) -> CommentPage:
    """One page of the factor's comments (see the module's docstring). A question that is not
    one of the factor's, or a page past the last, reads as no question chosen and the last page.
    A caller that has the scrutiny's scores or `Redactor` passes them, so each is read once."""
    redactor = redactor or Redactor.for_scrutiny(scrutiny)
    needle = words_key(search)
    asked = _questions(factor)
    answers = _answers(
        scrutiny=scrutiny,
        question_ids=[question.pk for question, _ in asked],
        needle=needle,
        redactor=redactor,
    )
    found = _Found(scrutiny, answers, tuple(q.pk for q, _ in asked), needle, redactor)
    counts = found.counts()
    questions = tuple(
        _comment_question(question, about, counts.get(question.pk, (0, 0)))
        for question, about in asked
    )
    chosen = next((q for q in questions if q.pk == question_id), None)
    counted = (chosen,) if chosen else questions
    total = sum(q.comments for q in counted)
    pages = max(1, -(-total // per_page))
    number = min(max(page, 1), pages)
    rows = found.page(chosen.pk if chosen else None, (number - 1) * per_page, number * per_page)
    shown = _shown(
        rows, scrutiny=scrutiny, factor=factor, needle=needle, redactor=redactor, scores=scores
    )
    total -= len(rows) - len(shown)  # none, but for capitals redaction tells apart
    by_question = {q.pk: q for q in questions}
    groups: list[QuestionComments] = []
    for question_pk, comment in shown:
        if not groups or groups[-1].question.pk != question_pk:
            groups.append(QuestionComments(by_question[question_pk], ()))
        groups[-1] = QuestionComments(groups[-1].question, (*groups[-1].comments, comment))
    return CommentPage(
        questions=tuple(q for q in questions if q.answers or q is chosen),
        groups=tuple(groups),
        chosen=chosen,
        search=" ".join(search.split()),
        number=number,
        pages=pages,
        total=total,
        answers=sum(q.answers for q in counted),
    )


def _comment_question(question: Question, about: str, counts: tuple[int, int]) -> CommentQuestion:
    return CommentQuestion(
        pk=question.pk,
        text=" ".join(question.text.split()),
        instrument=question.version.instrument.title,
        source_label=SOURCE_LABELS[question.version.instrument.kind],
        code=f"{question.version.instrument.code} {question.code}",
        comments=counts[0],
        answers=counts[1],
        section=question.section.title,
        about=about,
    )


class _Found:
    """The factor's comments that match the search: their counts by question and one page of
    them. Without a search, both are the database's aggregates; with one, they are those of the
    comments whose redacted words hold it (`scrutiny.comment_search.searched`).

    Both are kept while the scrutiny's evidence is unchanged (scrutiny.kept), for these
    questions, this search, the terms redacted and the page. A search that redaction empties
    (`answers.none()`) is not kept: what redaction removes is not evidence."""

    def __init__(
        self,
        scrutiny: Scrutiny,
        answers: QuerySet[Answer],
        question_ids: tuple[int, ...],
        needle: str,
        redactor: Redactor,
    ) -> None:
        self.scrutiny, self.answers, self.needle, self.redactor = (
            scrutiny,
            answers,
            needle,
            redactor,
        )
        self.order = {pk: rank for rank, pk in enumerate(question_ids)}
        self.parts: tuple[object, ...] = (question_ids, needle)
        if needle:
            self.parts += (redactor.digest,)

    def counts(self) -> dict[int, tuple[int, int]]:
        if self.answers.query.is_empty():
            return {}
        if self.needle:
            return self._searched().counts
        return kept(self.scrutiny, "comments", self._counted, *self.parts)

    def page(self, question_id: int | None, start: int, stop: int) -> list[dict[str, Any]]:
        """The page's different comments (`scrutiny.comment_search.folded`), each row's words
        as a digest."""
        if self.answers.query.is_empty():
            return []
        return kept(
            self.scrutiny,
            "comments' page",
            lambda: self._page(question_id, start, stop),
            *self.parts,
            (question_id or 0, start, stop),
        )

    def _counted(self) -> dict[int, tuple[int, int]]:
        return {
            row["question_id"]: (row["comments"], row["answers"])
            for row in self.answers.values("question_id").annotate(
                comments=Count("key", distinct=True), answers=Count("pk")
            )
        }

    def _searched(self) -> Searched:
        return kept(
            self.scrutiny,
            "comments searched",
            lambda: searched(
                self.answers, order=self.order, needle=self.needle, redactor=self.redactor
            ),
            *self.parts,
        )

    def _page(self, question_id: int | None, start: int, stop: int) -> list[dict[str, Any]]:
        answers = self.answers
        if question_id is not None:
            answers = answers.filter(question_id=question_id)
        if self.needle:
            newest = self._searched().page(question_id, start, stop)
            place = {pk: n for n, pk in enumerate(newest)}
            found = folded(answers, self.order).filter(Q(newest__in=newest))
            rows = sorted(found, key=lambda row: place[row["newest"]])
        else:
            rows = list(folded(answers, self.order)[start:stop])
        return [{**row, "folded": words_digest(row["folded"])} for row in rows]


def _shown(
    rows: list[dict[str, Any]],
    *,
    scrutiny: Scrutiny,
    factor: SuccessFactor,
    needle: str,
    redactor: Redactor,
    scores: ScrutinyScores | None,
) -> list[tuple[int, FoldedComment]]:
    """The page's rows as comments a person may read: two queries for the answers and the
    quotes, however many rows."""
    if not rows:
        return []
    labels = CommentLabels.for_factor(scrutiny=scrutiny, factor_code=factor.code, scores=scores)
    newest = {
        answer.pk: answer
        for answer in CommentLabels.answers(
            Answer.objects.filter(pk__in=[row["newest"] for row in rows])
        )
    }
    quoted = {
        (question_id, words_digest(key))
        for question_id, key in Quote.objects.filter(factor=factor)
        .annotate(key=comment_key("answer__text"))
        .values_list("answer__question_id", "key")
    }
    shown = []
    for row in rows:
        answer = newest[row["newest"]]
        text = redactor.redact(answer.text)
        if needle and needle not in words_key(text):
            continue  # it matched only in what redaction removed
        people = row["people"]
        comment = FoldedComment(
            answer_id=answer.pk,
            text=text,
            label=labels(answer) if people == 1 else "",
            people=people,
            quoted=(row["question_id"], row["folded"]) in quoted,
            disclosure=row["flagged"] > 0,
        )
        shown.append((row["question_id"], comment))
    return shown
