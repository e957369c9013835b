"""A streaming scan of an .xlsx's XML: what calamine must not be given goes to the careful reader.

python-calamine neither refuses what openpyxl refuses through defusedxml nor shows a formula as
a formula, so before it reads a workbook (`fast_sheet`) every part it may read as XML is read
once, in chunks: every part named .xml or .rels, in any case, and every part the workbook's
relationships name, whatever its name (calamine reads a sheet wherever they say it is). The file
goes to the careful reader, whose refusals and messages are the ones people know, when a part:

- holds `<!`: a DOCTYPE, an entity, a comment or CDATA, none of which Excel writes;
- has no root element after its declaration (and processing instructions) in its first chunk;
- holds a `uniqueCount` that is not a count of at most a fifth of the part's bytes, written
  plainly (each shared string takes at least `<si/>`): calamine makes room for that many
  strings before reading one, and a false hundred billion ends the process, which no Python
  can catch;
- is a worksheet holding a formula (`<f>`) or an attribute valued "e" (an error cell, t="e");
- holds a run of whitespace long enough to be padding (`opening.MAX_WHITESPACE_RUN`).

The scan also counts each worksheet's rows without a number (`r`), which `sheet_pieces` cannot
place.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import IO

from scrutiny.workbooks.opening import MAX_WHITESPACE_RUN
from scrutiny.workbooks.sheet_pieces import (
    DECLARATION,
    PREFIX,
    relationships,
    relationships_part,
)

_CHUNK = 1024 * 1024
# Whitespace is sampled every _SAMPLE bytes: a run longer than MAX_WHITESPACE_RUN holds at least
# _SAMPLE + 1 whitespace bytes from a sample on, in one chunk (the check below).
_SAMPLE = 8192
assert MAX_WHITESPACE_RUN >= 4 * _SAMPLE - 1
_WHITESPACE = b" \t\r\n"
_WHITESPACE_WINDOW = re.compile(rb"[ \t\r\n]{%d}" % (_SAMPLE + 1))
# Processing instructions, each to its first "?>" (no two ways to read them: no backtracking).
_ROOT = re.compile(
    rb"(?:\s*<\?(?:[^?]|\?(?!>))*\?>)*\s*<(?:(" + PREFIX + rb"):)?(" + PREFIX + rb")[\s/>]"
)
_TAG_END = b" \t\r\n/>"
# The end of each chunk kept for the next: longer than any tag sought, and than a uniqueCount
# written plainly, value and all.
_OVERLAP = 128
_COUNT = b"uniqueCount"
_COUNT_WRITTEN = re.compile(rb"""uniqueCount\s*=\s*(?:"([0-9]{1,12})"|'([0-9]{1,12})')""")
_STRING_BYTES = 5  # the fewest bytes a shared string takes: <si/>
# The kinds of the workbook's relationships calamine reads as XML.
_READ = (
    "/worksheet",
    "/chartsheet",
    "/dialogsheet",
    "/xlMacrosheet",
    "/xlIntlMacrosheet",
    "/sharedStrings",
    "/styles",
)


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


def _largest_count(text: bytes, begin: int, end: int) -> int | None:
    """The largest `uniqueCount` beginning in text[begin:end] (0 for none); None for one not
    written plainly."""
    largest = 0
    at = text.find(_COUNT, begin)
    while 0 <= at < end:
        written = _COUNT_WRITTEN.match(text, at, at + _OVERLAP)
        if written is None:
            return None
        largest = max(largest, int(written.group(1) or written.group(2)))
        at = text.find(_COUNT, at + 1)
    return largest


def _root(chunk: bytes) -> bytes | None:
    """The namespace prefix, with its colon, of a worksheet's root element (b"" for none); b"-"
    for another part's; None when the first chunk has no root element after the declaration."""
    declaration = DECLARATION.match(chunk)
    root = _ROOT.match(chunk, declaration.end() if declaration else 0)
    if root is None:
        return None
    if root.group(2) != b"worksheet":
        return b"-"
    return root.group(1) + b":" if root.group(1) else b""


def _part_plain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | bool | None:
    """None when one XML part holds something that needs the careful reader; for a worksheet,
    its namespace prefix with its colon (b"" for none) when every row has a number, else False;
    True for another part."""
    prefix: bytes | None = None  # once the part is known to be a worksheet
    tail, offset, unnumbered, counted, largest = b"", 0, 0, 0, 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            if offset == 0:
                root = _root(chunk)
                if root is None:
                    return None
                prefix = None if root == b"-" else root
            text = tail + chunk
            if b"<!" in text or _whitespace_run(chunk, offset):
                return None
            end = max(counted, len(text) - _OVERLAP)  # a count near the end: with the next
            count = _largest_count(text, counted, end)
            if count is None:
                return None
            largest = max(largest, count)
            if prefix is not None:
                if _formula_or_error(text, b"<" + prefix + b"f"):
                    return None
                row = b"<" + prefix + b"row"
                unnumbered += _unnumbered_rows(text, len(tail), row)
            tail = text[-(_OVERLAP + len(prefix or b"")) :]  # a tag cut by the chunk's edge
            counted = end - (len(text) - len(tail))
            offset += len(chunk)
    count = _largest_count(tail, counted, len(tail))
    # Against the bytes read, not the size the zip declares (which zipfile does not check).
    if count is None or max(largest, count) > offset // _STRING_BYTES + 1:
        return None
    if prefix is None:
        return True
    return prefix if not unnumbered else False


def _calamine_reads(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The parts calamine may read as XML (the module's docstring says which). Calamine finds
    the workbook part at xl/workbook.xml, and its sheets and strings where the relationships
    of that part say they are (names compared in any case, as calamine compares them)."""
    books = {"xl/workbook.xml"}
    if _named(archive, "_rels/.rels") is not None:
        books.update(
            target
            for _, kind, target in relationships(archive, "", lookup=_named)
            if kind.endswith("/officeDocument")
        )
    named: set[str] = set()
    for book in books:
        if _named(archive, relationships_part(book)) is not None:
            related = relationships(archive, book, lookup=_named)
            named.update(target.lower() for _, kind, target in related if kind.endswith(_READ))
    return [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith((".xml", ".rels"))
        or posixpath.normpath(info.filename).lower() in named
    ]


def _named(archive: zipfile.ZipFile, name: str) -> str | None:
    """The name in the zip of a part, in whatever case it is written there."""
    sought = name.lower()
    return next((n for n in archive.namelist() if n.lower() == sought), None)


def scan(handle: IO[bytes]) -> dict[str, bytes | bool] | None:
    """None when the file needs the careful reader; else each XML part's `_part_plain`."""
    try:
        with zipfile.ZipFile(handle) as archive:
            found: dict[str, bytes | bool] = {}
            for info in _calamine_reads(archive):
                plain = _part_plain(archive, info)
                if plain is None:
                    return None
                found[info.filename] = plain
            return found
    except Exception:  # damaged in any way: a bad stream, a password, a method unknown
        return None  # the careful reader says what is wrong
    finally:
        handle.seek(0)
