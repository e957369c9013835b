"""A workbook's first sheet read fast: python-calamine reads the cells (in Rust, about twenty
times faster than openpyxl), once a streaming scan of the zip's XML has found nothing that
needs the careful reader (`opening.workbook_open` with `reading.sheet_read`).

A streaming scan of every XML part the file holds first sends to the careful reader, whose
refusals and messages are the ones people know, what calamine must not be given
(`xml_scan`).

Calamine holds a sheet's cells in memory while the rows are read (about 130 bytes a cell), so a
big sheet is read a piece of whole rows at a time (`sheet_pieces`): memory stays flat in the rows.
The scan counts each worksheet's rows without a number (`r`), which pieces cannot place; such a
sheet is read whole. When what calamine would hold at once unpacks to more than
FAST_MAX_UNPACKED, the careful reader, which streams, reads it instead: memory stays bounded
whatever the file. Calamine reads the first piece before any row is given; should it fail on a
later one, or a row be too long for a piece, the careful reader reads the rows after the last
given.

Cells read as the careful reader reads them: text stripped (empty as None), whole numbers as
int, a date as a datetime at midnight.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from typing import IO, Any

from openpyxl.workbook.workbook import Workbook
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from scrutiny.workbooks import xml_scan
from scrutiny.workbooks.opening import unreadable, workbook_open, xlsx_refuse
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import Sheet, cell_text, header_columns, sheet_read
from scrutiny.workbooks.shared_strings import SharedStrings
from scrutiny.workbooks.sheet_pieces import (
    SheetParts,
    TooLong,
    first_sheet_parts,
    piece_size,
    pieces,
    strings_whole,
)

FAST_MAX_UNPACKED = 160 * 1024 * 1024


def _cell(value: Any) -> Any:
    kind = value.__class__
    if kind is str:
        return value.strip() or None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


Pieces = Callable[[], Iterator[tuple[CalamineSheet, bool]]]


def panicked(error: BaseException) -> bool:
    """Whether calamine's Rust panicked, which pyo3 raises as an exception of its own deriving
    from BaseException (not importable: its module is made when Python runs)."""
    return type(error).__name__ == "PanicException"


def _rows_to(piece: CalamineSheet) -> int:
    """The number of a piece's last row (1 for a piece without a cell)."""
    return piece.start[0] + piece.height if piece.start else 1


def _numbered(sheet: CalamineSheet, whole: bool) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cleaned values) of a sheet read whole or of a piece, empty rows too."""
    # Columns count from the first that holds a cell; rows, read whole, from row 1, and in a
    # piece from its first row that holds a cell.
    start = sheet.start
    if start is None:
        return
    pad: list[Any] = [None] * start[1]
    if whole:
        rows = enumerate(sheet.iter_rows(), start=1)
    else:
        rows = enumerate(sheet.to_python(skip_empty_area=True), start=start[0] + 1)
    cell = _cell
    for number, cells in rows:
        yield number, pad + [cell(c) for c in cells] if pad else [cell(c) for c in cells]


Careful = Callable[[int], Iterator[tuple[int, list[Any]]]]


class CalamineRows(Sheet):
    """A sheet read by calamine, whole or a piece at a time: the rows as `Sheet.rows` gives them.
    Should calamine fail on a piece after the first, the careful reader reads the rest."""

    def __init__(
        self, *, name: str, sheets: Pieces, careful: Careful, headers: list[str], **kw: Any
    ) -> None:
        super().__init__(name=name, worksheet=sheets, headers=headers, **kw)
        self.careful = careful

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        last = [1]  # the number of the last row given (the header's, first)
        try:
            yield from self._calamine_rows(last)
            return
        except (CalamineError, TooLong):
            pass
        except ValueError as exc:
            raise unreadable(f"Sheet {self.name}", exc) from None
        except BaseException as error:
            if not panicked(error):
                raise
        # Out of the handler: calamine's last piece, and the error, are not held meanwhile.
        yield from self.careful(last[0])

    def _calamine_rows(self, last: list[int]) -> Iterator[tuple[int, list[Any]]]:
        for sheet, whole in self.worksheet():
            for number, values in _numbered(sheet, whole):
                if number <= last[0]:
                    if number == 1:
                        continue
                    raise ValueError(f"row {number} comes after row {last[0]}")
                last[0] = number
                for value in values:
                    if value is not None:
                        yield number, values
                        break


def _careful(handle: IO[bytes]) -> Careful:
    """The rows after a row's number, read by the careful reader."""

    def rows(after: int) -> Iterator[tuple[int, list[Any]]]:
        handle.seek(0)
        with workbook_open(handle) as workbook:
            sheet = _careful_sheet(workbook, Problems())
            if sheet is None:  # calamine read its header; openpyxl does not
                raise unreadable("The first sheet", ValueError("its header"))
            for number, values in sheet.rows():
                if number > after:
                    yield number, values

    return rows


Plan = tuple[SheetParts, int, Callable[[bytes], bytes] | None]  # `pieces`' arguments


def _pieces_plan(archive: zipfile.ZipFile, scan: dict[str, bytes | bool]) -> Plan | None:
    """How to read the first sheet a piece at a time, or None to read it whole."""
    parts = first_sheet_parts(archive)
    prefix = scan.get(parts.sheet) if parts is not None else None
    if parts is None or not isinstance(prefix, bytes):
        return None  # rows without numbers (False), or not laid out as expected
    parts = dataclasses.replace(parts, prefix=prefix)
    size = piece_size(archive, parts, most=FAST_MAX_UNPACKED)
    if size is None or parts.strings is None:
        return None if size is None else (parts, size, None)
    strings = SharedStrings.read(archive.read(parts.strings), prefix)
    if strings is not None:
        return parts, size, strings.for_rows
    parts = strings_whole(parts)  # laid out otherwise: they go whole with each piece
    size = piece_size(archive, parts, most=FAST_MAX_UNPACKED)
    return None if size is None else (parts, size, None)


def _opened(
    handle: IO[bytes], archive: zipfile.ZipFile, plan: Plan | None
) -> tuple[CalamineWorkbook, float] | None:
    """The workbook calamine opens first, with the share of the sheet it holds: the sheet's
    first piece (calamine reads a workbook's shared strings as it opens it: a piece's are its
    own), or the whole file; None when that is too big to hold."""
    if plan is not None:
        with closing(pieces(archive, *plan, most=FAST_MAX_UNPACKED)) as made:
            piece, done = next(made)
        return CalamineWorkbook.from_filelike(piece), done
    if sum(info.file_size for info in archive.infolist()) > FAST_MAX_UNPACKED:
        return None
    handle.seek(0)
    return CalamineWorkbook.from_filelike(handle), 1.0


def _sheets(archive: zipfile.ZipFile, plan: Plan | None, first: CalamineSheet) -> Pieces:
    """The sheet read whole, or each of its pieces in turn (the first read again)."""
    if plan is None:
        return lambda: iter([(first, True)])

    def sheets() -> Iterator[tuple[CalamineSheet, bool]]:
        for piece, _ in pieces(archive, *plan, most=FAST_MAX_UNPACKED):
            yield CalamineWorkbook.from_filelike(piece).get_sheet_by_index(0), False

    return sheets


def _calamine_sheet(
    handle: IO[bytes], archive: zipfile.ZipFile, scan: dict[str, bytes | bool], problems: Problems
) -> Sheet | bool | None:
    """The first sheet through calamine; False when it is not a worksheet (a chart), calamine
    cannot read it (its first piece, when read in pieces), or it is too big to hold."""
    try:
        plan = _pieces_plan(archive, scan)
        opened = _opened(handle, archive, plan)
        if opened is None:
            return False
        workbook, done = opened
        metadata = workbook.sheets_metadata
        if not metadata:
            problems.add("1", None, "", "the workbook has no sheet")
            return None
        if metadata[0].typ != SheetTypeEnum.WorkSheet:
            return False
        first = workbook.get_sheet_by_index(0)
        # For the progress bar, read in pieces: the first piece's rows, scaled by its bytes.
        rows = first.total_height if plan is None else _rows_to(first)
        header = next(_numbered(first, plan is None), None)
    except (CalamineError, ValueError):
        return False  # damaged or a row too long: the careful reader says how, as always
    except BaseException as error:
        if not panicked(error):
            raise
        return False
    headers = [cell_text(v) for v in header[1]] if header is not None and header[0] == 1 else []
    name = metadata[0].name
    columns = header_columns(headers, name=name, problems=problems)
    if columns is None:
        return None
    return CalamineRows(
        name=name,
        sheets=_sheets(archive, plan, first),
        careful=_careful(handle),
        headers=headers,
        columns=columns,
        declared_rows=rows if plan is None else round(rows / max(done, 1e-9)),
    )


@contextmanager
def first_sheet_open(handle: IO[bytes], problems: Problems) -> Iterator[Sheet | None]:
    """The workbook's first sheet as a header and rows; None when the header cannot be used
    or there is no sheet (problems say why). Refusals as `opening.workbook_open`'s."""
    xlsx_refuse(handle)
    scan = xml_scan.scan(handle)
    if scan is not None:
        with zipfile.ZipFile(handle) as archive:
            sheet = _calamine_sheet(handle, archive, scan, problems)
            if sheet is not False:
                assert not isinstance(sheet, bool)
                yield sheet
                return
        handle.seek(0)
    with workbook_open(handle) as workbook:
        yield _careful_sheet(workbook, problems)


def _careful_sheet(workbook: Workbook, problems: Problems) -> Sheet | None:
    """The workbook's first sheet read by openpyxl (None, problems saying why, as above)."""
    if not workbook.worksheets:
        problems.add("1", None, "", "the workbook has no sheet")
        return None
    worksheet = workbook.worksheets[0]
    return sheet_read(worksheet, name=worksheet.title, problems=problems)
