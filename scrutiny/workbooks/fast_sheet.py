"""A workbook's first sheet read fast: python-calamine reads the cells (in Rust, about twenty
times faster than openpyxl), once a streaming scan of the zip's XML has found nothing that
needs the careful reader (`opening.workbook_open` with `reading.sheet_read`).

Calamine neither refuses what openpyxl refuses through defusedxml nor shows a formula as a
formula, so every XML part of the zip is read once, in chunks, and the file goes to the careful
reader (whose refusals and messages are the ones people know) when a part holds:

- `<!`: a DOCTYPE, an entity, a comment or CDATA, none of which Excel writes;
- in a worksheet, a formula (`<f>`) or an attribute valued "e" (an error cell, t="e");
- a run of whitespace long enough to be padding (`opening.MAX_WHITESPACE_RUN`).

Calamine holds the sheet's cells in memory while the rows are read (about 130 bytes a cell), so
a workbook whose XML unpacks to more than FAST_MAX_UNPACKED goes to the careful reader too,
which streams: memory stays bounded whatever the file.

Cells read as the careful reader reads them: text stripped (empty as None), whole numbers as
int, a date as a datetime at midnight.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from scrutiny.workbooks.opening import (
    MAX_WHITESPACE_RUN,
    unreadable,
    workbook_open,
    xlsx_refuse,
)
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import Sheet, cell_text, header_columns, sheet_read

FAST_MAX_UNPACKED = 160 * 1024 * 1024
_CHUNK = 1024 * 1024
# Whitespace is sampled every _SAMPLE bytes: a run longer than MAX_WHITESPACE_RUN holds at least
# _SAMPLE + 1 whitespace bytes from a sample on, in one chunk (the check below).
_SAMPLE = 8192
assert MAX_WHITESPACE_RUN >= 4 * _SAMPLE - 1
_WHITESPACE = b" \t\r\n"
_WHITESPACE_WINDOW = re.compile(rb"[ \t\r\n]{%d}" % (_SAMPLE + 1))
_WORKSHEET_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_TAG_END = b" \t\r\n/>"
_OVERLAP = 64


def _whitespace_run(chunk: bytes, offset: int) -> bool:
    for index in range((-offset) % _SAMPLE, len(chunk), _SAMPLE):
        if chunk[index] in _WHITESPACE and _WHITESPACE_WINDOW.match(chunk, index):
            return True
    return False


def _formula_or_error(text: bytes, formula: bytes) -> bool:
    if b'"e"' in text or b"'e'" in text:
        return True
    at = text.find(formula)
    while at >= 0:
        following = text[at + len(formula) : at + len(formula) + 1]
        if following and following in _TAG_END:
            return True
        at = text.find(formula, at + 1)
    return False


def _part_plain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether one XML part holds nothing that needs the careful reader."""
    formula: bytes | None = None  # the formula tag, once the part is known to be a worksheet
    tail, offset = b"", 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            if offset == 0:
                root = _WORKSHEET_ROOT.search(chunk, 0, 4096)
                if root is not None:
                    prefix = root.group(1)
                    formula = b"<" + (prefix + b":" if prefix else b"") + b"f"
            text = tail + chunk
            if b"<!" in text or _whitespace_run(chunk, offset):
                return False
            if formula is not None and _formula_or_error(text, formula):
                return False
            tail = text[-_OVERLAP:]
            offset += len(chunk)
    return True


def _plain(handle: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
            if sum(i.file_size for i in parts) > FAST_MAX_UNPACKED:
                return False
            return all(_part_plain(archive, info) for info in parts)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False  # the careful reader says what is wrong
    finally:
        handle.seek(0)


def _cell(value: Any) -> Any:
    kind = value.__class__
    if kind is str:
        return value.strip() or None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


class CalamineRows(Sheet):
    """A sheet read by calamine: the rows as `Sheet.rows` gives them."""

    def __init__(self, *, name: str, sheet: CalamineSheet, headers: list[str], **kw: Any) -> None:
        super().__init__(name=name, worksheet=sheet, headers=headers, **kw)
        start = sheet.start
        self.pad: list[Any] = [None] * (start[1] if start else 0)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        # calamine's rows count from row 1; its columns from the first that holds a cell.
        pad, cell = self.pad, _cell
        try:
            for number, cells in enumerate(self.worksheet.iter_rows(), start=1):
                if number == 1:
                    continue
                values = pad + [cell(c) for c in cells] if pad else [cell(c) for c in cells]
                for value in values:
                    if value is not None:
                        yield number, values
                        break
        except CalamineError as exc:
            raise unreadable(f"Sheet {self.name}", exc) from None


def _calamine_sheet(handle: IO[bytes], problems: Problems) -> Sheet | bool | None:
    """The first sheet through calamine; False when it is not a worksheet (a chart) or
    calamine cannot read it."""
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        sheets = workbook.sheets_metadata
        if not sheets:
            problems.add("1", None, "", "the workbook has no sheet")
            return None
        if sheets[0].typ != SheetTypeEnum.WorkSheet:
            return False
        sheet = workbook.get_sheet_by_index(0)
        first = next(iter(sheet.iter_rows()), [])
    except CalamineError:
        return False  # damaged: the careful reader says how, as it always has
    name = sheets[0].name
    start = sheet.start
    headers = [""] * (start[1] if start else 0) + [cell_text(_cell(c)) for c in first]
    columns = header_columns(headers, name=name, problems=problems)
    if columns is None:
        return None
    return CalamineRows(
        name=name, sheet=sheet, headers=headers, columns=columns, declared_rows=sheet.total_height
    )


@contextmanager
def first_sheet_open(handle: IO[bytes], problems: Problems) -> Iterator[Sheet | None]:
    """The workbook's first sheet as a header and rows; None when the header cannot be used
    or there is no sheet (problems say why). Refusals as `opening.workbook_open`'s."""
    xlsx_refuse(handle)
    if _plain(handle):
        sheet = _calamine_sheet(handle, problems)
        if sheet is not False:
            assert not isinstance(sheet, bool)
            yield sheet
            return
        handle.seek(0)
    with workbook_open(handle) as workbook:
        if not workbook.worksheets:
            problems.add("1", None, "", "the workbook has no sheet")
            yield None
            return
        worksheet = workbook.worksheets[0]
        yield sheet_read(worksheet, name=worksheet.title, problems=problems)
