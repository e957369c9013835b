"""A workbook's shared strings given to each piece of its sheet in part: only those its rows use.

Excel, LibreOffice and Google Sheets write each different text once, in the shared strings part,
and a cell holds its number there (`<c t="s"><v>12</v></c>`). A workbook with a comment in
every row has as many shared strings as rows, and each piece of its sheet (`sheet_pieces`) would
make calamine read them all again and hold them all: the memory of reading the sheet whole.

So each piece gets a shared strings part of its own: the strings its rows' values may number, in
their places, and an empty `<si/>` in the place of each one before them that they do not use (a
cell's number is its string's place in the list). Any whole number between `<v>` and `</v>` in
the rows is taken for a string's number: a number cell's value only adds a string calamine does
not use. A value written with an entity (`&#49;`), which no program writes, gets every string.

Memory is then the strings' XML held once (a few bytes a string more than the texts) and, a
piece at a time, its rows' strings and an empty one for each unused place before them. The cost
is making each piece's part and calamine reading the empty places again with each piece: for a
million answers with 150,000 different texts, 3.4 million empty places in 42 pieces, and the
sheet read in 1.9 s against 1.3 s whole, in 36 MB against 112 MB (bench/RESULTS.md). A date's
value (45,000 for 2023) makes the places before it empty in the pieces that hold it.
"""

from __future__ import annotations

import re
from array import array

from scrutiny.workbooks.sheet_pieces import DECLARATION, PREFIX

_ROOT = re.compile(rb"\s*<(?:(" + PREFIX + rb"):)?sst[\s>]")
_ANY_STRING = re.compile(rb"<(?:" + PREFIX + rb":)?si[\s/>]")
_DIGITS = re.compile(rb"[0-9]+")
_NOT_DIGITS = re.compile(rb"[^0-9]+")
_LARGEST = 2**64  # calamine reads a string's number as a 64-bit usize


class SharedStrings:
    """The shared strings part's XML and where each of its strings (`<si>`) begins."""

    def __init__(self, xml: bytes, starts: array[int], prefixes: tuple[bytes, bytes]) -> None:
        """`prefixes`: the namespace prefixes, with their colons, of the strings and the sheet."""
        own, sheet = prefixes
        self.xml = xml
        self.empty = b"<" + own + b"si/>"
        self.starts = starts  # the last is where the strings end (`</sst>`)
        self.head = xml[: starts[0]]
        self.tail = xml[starts[-1] :]
        self.sheet = sheet
        prefix = re.escape(sheet)
        self.values = re.compile(rb"<" + prefix + rb"v>([^<]*)</" + prefix + rb"v>")

    @classmethod
    def read(cls, xml: bytes, sheet_prefix: bytes) -> SharedStrings | None:
        """None when the part is not laid out as the three programs lay it out (it then goes
        whole with each piece, or the sheet is read whole): the root `<sst>` after the
        declaration, then the strings, each `<si>...</si>` or `<si/>` with the root's prefix,
        and no processing instruction (the scan has refused comments and CDATA, in which a
        `<si>` could hide)."""
        start = DECLARATION.match(xml)
        root = _ROOT.match(xml, start.end() if start else 0)
        if root is None or xml.find(b"<?", root.start()) >= 0:
            return None
        raw = root.group(1) + b":" if root.group(1) else b""
        prefix = re.escape(raw)
        # 4 bytes a place: the part is at most FAST_MAX_UNPACKED (`sheet_pieces.piece_size`).
        begun = re.compile(rb"<" + prefix + rb"si[\s/>]").finditer(xml, root.end())
        starts = array("I", (m.start() for m in begun))
        end = xml.rfind(b"</" + raw + b"sst>")
        closed = len(re.findall(rb"</" + prefix + rb"si>|<" + prefix + rb"si\s*/>", xml))
        every = len(_ANY_STRING.findall(xml, root.end()))  # calamine counts any prefix's
        if not starts or end < starts[-1] or not closed == every == len(starts):
            return None
        starts.append(end)
        return cls(xml, starts, (raw, sheet_prefix))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def for_rows(self, rows: bytes) -> bytes:
        """The shared strings part for a piece of these rows."""
        used = self._numbers(rows)
        if used is None:
            return self.xml
        xml, starts, count = self.xml, self.starts, len(self)
        made, following = [self.head], 0
        for number in sorted(used):
            if number >= count:
                break
            if number > following:
                made.append(self.empty * (number - following))
            made.append(xml[starts[number] : starts[number + 1]])
            following = number + 1
        made.append(self.tail)
        return b"".join(made)

    def _written_otherwise(self, rows: bytes, found: int) -> bool:
        """Whether the rows hold a value element the pattern did not find: with attributes,
        empty, with another prefix, or an end tag written otherwise. (So may an element whose
        name begins with v, or a ":v" in an inline text: then every string is given.)"""
        sheet = self.sheet
        if rows.count(b"<" + sheet + b"v") != found:
            return True
        if rows.count(b":v") != (2 * found if sheet else 0):
            return True
        return bool(sheet) and b"<v" in rows

    def _numbers(self, rows: bytes) -> set[int] | None:
        """Each string's number the rows' values may give calamine; None for every string (a
        value written with an entity, or an element calamine reads that the pattern misses)."""
        values = self.values.findall(rows)
        if self._written_otherwise(rows, len(values)):
            return None
        distinct = set(values)
        if b"".join(distinct).isdigit() and b"" not in distinct:  # as programs write them
            used = set(map(int, distinct))
            if max(used) < _LARGEST:
                return used
        used = set()
        for value in distinct:
            if b"&" in value:
                return None
            if _DIGITS.fullmatch(value):
                number = int(value)
                used.add(number if number < _LARGEST else 0)
                continue
            # Calamine reads what is not all digits as string 0; the digits in it are taken
            # too, should a later calamine read a sign or spaces around a number.
            used.add(0)
            digits = _NOT_DIGITS.sub(b"", value)
            if digits:
                used.add(int(digits))
        return used
