"""The streamed part of an event pack: every comment, and every counting response one row each
(`response_sheets`), read in chunks and never gathered, so that a pack of a million answers does
not hold them in memory. Each response sheet comes in codes for analysts with the words to turn
each row into what people read (`RowWords`): agencies, areas and roles by name, options by label.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import BigIntegerField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy

from scrutiny.disclosure import SOURCE_LABELS, Redactor, ResponseLabels, answers_shown, text_shown
from scrutiny.evidence import ANSWER_VALUE_FIELDS, ANSWER_VALUE_ORDER, answer_values_from
from scrutiny.models import (
    Agency,
    Answer,
    Area,
    Instrument,
    Option,
    PractitionerRole,
    Question,
    Response,
    Scrutiny,
)

# The response sheet in words: its first columns' headers (then each question's words).
WORDS_COLUMNS = (
    gettext_lazy("Response"),
    gettext_lazy("Version"),
    gettext_lazy("Agency"),
    gettext_lazy("Area"),
    gettext_lazy("Role"),
    gettext_lazy("Submitted"),
)


def comment_rows(scrutiny: Scrutiny, redactor: Redactor) -> Iterator[tuple[str, str, str, str]]:
    """Every comment of a counting response, redacted, in words: (source, the question asked,
    the comment, the question's code for analysts). Not labelled with an agency or area: a
    comment in the workbook stands alone. Never a possible disclosure (`answers_shown`)."""
    answers = (
        answers_shown(Answer.objects.all())
        .filter(
            response__in=Response.objects.counting().filter(scrutiny=scrutiny),
            question__type=Question.Type.TEXT,
        )
        .exclude(text="")
        .select_related("question__version__instrument")
        .order_by("question__version__instrument__code", "question__position", "pk")
    )
    for answer in answers.iterator(chunk_size=2000):
        question = answer.question
        instrument = question.version.instrument
        yield (
            SOURCE_LABELS[instrument.kind],
            question.text,
            redactor.redact(answer.text),
            f"{instrument.code} {question.code}",
        )


# ---------------------------------------------------------------------------------------------
# Every counting response, one row each (streamed)


@dataclass(frozen=True)
class RowWords:
    """A response sheet's row of codes (`ResponseSheet.rows`) in words: agencies, areas and
    roles by name, each chosen option by its label (several joined by "; "). A plain lookup,
    no query: the rows stream through it one by one."""

    names: tuple[dict[str, str], dict[str, str], dict[str, str]]  # agency, area, role
    choices: dict[tuple[int, str], dict[str, str]]  # (version, question code) → value → label
    codes: tuple[str, ...]  # the question codes, in the sheet's order
    # A version's choice columns: (index in the row, value → label), worked out once.
    _columns: dict[int, tuple[tuple[int, dict[str, str]], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __call__(self, row: list[Any]) -> list[Any]:
        words = list(row)
        for i, names in enumerate(self.names, start=2):
            words[i] = names.get(row[i], row[i]) if row[i] else row[i]
        version = row[1]
        columns = self._columns.get(version)
        if columns is None:
            columns = self._columns[version] = tuple(
                (i, labels)
                for i, code in enumerate(self.codes, start=6)
                if (labels := self.choices.get((version, code)))
            )
        for i, labels in columns:
            value = row[i]
            if value and isinstance(value, str):
                label = labels.get(value)
                # A multiple choice's values are joined by ";" (`_sheet_cell`), which no
                # option value holds: the responses workbook splits on it too.
                words[i] = (
                    label
                    if label is not None and ";" not in value
                    else "; ".join(labels.get(part, part) for part in value.split(";"))
                )
        return words


@dataclass(frozen=True)
class ResponseSheet:
    """An instrument's counting responses: `rows` in codes (the analysts' sheet, headed by
    `header`), and `words` to turn each into the row people read, headed by `words_header`."""

    instrument: str
    title: str
    header: tuple[str, ...]
    rows: Iterator[list[Any]]
    words_header: tuple[str, ...]
    words: RowWords


def _names(scrutiny: Scrutiny) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    partnership_id = scrutiny.partnership_id
    return (
        dict(Agency.objects.filter(partnership_id=partnership_id).values_list("code", "name")),
        dict(Area.objects.filter(partnership_id=partnership_id).values_list("code", "name")),
        dict(
            PractitionerRole.objects.filter(partnership_id=partnership_id).values_list(
                "code", "name"
            )
        ),
    )


def _choices(instrument: Instrument) -> dict[tuple[int, str], dict[str, str]]:
    choices: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for version, code, value, label in Option.objects.filter(
        option_list__questions__version__instrument=instrument
    ).values_list(
        "option_list__questions__version__number", "option_list__questions__code", "value", "label"
    ):
        choices[(version, code)][value] = label
    return dict(choices)


def response_sheets(scrutiny: Scrutiny) -> Iterator[ResponseSheet]:
    """One sheet an instrument: each counting response a row, pseudonymised (a running number,
    written as a number so the workbook's shared strings do not grow with every row; no case
    reference, no name), every text redacted. A row shows its agency, area, role and day only
    as far as at least the suppression threshold of the instrument's rows show the same
    (`scrutiny.disclosure.rows_coarsen`: the day is blanked first, then the role, the area and
    the agency). The rows come in an order drawn afresh for each pack, so that where a row
    stands (next to rows that show their day, say) tells nothing of what it does not show.

    The rows are in codes (for analysts); `ResponseSheet.words` turns each into words."""
    redactor = Redactor.for_scrutiny(scrutiny)
    labels = ResponseLabels.for_scrutiny(scrutiny)
    names = _names(scrutiny)
    for instrument in Instrument.objects.filter(scrutiny=scrutiny).order_by("code"):
        responses = Response.objects.counting().filter(scrutiny=scrutiny, instrument=instrument)
        if not responses.exists():
            continue
        asked = list(
            Question.objects.filter(version__instrument=instrument)
            .order_by("version__number", "position")
            .values_list("code", "text")
        )
        codes = list(dict.fromkeys(code for code, _ in asked))
        texts = dict(asked)  # a question's words as its latest version asks them
        yield ResponseSheet(
            instrument=instrument.code,
            title=instrument.title,
            header=("response", "version", "agency", "area", "role", "submitted", *codes),
            rows=_response_rows(responses, codes, labels, instrument.pk, redactor),
            words_header=(
                *(str(word) for word in WORDS_COLUMNS),
                *(" ".join(texts[code].split()) for code in codes),
            ),
            words=RowWords(names=names, choices=_choices(instrument), codes=tuple(codes)),
        )


# A prime: (a·(id mod p) + b) mod p orders ids afresh. The id is reduced first, since an
# anonymous response's id is random up to 2**52 (scrutiny.evidence.random_id): so every term
# stays below 2**63, in PostgreSQL's bigint and SQLite's integer alike. Two ids of the same
# residue (about one pair in 400,000 among 1,000 responses) tie, and fall back to their ids.
_SHUFFLE_MODULUS = 2**31 - 1


@dataclass(frozen=True)
class _Shuffle:
    """A random order of responses, new for each pack: not the order they were started or
    submitted in (sequential ids rise with it), nor any order of what a row shows. The same
    order in the database (`by`, to sort on) and in Python (`key`, to follow it)."""

    a: int
    b: int

    @classmethod
    def drawn(cls) -> _Shuffle:
        return cls(secrets.randbelow(_SHUFFLE_MODULUS - 1) + 1, secrets.randbelow(_SHUFFLE_MODULUS))

    def by(self, field: str) -> ExpressionWrapper:
        residue = F(field) % _SHUFFLE_MODULUS
        return ExpressionWrapper(
            (residue * self.a + self.b) % _SHUFFLE_MODULUS, output_field=BigIntegerField()
        )

    def key(self, response_id: int) -> tuple[int, int]:
        return ((response_id % _SHUFFLE_MODULUS) * self.a + self.b) % _SHUFFLE_MODULUS, response_id


def _response_rows(
    responses: Any,
    codes: list[str],
    labels: ResponseLabels,
    instrument_id: int,
    redactor: Redactor,
) -> Iterator[list[Any]]:
    """Two queries read side by side in the same shuffled order: the responses (what a row
    shows of each, read once a response) and their answers (read once an answer: nothing of
    the response repeated on each)."""
    position = {code: i for i, code in enumerate(codes, start=6)}
    shuffle = _Shuffle.drawn()
    shown = (
        responses.annotate(shuffled=shuffle.by("pk"), submitted_day=TruncDate("submitted_at"))
        .order_by("shuffled", "pk")
        .values_list(
            "pk",
            "version__number",
            "agency__code",
            "area__code",
            "role__code",
            "submitted_day",
        )
        .iterator(chunk_size=2000)
    )
    answers = (
        Answer.objects.filter(response__in=responses)
        .annotate(shuffled=shuffle.by("response_id"), shown_text=text_shown())
        .values_list(
            "response_id",
            *("shown_text" if field == "text" else field for field in ANSWER_VALUE_FIELDS),
        )
        .order_by("shuffled", "response_id", *ANSWER_VALUE_ORDER)
    )
    blank = [""] * len(codes)
    key = shuffle.key
    response = next(shown, None)
    number = 0
    for response_id, group in groupby(answers.iterator(chunk_size=2000), key=itemgetter(0)):
        # Responses without answers have no row; one submitted since the first query began
        # has answers but no response read: it has no row either.
        while response is not None and key(response[0]) < key(response_id):
            response = next(shown, None)
        if response is None or response[0] != response_id:
            continue
        number += 1
        rows = [answer[1:] for answer in group]
        agency, area, role, submitted = labels(instrument_id, response[2:])
        # A running number: a pseudonym that is not a shared string.
        row: list[Any] = [number, response[1], agency or "", area or "", role or "", submitted]
        row += blank
        types = {answer[0]: answer[1] for answer in rows}
        for code, value in answer_values_from(rows).items():
            row[position[code]] = _sheet_cell(types[code], value, redactor)
        yield row


def _sheet_cell(type_: str, value: Any, redactor: Redactor) -> Any:
    """A raw value (`answer_values_from`) as the response sheet's cell: a number or a date as
    itself, options joined by ";", a text redacted."""
    if value in ("", []):
        return ""
    if type_ == Question.Type.SINGLE:
        return value
    if type_ == Question.Type.MULTIPLE:
        return ";".join(value)
    if type_ == Question.Type.NUMBER:
        return Decimal(value)
    if type_ == Question.Type.DATE:
        return dt.date.fromisoformat(value)
    return redactor.redact(value)
