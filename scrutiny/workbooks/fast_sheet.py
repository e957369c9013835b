"""A workbook's first sheet read fast: python-calamine reads the cells (in Rust, about twenty
times faster than openpyxl), once a streaming scan of the zip's XML has found nothing that
needs the careful reader (`opening.workbook_open` with `reading.sheet_read`).

Calamine neither refuses what openpyxl refuses through defusedxml nor shows a formula as a
formula, so every XML part of the zip is read once, in chunks, and the file goes to the careful
reader (whose refusals and messages are the ones people know) when a part holds:

- `<!`: a DOCTYPE, an entity, a comment or CDATA, none of which Excel writes;
- `<?` after the declaration, a processing instruction (nor that), or a root element elsewhere
  than straight after the declaration;
- in shared strings, a count of them (uniqueCount) more than the part could hold: calamine makes
  room for that many at once, and a false hundred billion ends the process;
- in a worksheet, a formula (`<f>`) or an attribute valued "e" (an error cell, t="e");
- a run of whitespace long enough to be padding (`opening.MAX_WHITESPACE_RUN`).

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
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from typing import IO, Any

from openpyxl.workbook.workbook import Workbook
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from scrutiny.workbooks.opening import (
    MAX_WHITESPACE_RUN,
    unreadable,
    workbook_open,
    xlsx_refuse,
)
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import Sheet, cell_text, header_columns, sheet_read
from scrutiny.workbooks.shared_strings import SharedStrings
from scrutiny.workbooks.sheet_pieces import (
    DECLARATION,
    PREFIX,
    SheetParts,
    TooLong,
    first_sheet_parts,
    piece_size,
    pieces,
    strings_whole,
)

FAST_MAX_UNPACKED = 160 * 1024 * 1024
_CHUNK = 1024 * 1024
# Whitespace is sampled every _SAMPLE bytes: a run longer than MAX_WHITESPACE_RUN holds at least
# _SAMPLE + 1 whitespace bytes from a sample on, in one chunk (the check below).
_SAMPLE = 8192
assert MAX_WHITESPACE_RUN >= 4 * _SAMPLE - 1
_WHITESPACE = b" \t\r\n"
_WHITESPACE_WINDOW = re.compile(rb"[ \t\r\n]{%d}" % (_SAMPLE + 1))
_ROOT = re.compile(rb"\s*<(?:(" + PREFIX + rb"):)?(" + PREFIX + rb")[\s/>]")
_UNIQUE_COUNT = re.compile(rb"""uniqueCount\s*=\s*(?:"([0-9]+)"|'([0-9]+)')""")
_STRING_BYTES = 5  # the fewest bytes a shared string takes: <si/>
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


def _unnumbered_rows(text: bytes, tail: int, row: bytes) -> int:
    """Row elements without an `r` first ("<row r=..."), page breaks aside, counting only what
    does not lie wholly in the first `tail` bytes (counted with the chunk before)."""

    def count(sought: bytes) -> int:
        return text.count(sought, max(0, tail - len(sought) + 1))

    return count(row) - count(row + b" r=") - count(row + b"Breaks")


def _root(chunk: bytes, size: int) -> tuple[bytes, bytes, int] | None:
    """A part's root element from its first chunk: its namespace prefix with its colon, its
    local name and where it starts. None when it is not where programs put it (after the
    declaration, its start tag whole in the chunk), or when shared strings claim more strings
    than the part could hold: calamine makes room for that many before reading one, and a
    false hundred billion ends the process (no Python can catch it)."""
    declaration = DECLARATION.match(chunk)
    root = _ROOT.match(chunk, declaration.end() if declaration else 0)
    if root is None:
        return None
    end = chunk.find(b"<", root.end())  # a start tag's attributes never hold a "<"
    if end < 0 and len(chunk) < size:
        return None
    if root.group(2) == b"sst":
        tag = chunk[root.start() : end if end >= 0 else len(chunk)]
        counts = [int(a or b) for a, b in _UNIQUE_COUNT.findall(tag)]
        if len(counts) != tag.count(b"uniqueCount") or max(counts, default=0) > (
            size // _STRING_BYTES + 1
        ):
            return None
    return root.group(1) + b":" if root.group(1) else b"", root.group(2), root.start()


def _part_plain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | bool | None:
    """None when one XML part holds something that needs the careful reader; for a worksheet,
    its namespace prefix with its colon (b"" for none) when every row has a number, else False;
    True for another part."""
    prefix: bytes | None = None  # once the part is known to be a worksheet
    tail, offset, unnumbered, skip = b"", 0, 0, 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            if offset == 0:
                root = _root(chunk, info.file_size)
                if root is None:
                    return None
                prefix = root[0] if root[1] == b"worksheet" else None
                skip = root[2]  # a processing instruction's "<?" after the declaration
            text = tail + chunk
            if b"<!" in text or text.find(b"<?", skip) >= 0 or _whitespace_run(chunk, offset):
                return None
            if prefix is not None:
                if _formula_or_error(text, b"<" + prefix + b"f"):
                    return None
                row = b"<" + prefix + b"row"
                unnumbered += _unnumbered_rows(text, len(tail), row)
            tail = text[-(_OVERLAP + len(prefix or b"")) :]  # a tag cut by the chunk's edge
            offset += len(chunk)
            skip = len(tail) - 1
    if prefix is None:
        return True
    return prefix if not unnumbered else False


def _scan(handle: IO[bytes]) -> dict[str, bytes | bool] | None:
    """None when the file needs the careful reader; else each XML part's `_part_plain`."""
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
            found: dict[str, bytes | bool] = {}
            for info in parts:
                plain = _part_plain(archive, info)
                if plain is None:
                    return None
                found[info.filename] = plain
            return found
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None  # the careful reader says what is wrong
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


Pieces = Callable[[], Iterator[tuple[CalamineSheet, bool]]]
Reading = tuple[Pieces, CalamineSheet, int]  # the sheets to read, the first of them, rows declared


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
        last = 1  # the header's row
        try:
            for sheet, whole in self.worksheet():
                for number, values in _numbered(sheet, whole):
                    if number <= last:
                        if number == 1:
                            continue
                        raise ValueError(f"row {number} comes after row {last}")
                    last = number
                    for value in values:
                        if value is not None:
                            yield number, values
                            break
        except (CalamineError, TooLong):
            yield from self.careful(last)
        except ValueError as exc:
            raise unreadable(f"Sheet {self.name}", exc) from None


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


def _whole(
    workbook: CalamineWorkbook, scan: dict[str, bytes | bool], archive: zipfile.ZipFile
) -> Reading | None:
    """The sheet read whole: how to read it, and its rows; None when too big for that."""
    unpacked = sum(archive.getinfo(name).file_size for name in scan)
    if unpacked > FAST_MAX_UNPACKED:
        return None
    sheet = workbook.get_sheet_by_index(0)
    return (lambda: iter([(sheet, True)])), sheet, sheet.total_height


def _in_pieces(archive: zipfile.ZipFile, plan: Plan) -> Reading:
    def sheets() -> Iterator[tuple[CalamineSheet, bool]]:
        for piece, _ in pieces(archive, *plan, most=FAST_MAX_UNPACKED):
            yield CalamineWorkbook.from_filelike(piece).get_sheet_by_index(0), False

    with closing(pieces(archive, *plan, most=FAST_MAX_UNPACKED)) as made:
        piece, done = next(made)
    first = CalamineWorkbook.from_filelike(piece).get_sheet_by_index(0)
    # For the progress bar: the rows of the first piece, scaled by the share of bytes they are.
    rows = first.start[0] + first.height if first.start else 1
    return sheets, first, round(rows / max(done, 1e-9))


def _calamine_sheet(
    handle: IO[bytes], archive: zipfile.ZipFile, scan: dict[str, bytes | bool], problems: Problems
) -> Sheet | bool | None:
    """The first sheet through calamine; False when it is not a worksheet (a chart), calamine
    cannot read it (its first piece, when read in pieces), or it is too big to hold."""
    try:
        handle.seek(0)
        workbook = CalamineWorkbook.from_filelike(handle)
        metadata = workbook.sheets_metadata
        if not metadata:
            problems.add("1", None, "", "the workbook has no sheet")
            return None
        if metadata[0].typ != SheetTypeEnum.WorkSheet:
            return False
        plan = _pieces_plan(archive, scan)
        reading = _whole(workbook, scan, archive) if plan is None else _in_pieces(archive, plan)
        if reading is None:
            return False
        sheets, first, declared = reading
        header = next(_numbered(first, plan is None), None)
    except (CalamineError, ValueError):
        return False  # damaged or a row too long: the careful reader says how, as always
    headers = [cell_text(v) for v in header[1]] if header is not None and header[0] == 1 else []
    name = metadata[0].name
    columns = header_columns(headers, name=name, problems=problems)
    if columns is None:
        return None
    return CalamineRows(
        name=name,
        sheets=sheets,
        careful=_careful(handle),
        headers=headers,
        columns=columns,
        declared_rows=declared,
    )


@contextmanager
def first_sheet_open(handle: IO[bytes], problems: Problems) -> Iterator[Sheet | None]:
    """The workbook's first sheet as a header and rows; None when the header cannot be used
    or there is no sheet (problems say why). Refusals as `opening.workbook_open`'s."""
    xlsx_refuse(handle)
    scan = _scan(handle)
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
