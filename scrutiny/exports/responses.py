"""An instrument's responses for analysts, in the responses workbook's layout (WORKBOOKS.md
§3), so that `import_responses` reads the file back: the reserved columns, then one column a
question; XLSX or CSV; options as their values or their labels.

What leaves is exactly what the event pack's response sheets and the API's responses let leave,
by the same rules (`scrutiny.exports.rows`): counting responses only, each named by the API's
pseudonym `number` (in `ref`; `case_ref` stays blank), agency, area, role and day coarsened
where too few share them (`ResponseLabels`), every text redacted (`Redactor`) and a possible
disclosure blank (`text_shown`). Nothing here decides any of that.

The rows stream from the database into the file: memory does not grow with the responses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext

from scrutiny.errors import ApplicationError
from scrutiny.exports.rows import export_columns, export_count, export_rows
from scrutiny.models import Instrument, Question
from scrutiny.workbooks.response_sheet import RESERVED
from scrutiny.workbooks.writing import FORMULA_STARTS, clean_text, csv_text, number_cell_value

FORMATS = ("xlsx", "csv")
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ExportResult:
    rows: int
    questions: int


@dataclass(frozen=True)
class _Export:
    header: tuple[str, ...]
    rows: Iterator[list[Any]]
    total: int
    texts: frozenset[int]  # the columns of free text


def _export_of(instrument: Instrument, *, labels: bool) -> _Export:
    total = export_count(instrument)
    if not total:
        raise ApplicationError(
            f"Instrument {instrument.code} has no submitted responses to export yet."
        )
    columns = export_columns(instrument, labels=labels)
    return _Export(
        header=columns.header,
        rows=export_rows(instrument, columns),
        total=total,
        texts=frozenset(
            len(RESERVED) + i
            for i, code in enumerate(columns.codes)
            if columns.types[code] == Question.Type.TEXT
        ),
    )


def _every(total: int, progress: Progress | None) -> Callable[[int], None]:
    """Report about a hundred times however many rows; never for every row."""
    step = max(1, total // 100)

    def report(done: int) -> None:
        if progress is not None and done % step == 0:
            written = gettext("%(done)s of %(total)s rows written.")
            progress(
                min(99, 5 + done * 94 // max(1, total)),
                written % {"done": f"{done:,}", "total": f"{total:,}"},
            )

    return report


def responses_export(
    *,
    instrument: Instrument,
    out: IO[bytes] | str,
    fmt: str = "xlsx",
    labels: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the instrument's responses into `out` (a path, or a binary file for CSV; XLSX
    needs a path or a seekable file). An ApplicationError when it has none to export."""
    if fmt not in FORMATS:
        raise ApplicationError(f"Choose the format xlsx or csv, not {fmt!r}.")
    export = _export_of(instrument, labels=labels)
    report = _every(export.total, progress)
    if progress is not None:
        progress(5, f"Writing {export.total:,} rows.")
    write = _write_xlsx if fmt == "xlsx" else _write_csv
    rows = write(out, export, report)
    return ExportResult(rows=rows, questions=len(export.header) - len(RESERVED))


def _write_xlsx(out: IO[bytes] | str, export: _Export, report: Callable[[int], None]) -> int:
    # constant_memory: each row is written out when the next starts, and strings are inline,
    # never gathered in a table of shared strings.
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("responses")
    bold = workbook.add_format({"bold": True})
    bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    # Text that Excel would make a formula if someone edited the cell stays text.
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(RESERVED) - 1, 12)
    for column, name in enumerate(export.header):
        sheet.write_string(
            0, column, name, bold_quoted if name.startswith(FORMULA_STARTS) else bold
        )
    write_string, write_number = sheet.write_string, sheet.write_number
    texts = export.texts
    count = 0
    for count, row in enumerate(export.rows, start=1):
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    # Only free text can hold control characters a workbook cannot store.
                    text = clean_text(value) if column in texts else value
                    write_string(
                        count, column, text, quoted if text.startswith(FORMULA_STARTS) else None
                    )
            elif kind is int or kind is float:
                write_number(count, column, value)
            elif kind is Decimal:
                number = number_cell_value(value)
                if isinstance(number, str):
                    write_string(count, column, number)
                else:
                    write_number(count, column, number)
            elif kind is dt.date:
                sheet.write_datetime(count, column, value, day)
        report(count)
    workbook.close()
    return count


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        # No text must run as a formula in the spreadsheet that opens this file: a comment,
        # and as much an option's value or label, which the instrument's author chose, in any
        # column (a question may be text in one version and a number in another). A number
        # written as text (a long decimal, an option coded -1) stays bare (`csv_text`).
        return csv_text(value)
    return value


def _write_csv(out: IO[bytes] | str, export: _Export, report: Callable[[int], None]) -> int:
    if isinstance(out, str):
        with open(out, "wb") as file:
            return _write_csv(file, export, report)
    # UTF-8 with a byte-order mark, so that Excel opens it as UTF-8.
    stream = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(stream)
    writer.writerow([csv_text(name) for name in export.header])  # a code is the author's text
    count = 0
    for count, row in enumerate(export.rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        report(count)
    stream.flush()
    stream.detach()
    return count
