"""Opening a responses file (WORKBOOKS.md §3 and §5): an .xlsx's first sheet or a CSV, read as
a header and a stream of rows, whichever tool wrote it.

- A workbook's first sheet is opened by `fast_sheet.first_sheet_open`: size, zip bomb and
  XML entities refused as `opening.workbook_open` refuses them, then read by python-calamine,
  or by openpyxl (`reading.sheet_read`) when a formula, an error cell or unusual XML needs it.
- A CSV is UTF-8 (a byte-order mark or not), else Windows-1252 as Excel writes it, comma,
  semicolon or tab separated (`list_tables.csv_encoding`, `csv_delimiter`). It is read as a
  stream: memory does not grow with the file. A cell's guarding apostrophe (before text a
  spreadsheet would run as a formula, `writing.csv_text`, as our CSV export writes every text)
  is taken off, so that the export reads back as the text it was.
- SurveyMonkey's two-row header (question text on row 1, written once over a question's
  columns; option text, "Response" or "Open-Ended Response" on row 2, blank under its own
  columns) is read as one header: `Source.tops` carries each column's question text, and
  `Source.subs` its option text ("" for a whole-question column).

`mapping_read` reads the `--map FILE` of `import_responses`: columns `column` and `question`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from openpyxl.utils import get_column_letter

from scrutiny.errors import ApplicationError
from scrutiny.workbooks.fast_sheet import first_sheet_open
from scrutiny.workbooks.list_tables import (
    csv_delimiter,
    csv_encoding,
    problems_raise,
    table_open,
    text_at,
)
from scrutiny.workbooks.opening import WorkbookFile, workbook_max_bytes
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import cell_text
from scrutiny.workbooks.writing import csv_text_read

CHUNK = 1024 * 1024
# What SurveyMonkey writes on row 2 over a column that holds the whole answer.
WHOLE_ANSWER = ("response", "open-ended response")
_CSV_ADVICE = "In Excel use File → Save As → CSV UTF-8 (Comma delimited) (.csv)."


class Rows(Protocol):
    name: str
    headers: list[str]
    declared_rows: int | None

    def column_at(self, index: int) -> str: ...

    def rows(self) -> Iterator[tuple[int, list[Any]]]: ...


@dataclass
class Source:
    """A responses file's header and rows. `name` is the sheet's name ("" for a CSV);
    `headers` the columns as messages name them; `tops` and `subs` as above."""

    rows_from: Rows
    is_csv: bool
    tops: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    skip: int = 1  # the header's last row

    @property
    def name(self) -> str:
        return self.rows_from.name

    @property
    def headers(self) -> list[str]:
        return self.rows_from.headers

    @property
    def declared_rows(self) -> int | None:
        return self.rows_from.declared_rows

    def column_at(self, index: int) -> str:
        return self.rows_from.column_at(index)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        for number, values in self.rows_from.rows():
            if number > self.skip:
                yield number, values


class CsvRows:
    """A CSV's rows under its header, as a workbook sheet's are read: text stripped, an empty
    cell None, blank rows skipped."""

    name = ""
    declared_rows: int | None = None

    def __init__(self, reader: Any, headers: list[str]) -> None:
        self.reader = reader
        self.headers = headers
        self.pending: list[tuple[int, list[Any]]] = []
        self.number = 1

    def column_at(self, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{get_column_letter(index + 1)} ({header})"

    def peek(self) -> tuple[int, list[Any]] | None:
        row = next(self.rows(), None)
        if row is not None:
            self.pending.append(row)
        return row

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        while self.pending:
            yield self.pending.pop(0)
        while True:
            self.number += 1
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ApplicationError(
                    f"Row {self.number} of the CSV file cannot be read ({exc}). {_CSV_ADVICE}"
                ) from None
            values: list[Any] = [csv_text_read(c.strip()) or None for c in cells]
            if any(v is not None for v in values):
                yield self.number, values


def _binary(file: WorkbookFile) -> tuple[IO[bytes], bool]:
    if isinstance(file, str | Path):
        path = Path(file)
        if not path.is_file():
            raise ApplicationError(f"There is no file {path}: check the name and the folder.")
        return path.open("rb"), True
    if hasattr(file, "seek"):
        file.seek(0)
        return file, False
    return io.BytesIO(file.read(workbook_max_bytes() + 1)), True


def _is_csv(handle: IO[bytes]) -> bool:
    head = handle.read(8)
    handle.seek(0)
    # A zip (an .xlsx) or an old Excel file goes to the workbook reader, which says what it
    # refuses; anything else is read as CSV text.
    return bool(head) and not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    size = 0
    while chunk := handle.read(CHUNK):
        size += len(chunk)
        if size > workbook_max_bytes():
            limit = workbook_max_bytes() / (1024 * 1024)
            raise ApplicationError(
                f"The file is larger than {limit:.1f} MB, the largest this installation accepts "
                "(setting WORKBOOK_MAX_BYTES). Split it into smaller files and import each."
            )
        if b"\x00" in chunk:
            raise ApplicationError(
                "The file is not a CSV text file (it holds binary data). Upload an Excel "
                "workbook (.xlsx) or a CSV file. " + _CSV_ADVICE
            )
        yield chunk


def _two_rows(source: Source, second: tuple[int, list[Any]] | None) -> None:
    """Read SurveyMonkey's second header row, when row 2 is one."""
    headers = source.headers
    source.tops, source.subs = [], []
    subs = [cell_text(v).strip() for v in second[1]] if second and second[0] == 2 else []
    is_header = bool(subs) and not subs[0] and any(s.casefold() in WHOLE_ANSWER for s in subs)
    top = ""
    for index, header in enumerate(headers):
        sub = subs[index] if is_header and index < len(subs) else ""
        top = header.strip() or (top if sub else "")
        source.tops.append(top)
        source.subs.append("" if sub.casefold() in WHOLE_ANSWER else sub)
    if is_header:
        source.skip = 2
        for index, sub in enumerate(source.subs):
            if sub:
                headers[index] = f"{source.tops[index]} / {sub}"


@contextmanager
def source_open(file: WorkbookFile, *, problems: Problems) -> Iterator[Source | None]:
    """The file's header and rows; None when its header cannot be used (problems say why)."""
    handle, ours = _binary(file)
    try:
        if not _is_csv(handle):
            with _sheet_source(handle, problems) as source:
                yield source
            return
        encoding = csv_encoding(_chunks(handle))
        handle.seek(0)
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            yield _csv_source(text)
        finally:
            with suppress(ValueError):
                text.detach()
    finally:
        if ours:
            handle.close()


@contextmanager
def _sheet_source(handle: IO[bytes], problems: Problems) -> Iterator[Source | None]:
    with first_sheet_open(handle, problems) as sheet:
        if sheet is None:
            yield None
            return
        source = Source(sheet, is_csv=False)
        _two_rows(source, next(sheet.rows(), None))
        yield source


def _csv_source(text: IO[str]) -> Source:
    try:
        first_line = text.readline()
        delimiter = csv_delimiter(first_line)
        text.seek(0)
    except UnicodeDecodeError as exc:
        raise ApplicationError(f"Row 1 of the CSV file cannot be read ({exc}).") from None
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = [csv_text_read(cell.strip()) for cell in next(reader, [])]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(f"Row 1 of the CSV file cannot be read ({exc}).") from None
    if not any(header):
        raise ApplicationError(
            "Row 1 of the CSV file must be the header (the column names), but it is empty."
        )
    rows = CsvRows(reader, header)
    source = Source(rows, is_csv=True)
    _two_rows(source, rows.peek())
    return source


def problems_raise_for(source: Source | None, problems: Problems) -> None:
    """Every problem as one ApplicationError, worded for a workbook or a CSV."""
    if source is not None and source.is_csv:
        problems_raise(problems, what="responses file", outcome="nothing was imported")
    problems.raise_if_any("The responses workbook")


def mapping_read(file: str | Path) -> dict[str, str]:
    """A map (`--map FILE`, CSV or .xlsx): column header as written → question code or "-"."""
    path = Path(file)
    if not path.is_file():
        raise ApplicationError(f"There is no map file {path}: check the name and the folder.")
    problems = Problems()
    mapping: dict[str, str] = {}
    with table_open(
        path.read_bytes(), path.name, problems=problems, required=("column", "question")
    ) as (table, rows):
        for number, values in rows:
            assert table is not None
            column = text_at(table, values, table.columns["column"], number, problems)
            question = text_at(table, values, table.columns["question"], number, problems)
            if not column or not question:
                if column is not None and question is not None:
                    problems.add(
                        table.sheet,
                        number,
                        "",
                        "give both the column (its header as written) and the question (a "
                        "question code, or - to ignore the column)",
                    )
                continue
            if column in mapping:
                problems.add(table.sheet, number, table.column("column"), f"{column!r} is twice")
                continue
            mapping[column] = question.strip()
    problems_raise(problems, what="map", outcome="nothing was imported")
    return mapping
