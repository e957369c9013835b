"""A list file read as a table: a header row, then rows, from a workbook's first sheet or a CSV.

What the case list and invitation list readers (`scrutiny.workbooks.lists`) read through. A
workbook is read from its first sheet through `opening.workbook_open` (size limit, zip-bomb and
XML-entity checks; formulas refused with the cell named). A CSV is UTF-8 (a byte-order mark
allowed; WORKBOOKS.md §4) with a header row; its separator is whichever of comma, semicolon and
tab the header holds most of outside quotes (a comma when it holds none). Header names are
case-insensitive. `problems_raise` raises one ApplicationError listing every error (the first
fifty) with its row and column. `csv_encoding` (UTF-8, else Windows-1252) and `csv_delimiter`
serve the responses import too (`scrutiny.workbooks.returns_files`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from scrutiny.errors import ApplicationError
from scrutiny.workbooks.opening import workbook_max_bytes, workbook_open
from scrutiny.workbooks.problems import Problem, Problems
from scrutiny.workbooks.reading import FormulaCell, cell_text, normal_name, sheet_read, value_at

_CSV_ADVICE = "In Excel use File → Save As → CSV UTF-8 (Comma delimited) (.csv)."


@dataclass
class Table:
    """A list file's header: each column's name as written, and where each column is."""

    sheet: str  # the sheet's name for a workbook; "" for a CSV
    headers: list[str]  # as written (stripped), by position
    columns: dict[str, int]  # normal name → position

    def column(self, name: str) -> str:
        """How messages name a column: its letter and header, e.g. "C (team)"."""
        return self.column_at(self.columns[name])

    def column_at(self, index: int) -> str:
        return f"{get_column_letter(index + 1)} ({self.headers[index]})"


def _is_workbook(content: bytes, file_name: str) -> bool:
    name = file_name.lower()
    if name.endswith(".csv"):
        return False
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        return True
    # No telling name: a zip (an .xlsx) or an old Excel file goes to the workbook reader, which
    # explains what it refuses; anything else is read as CSV text.
    return content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _place(problem: Problem) -> str:
    parts = [f"sheet {problem.sheet}"] if problem.sheet else []
    if problem.row is not None:
        parts.append(f"row {problem.row}")
    if problem.column:
        parts.append(f"column {problem.column}")
    place = ", ".join(parts)
    return f"{place[0].upper()}{place[1:]}: {problem.message}" if place else problem.message


def problems_raise(problems: Problems, *, what: str, outcome: str) -> None:
    if not problems:
        return
    s = "" if problems.count == 1 else "s"
    raise problems.error(
        f"The {what} has {problems.count} error{s}; {outcome}. Correct the file and use it again.",
        describe=_place,
    )


def _csv_text(content: bytes) -> str:
    if len(content) > workbook_max_bytes():
        limit = workbook_max_bytes() / (1024 * 1024)
        raise ApplicationError(
            f"The file is {len(content) / (1024 * 1024):.1f} MB; the largest list this "
            f"installation accepts is {limit:.1f} MB (setting WORKBOOK_MAX_BYTES). Remove the "
            "columns you do not need, or split the list."
        )
    if not content.strip():
        raise ApplicationError("The file is empty: the first row must name the columns.")
    if b"\x00" in content:
        raise ApplicationError(
            "The file is not a CSV text file (it holds binary data). Upload an Excel workbook "
            "(.xlsx) or a CSV file. " + _CSV_ADVICE
        )
    # A list is UTF-8 (WORKBOOKS.md §4); the responses import also reads Windows-1252.
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"The CSV file is not UTF-8 text (byte {exc.start + 1} cannot be read). " + _CSV_ADVICE
        ) from None


CSV_ENCODING_ADVICE = "The CSV file is neither UTF-8 nor Windows-1252 text. " + _CSV_ADVICE


def csv_encoding(chunks: Iterable[bytes]) -> str:
    """The encoding to read a CSV with: "utf-8-sig" when every byte is UTF-8 (a byte-order mark
    or not), else "cp1252" (what Excel's plain "CSV (Comma delimited)" writes in the UK). The
    chunks are read once, so memory does not grow with the file (the chunks before the first
    that is not UTF-8 are taken as the plain text both share). An ApplicationError when the
    bytes are neither."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fallback = codecs.getincrementaldecoder("cp1252")()
    utf8 = True
    try:
        for chunk in chunks:
            if utf8:
                try:
                    decoder.decode(chunk)
                    continue
                except UnicodeDecodeError:
                    utf8 = False
            fallback.decode(chunk)
        if utf8:
            decoder.decode(b"", final=True)
            return "utf-8-sig"
    except UnicodeDecodeError:
        raise ApplicationError(CSV_ENCODING_ADVICE) from None
    return "cp1252"


def csv_delimiter(header: str) -> str:
    """The separator of a CSV whose first line is `header`: the one of comma, semicolon and tab
    that it holds most of outside quotes; a comma when it holds none."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif char in ("\n", "\r") and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_delimiter(text: str) -> str:
    return csv_delimiter(text[:65536])


def _header_read(
    headers: list[str], *, sheet: str, problems: Problems, required: tuple[str, ...]
) -> Table | None:
    """A CSV header as a table (the workbook's header is read by reading.sheet_read)."""
    table = Table(sheet, headers, {})
    ok = True
    for index, header in enumerate(headers):
        key = normal_name(header)
        if not key:
            continue
        if key in table.columns:
            first = get_column_letter(table.columns[key] + 1)
            problems.add(
                sheet,
                1,
                table.column_at(index),
                f"the column {header!r} is also column {first}; each column name may appear once",
            )
            ok = False
            continue
        table.columns[key] = index
    if not table.columns:
        problems.add(sheet, 1, "", f"row 1 must name the columns ({', '.join(required)}, ...)")
        return None
    missing = [c for c in required if c not in table.columns]
    if missing:
        s = "" if len(missing) == 1 else "s"
        problems.add(
            sheet,
            1,
            "",
            f"the header has no column{s} {', '.join(missing)}: add "
            f"{'it' if not s else 'them'} to row 1",
        )
        ok = False
    return table if ok else None


def _csv_rows(
    text: str, *, problems: Problems, required: tuple[str, ...]
) -> tuple[Table | None, Iterator[tuple[int, list[Any]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    try:
        first = next(reader, [])
    except csv.Error as exc:
        raise ApplicationError(
            f"Row 1 of the CSV file cannot be read ({exc}). {_CSV_ADVICE}"
        ) from None
    table = _header_read([h.strip() for h in first], sheet="", problems=problems, required=required)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ApplicationError(
                    f"Row {number} of the CSV file cannot be read ({exc}). {_CSV_ADVICE}"
                ) from None
            values: list[Any] = [c.strip() or None for c in cells]
            if not any(v is not None for v in values):
                continue
            if table is not None and len(values) > len(table.headers):
                extra = values[len(table.headers) :]
                if any(v is not None for v in extra):
                    problems.add(
                        "",
                        number,
                        "",
                        f"the row has {len(values)} values but the header names "
                        f"{len(table.headers)} columns; check for a stray separator or quote",
                    )
                    continue
            yield number, values

    return table, rows()


@contextmanager
def table_open(
    content: bytes, file_name: str, *, problems: Problems, required: tuple[str, ...]
) -> Iterator[tuple[Table | None, Iterator[tuple[int, list[Any]]]]]:
    """The header and the rows of the file (the table is None when its header is unusable,
    with the problems noted). Each value is text, None for an empty cell, or a FormulaCell for
    a workbook cell that may not be read."""
    if not _is_workbook(content, file_name):
        table, rows = _csv_rows(_csv_text(content), problems=problems, required=required)
        yield table, rows if table is not None else iter(())
        return
    with workbook_open(io.BytesIO(content)) as workbook:
        if not workbook.worksheets:
            raise ApplicationError("The workbook has no sheet.")
        worksheet = workbook.worksheets[0]
        sheet = sheet_read(worksheet, name=worksheet.title, problems=problems, required=required)
        if sheet is None:
            yield None, iter(())
            return

        def text_rows() -> Iterator[tuple[int, list[Any]]]:
            for number, values in sheet.rows():
                yield number, [_as_text(v) for v in values]

        yield (
            Table(sheet.name, [h.strip() for h in sheet.headers], dict(sheet.columns)),
            text_rows(),
        )


def _as_text(value: Any) -> Any:
    if value is None or isinstance(value, FormulaCell):
        return value
    return cell_text(value)


def text_at(
    table: Table, values: list[Any], index: int, number: int, problems: Problems
) -> str | None:
    """The text of a cell; None (with a problem noted) for a formula or an error cell."""
    value = value_at(values, index)
    if isinstance(value, FormulaCell):
        problems.add(table.sheet, number, table.column_at(index), value.message())
        return None
    return "" if value is None else str(value)
