"""A factor's comments as the database compares them, and a search of them read as the evidence
page shows them: redacted (SCORING.md §10).

The database finds the comments whose words hold the search. That is more than the page may
show: redaction takes words away, so a comment can hold the search only in what was removed (a
phone number's first digits, a part of an email address). `searched` redacts each comment the
database found and keeps those whose redacted words still hold the search. The counts beside each
question, the questions listed, the number of pages and every page are worked out from those
alone, so no count tells a reader that a comment held something redaction removed: a redacted
phone number cannot be guessed digit by digit from how many comments a search finds.

`searched` reads the found comments in one query, streamed: it holds the counts and, for each
question, the newest answer of each comment that stays (its id, in the page's order), never the
comments' words. Its result is kept while the evidence and the redacted terms are unchanged
(`scrutiny.kept`, by the caller).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Lower, Replace, Trim

from scrutiny.disclosure import Redactor
from scrutiny.models import Answer

# Each pass halves a run of spaces: six fold any run of up to 64 into one.
_SPACE_PASSES = 6
_STREAMED = 2000  # comments read from the database at a time


def comment_key(field: str = "text") -> Func:
    """A comment's words as the database compares them: lower case, line breaks and tabs as
    spaces, runs of spaces as one, no spaces at either end (the same on SQLite and PostgreSQL)."""
    text: TextField[str, str] = TextField()
    expression: Func | F = F(field)
    for blank in ("\r", "\n", "\t"):
        expression = Replace(expression, Value(blank), Value(" "), output_field=text)
    for _ in range(_SPACE_PASSES):
        expression = Replace(expression, Value("  "), Value(" "), output_field=text)
    return Lower(Trim(expression, output_field=text), output_field=text)


def words_key(text: str) -> str:
    """Words as `comment_key` compares them, worked out in Python."""
    return " ".join(text.split()).lower()


def words_digest(key: str) -> str:
    """A comment's words as a kept page holds them: a digest, never the words, so that nothing
    a person wrote outlives its erasure in a cache (scrutiny.kept)."""
    return hashlib.sha256(key.encode()).hexdigest()


def question_rank(order: dict[int, int]) -> Case:
    """Each answer's question's place in `order` (question id to place), for sorting."""
    return Case(
        *(When(question_id=pk, then=Value(n)) for pk, n in order.items()),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def folded(answers: QuerySet[Answer], order: dict[int, int]) -> QuerySet[Answer, dict[str, Any]]:
    """The different comments of `answers` (annotated with their `key`), one row each: its
    question, its words' key (`folded`), how many people said it, its newest answer, its rank
    and how many of its answers are flagged; each question's (in `order`) together, those said
    by most people first, then the newest."""
    return (
        answers.values("question_id", folded=F("key"))
        .annotate(
            people=Count("response_id", distinct=True),
            newest=Max("pk"),
            rank=question_rank(order),
            flagged=Count("pk", filter=Q(disclosure=True)),
        )
        .order_by("rank", "-people", "-newest")
    )


@dataclass
class Searched:
    """What a search finds once redacted: for each question, how many different comments and
    answers, and the newest answer of each comment in the page's order."""

    counts: dict[int, tuple[int, int]] = field(default_factory=dict)
    newest: dict[int, list[int]] = field(default_factory=dict)

    def page(self, question_id: int | None, start: int, stop: int) -> list[int]:
        """The newest answers of one page's comments: of one question, or of all in order."""
        if question_id is not None:
            return self.newest.get(question_id, [])[start:stop]
        return [pk for pks in self.newest.values() for pk in pks][start:stop]


def searched(
    answers: QuerySet[Answer], *, order: dict[int, int], needle: str, redactor: Redactor
) -> Searched:
    """The comments of `answers` (those the database found holding `needle`, annotated with
    their `key`) whose redacted words still hold it. Every answer of a comment has the same
    words, but for capitals and spaces; one of them is redacted for all."""
    rows = folded(answers, order).annotate(answers=Count("pk"), words=Max("text"))
    found = Searched()
    counts: dict[int, list[int]] = {}
    for row in rows.iterator(chunk_size=_STREAMED):
        if needle not in words_key(redactor.redact(row["words"])):
            continue  # it held the search only in what redaction removed
        count = counts.setdefault(row["question_id"], [0, 0])
        count[0] += 1
        count[1] += row["answers"]
        found.newest.setdefault(row["question_id"], []).append(row["newest"])
    found.counts = {pk: (comments, total) for pk, (comments, total) in counts.items()}
    return found
