"""A big worksheet read by calamine a piece at a time, so that memory stays flat in the rows.

Calamine holds a sheet's cells while its rows are read (about 130 bytes a cell: 143 MB for a
million answers). A worksheet's XML is a head, then `<sheetData>` holding one `<row>` after
another, then a tail (merged cells, page set-up) that an import does not read. So a big sheet is
cut after whole rows into pieces, and each piece becomes a small workbook of its own for calamine
to read: the parts it reads besides the sheet (content types, relationships, the workbook part,
the styles, the shared strings its rows use) and, at the sheet's own path, the head, the piece's
rows and `</sheetData></worksheet>`.

Rows keep their own numbers (their `r` attributes), so a piece's cells stand where they stood in
the whole sheet. Calamine numbers a row without `r` after the one before it, which a piece cannot
know: the scan (`xml_scan`) counts such rows and sends their sheet to the whole read.

Every piece reads the shared parts again, so a piece is at least SHARED_TIMES their size: reading
them costs at most about a tenth of reading the rows. And a piece is at most PIECE_MAX, beyond
which it costs more memory than the sheet read whole. The shared strings are not read again
whole: Excel, LibreOffice and Google Sheets write each different text there once, as many as
the rows when each row has a comment, so each piece is given only those its rows use
(`shared_strings`). Shared strings laid out otherwise go whole with each piece, as the other
shared parts. Either way, calamine is never given more than FAST_MAX_UNPACKED bytes of XML at
once (`fast_sheet`).
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Generator
from typing import IO

from defusedxml import ElementTree

PIECE_MIN = 1024 * 1024
SHARED_TIMES = 8
# A bigger piece costs more than the sheet read whole: its cells are all made Python objects at
# once (bench/RESULTS.md: pieces of 33 MB, 288 MB against 184 MB and twice the time).
PIECE_MAX = 2 * 1024 * 1024
_STEP = 1024 * 1024  # bytes of the sheet read at a time
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"
_SHARED_STRINGS = "/sharedStrings"
PREFIX = rb"[A-Za-z_][\w.-]*"  # an XML namespace prefix, without its colon
# An XML part's byte order mark and declaration, when it has them (always matches).
DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?(?:<\?xml\b[^>]*\?>)?")
_DIMENSION = re.compile(rb"<(?:" + PREFIX + rb":)?dimension\b[^>]*>")


@dataclasses.dataclass(frozen=True)
class SheetParts:
    """Where the first sheet is in the zip, and the parts calamine reads to read it."""

    sheet: str
    shared: tuple[str, ...]
    prefix: bytes = b""  # the worksheet's namespace prefix with its colon
    # The shared strings, when each piece is given those its rows use (`shared_strings`).
    strings: str | None = None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def relationships_part(part: str) -> str:
    """The name of the part that holds a part's relationships."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(
    archive: zipfile.ZipFile,
    part: str,
    lookup: Callable[[zipfile.ZipFile, str], str | None] = lambda archive, name: name,
) -> list[tuple[str, str, str]]:
    """(id, type, target in the zip) of a part's relationships; `lookup` gives the name they
    are under in the zip (KeyError when not there)."""
    folder = posixpath.dirname(part)
    rels = lookup(archive, relationships_part(part))
    if rels is None:
        raise KeyError(relationships_part(part))
    root = ElementTree.fromstring(archive.read(rels))
    found = []
    for item in root:
        target = item.get("Target", "")
        if item.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.append((item.get("Id", ""), item.get("Type", ""), posixpath.normpath(path)))
    return found


def first_sheet_parts(archive: zipfile.ZipFile) -> SheetParts | None:
    """The first sheet's parts, or None when the package is not laid out as expected (the
    whole read then says what is wrong, as it always has)."""
    try:
        workbook = next(
            target
            for _, kind, target in relationships(archive, "")
            if kind.endswith(_OFFICE_DOCUMENT)
        )
        related = relationships(archive, workbook)
        root = ElementTree.fromstring(archive.read(workbook))
        first = next(e for e in root.iter() if _local(e.tag) == "sheet")
        sheet_id = next(v for k, v in first.attrib.items() if _local(k) == "id")
        sheet = next(target for key, _, target in related if key == sheet_id)
    except (KeyError, StopIteration, ElementTree.ParseError, ValueError):
        return None
    shared = ["[Content_Types].xml", "_rels/.rels", workbook, relationships_part(workbook)]
    shared += [target for _, kind, target in related if kind.endswith(_STYLES)]
    strings = [target for _, kind, target in related if kind.endswith(_SHARED_STRINGS)]
    shared = list(dict.fromkeys(shared))
    names = set(archive.namelist())
    if sheet not in names or not names.issuperset(shared + strings) or len(strings) > 1:
        return None
    return SheetParts(sheet=sheet, shared=tuple(shared), strings=strings[0] if strings else None)


def strings_whole(parts: SheetParts) -> SheetParts:
    """The parts with the shared strings given whole to each piece, as the other shared parts."""
    if parts.strings is None:
        return parts
    return dataclasses.replace(parts, shared=(*parts.shared, parts.strings), strings=None)


def _strings_held(archive: zipfile.ZipFile, parts: SheetParts) -> int:
    """Bytes held for the shared strings given in part, at most: their XML, where each string
    begins (4 bytes each, a string at least 5), a piece's part (an empty place is no longer
    than the string it stands for) and its copy in the piece's zip."""
    return 0 if parts.strings is None else 4 * archive.getinfo(parts.strings).file_size


def piece_size(archive: zipfile.ZipFile, parts: SheetParts, *, most: int) -> int | None:
    """Bytes of the sheet's XML to read a piece at a time, or None to read the sheet whole:
    a small sheet, or shared parts so big that pieces would cost more than they save."""
    shared = sum(archive.getinfo(name).file_size for name in parts.shared)
    size = max(PIECE_MIN, SHARED_TIMES * shared)
    held = shared + _strings_held(archive, parts) + size + _STEP
    if archive.getinfo(parts.sheet).file_size <= size or held > most:
        return None
    return size if size <= PIECE_MAX else None


def _workbook(shared: list[tuple[str, bytes]], name: str, *xml: bytes | memoryview) -> io.BytesIO:
    piece = io.BytesIO()
    with zipfile.ZipFile(piece, "w", zipfile.ZIP_STORED) as archive:
        for part, data in shared:
            archive.writestr(part, data)
        with archive.open(name, "w") as sheet:
            for data in xml:
                sheet.write(data)
    piece.seek(0)
    return piece


class TooLong(ValueError):
    """A sheet's head, or one of its rows, too long to go in a piece."""


class _Reading:
    """A sheet's XML read a step at a time into a buffer."""

    def __init__(self, sheet: IO[bytes], most: int) -> None:
        self.sheet, self.most = sheet, most
        self.buffer = bytearray()
        self.read = 0
        self.ended = False  # the sheet's XML all read

    def step(self) -> bool:
        """Read a step more; False at the end of the sheet."""
        data = self.sheet.read(_STEP)
        self.buffer += data
        self.read += len(data)
        self.ended = not data
        return not self.ended

    def find(self, sought: bytes, *, last: bool = False) -> int:
        """Where (the last) `sought` ends in the buffer, reading on until it is there; -1 at
        the end of the sheet. TooLong past `most` bytes."""
        searched = 0
        while True:
            begin = max(0, searched - len(sought) + 1)
            find = self.buffer.rfind if last else self.buffer.find
            at = find(sought, begin)
            if at >= 0:
                return at + len(sought)
            if len(self.buffer) > self.most:
                raise TooLong(f"more than {self.most:,} bytes of the sheet without a row's end")
            searched = len(self.buffer)
            if not self.step():
                return -1

    def take(self, length: int) -> bytes:
        taken = bytes(self.buffer[:length])
        del self.buffer[:length]
        return taken


def pieces(
    archive: zipfile.ZipFile,
    parts: SheetParts,
    size: int,
    strings: Callable[[bytes], bytes] | None = None,
    *,
    most: int,
) -> Generator[tuple[io.BytesIO, float], None, None]:
    """Each piece as a workbook calamine reads, with the share of the sheet's bytes after its
    head read so far (for a progress bar). Reading stops within a step of `</sheetData>`.
    TooLong when a piece would hold more than `most` bytes of XML: a head longer than an eighth
    of a piece, or a row too long (no program writes either). `strings` gives the shared
    strings part for a piece's rows, when `parts.strings` names one."""
    shared = [(name, archive.read(name)) for name in parts.shared]
    held = sum(len(data) for _, data in shared) + _STEP + _strings_held(archive, parts)

    def workbook(rows: bytes, *xml: bytes) -> io.BytesIO:
        given = shared
        if parts.strings is not None:
            assert strings is not None, "shared strings given in part need `strings`"
            given = [*shared, (parts.strings, strings(rows))]
        return _workbook(given, parts.sheet, *xml)

    total = archive.getinfo(parts.sheet).file_size
    row_end = b"</" + parts.prefix + b"row>"
    closing = b"</" + parts.prefix + b"sheetData>"
    ending = closing + b"</" + parts.prefix + b"worksheet>"
    with archive.open(parts.sheet) as sheet:
        reading = _Reading(sheet, most)
        start = reading.find(b"<" + parts.prefix + b"sheetData>")
        if start < 0:  # no rows: the sheet as it is
            whole = reading.take(len(reading.buffer))
            yield workbook(whole, whole), 1.0
            return
        head = _DIMENSION.sub(b"", reading.take(start), count=1)
        if len(head) * SHARED_TIMES > size:
            raise TooLong(f"a head of {len(head):,} bytes before the sheet's rows")
        reading.most = most - held - len(head)  # a piece: the shared parts, the head, rows
        made = False
        while True:
            while len(reading.buffer) < size and reading.step():
                pass
            end = reading.buffer.find(closing)
            cut = reading.find(row_end, last=True) if end < 0 and not reading.ended else -1
            if cut < 0:  # the last rows (if damaged, calamine says how)
                rows = reading.take(end if end >= 0 else len(reading.buffer))
                if rows.strip() or not made:
                    yield workbook(rows, head, rows, ending), 1.0
                return
            rows = reading.take(cut)
            piece = workbook(rows, head, rows, ending)
            made = True
            yield piece, (reading.read - len(reading.buffer) - start) / max(total - start, 1)
