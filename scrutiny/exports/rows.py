"""The responses export's rows, read from the database in batches and never gathered.

What a row may show is decided by the rules that decide it for the event pack's response sheets
and the API's responses, called here, never restated:

- which responses, and the name each leaves under: `responses_numbered`
  (scrutiny.disclosure.pseudonyms, as for the API), counting responses only, each named by
  its pseudonym `number`, never its id or case reference;
- agency, area, role and day: `ResponseLabels` (small combinations blank, the day first);
- texts: `Redactor`; a possible disclosure blank: `text_shown`.

The answers of each batch of responses are read by one query, run on the database's own cursor
(the queryset's SQL, `text_shown` and all): six and a half million answers pass through Django's
row converters far more slowly than through the few lines that turn a raw value into a cell here.
So the number of queries grows only by one for each BATCH responses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from scrutiny.disclosure import Redactor, ResponseLabels, text_shown
from scrutiny.disclosure.pseudonyms import NUMBERED_FIELDS, responses_numbered
from scrutiny.evidence import ANSWER_VALUE_FIELDS, ANSWER_VALUE_ORDER
from scrutiny.models import Answer, Instrument, Option, Question
from scrutiny.workbooks.response_sheet import RESERVED
from scrutiny.workbooks.writing import number_cell_value

BATCH = 500  # responses whose answers one query reads
FETCH = 5000  # answers fetched from the cursor at a time


@dataclass(frozen=True)
class Columns:
    """The question columns: every code any version asked, in the order first asked."""

    codes: tuple[str, ...]
    types: dict[str, str]
    # (version, code) → option value → label, when options are written as labels.
    labels: dict[tuple[int, str], dict[str, str]]

    @property
    def header(self) -> tuple[str, ...]:
        return (*RESERVED, *self.codes)


def export_columns(instrument: Instrument, *, labels: bool) -> Columns:
    asked = list(
        Question.objects.filter(version__instrument=instrument)
        .order_by("version__number", "position")
        .values_list("code", "type")
    )
    names: dict[tuple[int, str], dict[str, str]] = {}
    if labels:
        for version, code, value, label in Option.objects.filter(
            option_list__questions__version__instrument=instrument
        ).values_list(
            "option_list__questions__version__number",
            "option_list__questions__code",
            "value",
            "label",
        ):
            names.setdefault((version, code), {})[value] = label
    return Columns(
        codes=tuple(dict.fromkeys(code for code, _ in asked)), types=dict(asked), labels=names
    )


def export_count(instrument: Instrument) -> int:
    return responses_numbered(instrument).count()


def export_rows(instrument: Instrument, columns: Columns) -> Iterator[list[Any]]:
    """Each counting response as the export's row: ref (its pseudonym), agency, area, role,
    case_ref (always blank), submitted (the day), then a cell a question."""
    scrutiny = instrument.scrutiny
    labels = ResponseLabels.for_scrutiny(scrutiny)
    cells = _Cells(columns, Redactor.for_scrutiny(scrutiny))
    batch: list[tuple[Any, ...]] = []
    responses = responses_numbered(instrument).values_list(*NUMBERED_FIELDS)
    for response in responses.iterator(chunk_size=BATCH):
        batch.append(response)
        if len(batch) == BATCH:
            yield from _batch_rows(instrument.pk, batch, labels, cells)
            batch = []
    if batch:
        yield from _batch_rows(instrument.pk, batch, labels, cells)


def _batch_rows(
    instrument_id: int, batch: list[tuple[Any, ...]], labels: ResponseLabels, cells: _Cells
) -> Iterator[list[Any]]:
    """The batch's rows in the batch's order (by pseudonym, which tells nothing), filled from
    its answers (which come by response)."""
    rows: dict[int, tuple[int, list[Any]]] = {}
    for pk, number, version, *key in batch:
        agency, area, role, day = labels(instrument_id, tuple(key))
        row: list[Any] = [number, agency or "", area or "", role or "", "", day or ""]
        rows[pk] = (version, row + [""] * len(cells.position))
    for answer in cells.answers_of(list(rows)):
        version, row = rows[answer[0]]
        cells.put(row, version, answer)
    for version, row in rows.values():
        yield cells.finish(row, version)


class _Cells:
    """Turns a raw answer (response, code, type, option value, shown text, number, date) into
    its cell; several choices are gathered, then joined by ";" as the import splits them."""

    def __init__(self, columns: Columns, redactor: Redactor) -> None:
        self.position = {code: len(RESERVED) + i for i, code in enumerate(columns.codes)}
        self.labels = columns.labels
        self.multiple = [
            self.position[code]
            for code in columns.codes
            if columns.types[code] == Question.Type.MULTIPLE
        ]
        self.redact = redactor.redact

    def answers_of(self, pks: list[int]) -> Iterator[tuple[Any, ...]]:
        fields = ("shown_text" if field == "text" else field for field in ANSWER_VALUE_FIELDS)
        query = (
            Answer.objects.filter(response_id__in=pks)
            .annotate(shown_text=text_shown())
            .values_list("response_id", *fields)
            .order_by("response_id", *ANSWER_VALUE_ORDER)
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(FETCH):
                yield from rows

    def put(self, row: list[Any], version: int, answer: tuple[Any, ...]) -> None:
        _, code, type_, option, text, number, date = answer
        at = self.position[code]
        if type_ == Question.Type.SINGLE:
            row[at] = self._option(version, code, option)
        elif type_ == Question.Type.MULTIPLE:
            if option is not None:
                if row[at] == "":
                    row[at] = []
                row[at].append(self._option(version, code, option))
        elif type_ == Question.Type.NUMBER:
            row[at] = _number(number)
        elif type_ == Question.Type.DATE:
            row[at] = dt.date.fromisoformat(date) if isinstance(date, str) else (date or "")
        elif text:
            row[at] = self.redact(text)

    def _option(self, version: int, code: str, value: str | None) -> str:
        if not value:
            return ""
        names = self.labels.get((version, code))
        return names.get(value, value) if names else value

    def finish(self, row: list[Any], version: int) -> list[Any]:
        joiner = "; " if self.labels else ";"
        for at in self.multiple:
            if row[at]:
                row[at] = joiner.join(row[at])
        return row


def _number(value: Any) -> Any:
    """A stored number as its cell: SQLite hands back an int or a float, PostgreSQL a Decimal."""
    if value is None:
        return ""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, Decimal | str):
        return number_cell_value(Decimal(value))
    return value
