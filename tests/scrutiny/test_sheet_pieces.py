"""Issue 19, import memory flat in the rows: a big sheet is read by calamine a piece of whole rows
at a time (`scrutiny.workbooks.sheet_pieces`), and gives exactly what the sheet read whole gives
and what the careful reader (openpyxl) gives.

The pieces are made small here (a few rows each) so that a few hundred rows cross many of their
edges; the bench (`bench/import_responses.py`) reads a million answers at the real sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import xlsxwriter
from openpyxl import Workbook

from scrutiny.errors import ApplicationError
from scrutiny.workbooks import fast_sheet, sheet_pieces, xml_scan
from scrutiny.workbooks.fast_sheet import first_sheet_open
from scrutiny.workbooks.problems import Problems

SHEET = "xl/worksheets/sheet1.xml"


def _cells(rows: int) -> list[tuple[int, int, Any]]:
    """(row, column, value), 1-based: a header, then rows of texts, numbers and dates, column A
    empty until row 200 (so early pieces start at column B), and rows 50 to 59 empty."""
    cells: list[tuple[int, int, Any]] = [(1, c, h) for c, h in enumerate(["ref", "n", "when"], 2)]
    for row in range(2, rows + 2):
        if 50 <= row < 60:
            continue
        cells += [(row, 2, f"R{row} {'é' * (row % 5)}"), (row, 3, row * 1.5 if row % 3 else row)]
        cells.append((row, 4, dt.datetime(2024, 1, 1) + dt.timedelta(days=row % 400)))
        if row >= 200 and row % 7 == 0:
            cells.append((row, 1, f"left {row}"))
    return cells


def _openpyxl_file(rows: int) -> io.BytesIO:
    """Written by openpyxl: texts as inline strings."""
    workbook = Workbook()
    sheet = workbook.active
    for row, column, value in _cells(rows):
        sheet.cell(row=row, column=column, value=value)
        if isinstance(value, dt.datetime):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
    workbook.create_sheet("notes").append(["a second sheet, not read"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _xlsxwriter_file(rows: int) -> io.BytesIO:
    """Written by XlsxWriter as Excel writes: texts in the shared strings, a dimension."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("responses")
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for row, column, value in _cells(rows):
        if isinstance(value, dt.datetime):
            sheet.write_datetime(row - 1, column - 1, value, dates)
        else:
            sheet.write(row - 1, column - 1, value)
    workbook.add_worksheet("notes").write(0, 0, "a second sheet, not read")
    workbook.close()
    out.seek(0)
    return out


WRITERS = {"openpyxl": _openpyxl_file, "xlsxwriter": _xlsxwriter_file}


@pytest.fixture(name="small_pieces")
def small_pieces_fixture(monkeypatch):
    monkeypatch.setattr(sheet_pieces, "PIECE_MIN", 700)
    monkeypatch.setattr(sheet_pieces, "SHARED_TIMES", 0)
    monkeypatch.setattr(sheet_pieces, "_STEP", 300)


Read = tuple[list[str], list[tuple[int, list[Any]]], int | None, int, int]


def _read(file: io.BytesIO) -> Read:
    """The header, the rows, the rows declared, how many pieces calamine was given, and the
    bytes of the biggest."""
    given: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Iterator[tuple[io.BytesIO, float]]:
        for piece in sheet_pieces.pieces(*args, **kwargs):
            given.append(piece[0].getbuffer().nbytes)
            yield piece

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast_sheet, "pieces", counted)
        with first_sheet_open(file, Problems()) as sheet:
            assert sheet is not None
            rows = list(sheet.rows())
            # Rows can be read again (an upload's preview reads the first, then all).
            assert list(sheet.rows()) == rows
            read = sheet.headers, rows, sheet.declared_rows, len(given), max(given, default=0)
    file.seek(0)
    return read


def _scanned(file: io.BytesIO) -> dict[str, bytes | bool]:
    scan = xml_scan.scan(file)
    assert scan is not None
    return scan


def _in_pieces(file: io.BytesIO) -> int:
    """How many pieces the first sheet is read in (0: read whole)."""
    scan = _scanned(file)
    with zipfile.ZipFile(file) as archive:
        plan = fast_sheet._pieces_plan(archive, scan)
        count = (
            0 if plan is None else sum(1 for _ in sheet_pieces.pieces(archive, *plan, most=10**9))
        )
    file.seek(0)
    return count


def _rewritten(file: io.BytesIO, change, part: str = SHEET) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    out.seek(0)
    return out


@pytest.mark.parametrize("writer", WRITERS)
def test_pieces_give_what_the_whole_sheet_and_openpyxl_give(writer, monkeypatch):
    file = WRITERS[writer](400)
    whole = _read(file)
    assert _in_pieces(file) == 0
    with monkeypatch.context() as patch:
        patch.setattr(xml_scan, "scan", lambda handle: None)
        careful = _read(file)
    monkeypatch.setattr(sheet_pieces, "PIECE_MIN", 700)
    monkeypatch.setattr(sheet_pieces, "SHARED_TIMES", 0)
    monkeypatch.setattr(sheet_pieces, "_STEP", 300)
    assert _in_pieces(file) > 20
    pieces = _read(file)
    assert pieces[:2] == whole[:2] == careful[:2]
    assert whole[3] == careful[3] == 0 and pieces[3] > 40  # the header's piece, then twice all
    headers, rows, declared, _, _ = pieces
    assert headers == ["", "ref", "n", "when"]
    assert len(rows) == 390 and rows[0][0] == 2 and rows[-1][0] == 401
    assert [number for number, _ in rows if 45 <= number <= 62] == [45, 46, 47, 48, 49, 60, 61, 62]
    assert rows[-1][1] == [None, "R401 é", 601.5, dt.datetime(2024, 1, 2)]
    assert dict(rows)[203] == ["left 203", "R203 ééé", 304.5, dt.datetime(2024, 7, 22)]
    assert dict(rows)[204] == [None, "R204 éééé", 204, dt.datetime(2024, 7, 23)]
    # The progress bar's rows, estimated from the first piece's bytes, are near the 401 written.
    assert declared is not None and 300 <= declared <= 520


def test_the_pieces_are_the_sheet_cut_after_whole_rows(small_pieces):
    """Each piece is the head, whole rows of the sheet in order, and the end tags; the rows of
    all the pieces are the sheet's own, byte for byte, and each piece is about its size."""
    file = _openpyxl_file(300)
    with zipfile.ZipFile(file) as archive:
        xml = archive.read(SHEET)
        plan = fast_sheet._pieces_plan(archive, _scanned(file))
        assert plan is not None
        parts, size, strings = plan
        assert parts.strings is None and strings is None  # openpyxl writes texts in the sheet
        sheets = []
        for piece, read in sheet_pieces.pieces(archive, parts, size, most=10**9):
            with zipfile.ZipFile(piece) as made:
                assert sorted(made.namelist()) == sorted([*parts.shared, parts.sheet])
                sheets.append((made.read(parts.sheet), read))
    head = xml[: xml.index(b"<sheetData>") + len(b"<sheetData>")]
    assert b"<dimension " in head
    head = re.sub(rb"<dimension [^>]*>", b"", head)  # calamine would size each piece by it
    end = b"</sheetData></worksheet>"
    rows = b""
    for sheet, read in sheets:
        assert sheet.startswith(head) and sheet.endswith(end)
        body = sheet[len(head) : -len(end)]
        assert body.startswith(b"<row ") and body.endswith(b"</row>")
        assert len(body) < size + sheet_pieces._STEP  # its size, and what the last step read
        rows += body
        assert 0 < read <= 1
    assert rows == xml[xml.index(b"<sheetData>") + 11 : xml.index(b"</sheetData>")]
    assert [read for _, read in sheets] == sorted(read for _, read in sheets)
    assert sheets[-1][1] > 0.99


def test_an_excel_workbook_keeps_its_shared_strings_and_loses_its_dimension(small_pieces):
    file = _xlsxwriter_file(200)
    with zipfile.ZipFile(file) as archive:
        parts = sheet_pieces.first_sheet_parts(archive)
        assert parts is not None
        assert parts.strings == "xl/sharedStrings.xml" and "xl/styles.xml" in parts.shared
        assert parts.sheet == SHEET and b"<dimension" in archive.read(SHEET)
        whole = sheet_pieces.strings_whole(parts)
        assert whole.shared == (*parts.shared, "xl/sharedStrings.xml") and whole.strings is None
        piece, _ = next(sheet_pieces.pieces(archive, whole, 700, most=10**9))
        with zipfile.ZipFile(piece) as made:
            assert b"<dimension" not in made.read(SHEET)
            assert made.read("xl/sharedStrings.xml") == archive.read("xl/sharedStrings.xml")


def test_a_first_sheet_found_by_an_absolute_target_under_another_name(small_pieces):
    file = _openpyxl_file(300)
    expected = _read(file)[:2]
    moved = io.BytesIO()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(moved, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb'Target="[^"]*sheet1.xml"', b'Target="/xl/data/first.xml"', data)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/data/first.xml")
            name = "xl/data/first.xml" if info.filename == SHEET else info.filename
            dst.writestr(name, data)
    moved.seek(0)
    with zipfile.ZipFile(moved) as archive:
        parts = sheet_pieces.first_sheet_parts(archive)
        assert parts is not None and parts.sheet == "xl/data/first.xml"
    assert _in_pieces(moved) > 10
    assert _read(moved)[:2] == expected


def test_a_worksheet_with_a_namespace_prefix_is_cut_at_its_own_tags(small_pieces):
    file = _openpyxl_file(300)
    expected = _read(file)[:2]

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]+)([\s/>])", rb"<\1x:\2\3", xml)
        return xml.replace(b'xmlns="', b'xmlns:x="', 1)

    file = _rewritten(file, prefixed)
    assert b"<x:row " in zipfile.ZipFile(file).read(SHEET)
    assert _scanned(file)[SHEET] == b"x:"
    assert _in_pieces(file) > 10
    assert _read(file)[:2] == expected


def test_rows_without_numbers_are_read_whole(small_pieces):
    """Calamine numbers a row without `r` after the row before, which a piece cannot know: such a
    sheet is read whole, and reads as openpyxl reads it."""
    file = _rewritten(_openpyxl_file(300), lambda xml: xml.replace(b'<row r="120">', b"<row>"))
    assert _scanned(file)[SHEET] is False
    assert _in_pieces(file) == 0
    _, rows, _, given, _ = _read(file)
    assert given == 0
    assert dict(rows)[120][1] == "R120"
    assert rows == _read(_openpyxl_file(300))[1]


@pytest.mark.parametrize("chunk", [256, 257, 300, 333, 4096])
def test_the_scan_counts_rows_across_its_chunks_exactly(chunk, monkeypatch):
    """The scan reads a part in chunks: a row's tag cut by a chunk's edge is counted once, so a
    sheet whose rows all have numbers is never taken for one that has a row without."""
    monkeypatch.setattr(xml_scan, "_CHUNK", chunk)
    file = _openpyxl_file(120)
    assert _scanned(file)[SHEET] == b""
    for row in (2, 61, 97, 121):
        tag = f'<row r="{row}">'.encode()
        one = _rewritten(file, lambda xml, tag=tag: xml.replace(tag, b"<row>"))
        assert _scanned(one)[SHEET] is False
        spans = _rewritten(file, lambda xml, tag=tag: xml.replace(tag, tag[:-1] + b' spans="1:4">'))
        assert _scanned(spans)[SHEET] == b""
    breaks = _rewritten(
        file, lambda xml: xml.replace(b"</worksheet>", b'<rowBreaks count="0"/></worksheet>')
    )
    assert _scanned(breaks)[SHEET] == b""


def test_rows_out_of_order_across_pieces_are_refused_with_the_rows_named(small_pieces):
    def moved(xml: bytes) -> bytes:
        found = re.search(rb'<row r="5">.*?</row>', xml)
        assert found is not None
        row = found.group()
        return xml.replace(row, b"").replace(b"</sheetData>", row + b"</sheetData>")

    file = _rewritten(_openpyxl_file(300), moved)
    with pytest.raises(ApplicationError, match=r"Sheet Sheet could not be read: .*row 5 comes af"):
        _read(file)


def test_a_piece_never_holds_more_than_calamine_may(small_pieces, monkeypatch):
    """A piece holds whole rows, the head and the shared parts, in FAST_MAX_UNPACKED bytes: a row
    too long for that is read by the careful reader, from that row on, and a head too long
    sends the whole sheet there."""
    monkeypatch.setattr(fast_sheet, "FAST_MAX_UNPACKED", 9_000)
    careful = _careful_read(_openpyxl_file(300))
    _, rows, _, given, biggest = _read(_openpyxl_file(300))
    assert rows == careful and given > 10 and biggest <= 9_000
    cell = b'<c r="E200" t="inlineStr"><is><t>' + b"long " * 2_000 + b"</t></is></c>"
    file = _rewritten(
        _openpyxl_file(300),
        lambda xml: re.sub(rb'(<row r="200">.*?)(</row>)', rb"\1" + cell + rb"\2", xml),
    )
    original = zipfile.ZipFile(_openpyxl_file(300)).read(SHEET)
    assert len(zipfile.ZipFile(file).read(SHEET)) > len(original) + 9_000
    _, rows, _, given, biggest = _read(file)
    assert rows == _careful_read(file) and given > 5 and biggest <= 9_000
    assert dict(rows)[200][4] == ("long " * 2_000).strip()
    headed = _rewritten(
        _openpyxl_file(300),
        lambda xml: xml.replace(
            b"<sheetData>", b"<cols>" + b'<col min="1" max="1"/>' * 600 + b"</cols><sheetData>"
        ),
    )
    with first_sheet_open(headed, Problems()) as sheet:
        assert sheet is not None and not isinstance(sheet, fast_sheet.CalamineRows)
        assert len(list(sheet.rows())) == 290


def _careful_read(file: io.BytesIO) -> list[tuple[int, list[Any]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_scan, "scan", lambda handle: None)
        return _read(file)[1]


def test_a_piece_calamine_cannot_read_is_read_by_the_careful_reader(small_pieces):
    """Calamine reads a sheet's first piece before any row is given; should it fail on a later
    one (a cell of a type it does not know, which openpyxl reads), the careful reader reads the
    rows after the last one given, as it would have read the whole sheet."""
    file = _rewritten(
        _openpyxl_file(300),
        lambda xml: re.sub(rb'<c r="C240" t="n">', b'<c r="C240" t="zz">', xml),
    )
    _, rows, _, given, _ = _read(file)
    assert given > 10
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xml_scan, "scan", lambda handle: None)
        assert rows == _read(file)[1]
    assert dict(rows)[240][2] == "240" and dict(rows)[241][2] == 361.5


def test_what_follows_the_rows_is_not_read(small_pieces, monkeypatch):
    """The sheet's tail (merged cells, links) is not read: however long, it is never held."""
    monkeypatch.setattr(fast_sheet, "FAST_MAX_UNPACKED", 9_000)
    links = b"<hyperlinks>" + b'<hyperlink ref="A1" display="a link"/>' * 2_000 + b"</hyperlinks>"
    file = _rewritten(
        _openpyxl_file(300), lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + links)
    )
    _, rows, _, given, _ = _read(file)
    assert given > 10 and len(rows) == 290


def test_shared_parts_too_big_to_go_with_each_piece_are_not_cut(monkeypatch):
    """A piece, the shared parts that go with it and a step of reading fit in FAST_MAX_UNPACKED,
    or the sheet is not cut (and is read whole, or by the careful reader when it is too big)."""
    file = _openpyxl_file(300)
    monkeypatch.setattr(sheet_pieces, "PIECE_MIN", 100)
    with zipfile.ZipFile(file) as archive:
        parts = sheet_pieces.first_sheet_parts(archive)
        assert parts is not None
        shared = sum(archive.getinfo(name).file_size for name in parts.shared)
        size = sheet_pieces.SHARED_TIMES * shared
        assert archive.getinfo(SHEET).file_size > size
        room = shared + size + sheet_pieces._STEP
        assert sheet_pieces.piece_size(archive, parts, most=room) == size
        assert sheet_pieces.piece_size(archive, parts, most=room - 1) is None
        # A piece bigger than PIECE_MAX would cost more than the sheet read whole.
        monkeypatch.setattr(sheet_pieces, "PIECE_MAX", size)
        assert sheet_pieces.piece_size(archive, parts, most=room) == size
        monkeypatch.setattr(sheet_pieces, "PIECE_MAX", size - 1)
        assert sheet_pieces.piece_size(archive, parts, most=room) is None


@pytest.mark.parametrize("chunk", range(256, 420, 23))
def test_a_long_namespace_prefix_is_found_across_the_chunks(chunk, monkeypatch):
    """The scan keeps the end of each chunk for the next, longer than the longest tag sought."""
    monkeypatch.setattr(xml_scan, "_CHUNK", chunk)
    prefix = b"p" * 70

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]+)([\s/>])", rb"<\1" + prefix + rb":\2\3", xml)
        return xml.replace(b'xmlns="', b"xmlns:" + prefix + b'="', 1)

    file = _rewritten(_openpyxl_file(40), prefixed)
    assert _scanned(file)[SHEET] == prefix + b":"
    for row in (3, 17, 29):
        tag = b"<" + prefix + f':row r="{row}">'.encode()
        bare = b"<" + prefix + b":row>"
        one = _rewritten(file, lambda xml, tag=tag, bare=bare: xml.replace(tag, bare))
        assert _scanned(one)[SHEET] is False
        formula = b"<" + prefix + b":f>1+1</" + prefix + b":f>"
        cell = b"<" + prefix + f':c r="B{row}"'.encode()
        with_formula = _rewritten(file, lambda xml, c=cell, f=formula: xml.replace(c, f + c, 1))
        assert xml_scan.scan(with_formula) is None


def test_calamine_opens_pieces_or_a_whole_workbook_small_enough_to_hold(small_pieces, monkeypatch):
    """Calamine reads a workbook's shared strings as it opens it: a sheet read in pieces is
    never opened whole (each piece has its own strings), and a workbook too big to hold is
    never given to calamine at all (the careful reader reads it)."""
    opened: list[int] = []
    real = fast_sheet.CalamineWorkbook

    class Counting:
        @staticmethod
        def from_filelike(file: Any) -> Any:
            opened.append(len(file.getbuffer()) if isinstance(file, io.BytesIO) else -1)
            file.seek(0)
            return real.from_filelike(file)

    monkeypatch.setattr(fast_sheet, "CalamineWorkbook", Counting)
    file = _xlsxwriter_file(300)
    whole = len(file.getbuffer())
    rows = _read(file)[1]
    assert len(opened) > 10 and whole not in opened
    assert rows == _careful_read(file)
    opened.clear()
    unnumbered = _rewritten(file, lambda xml: xml.replace(b'<row r="120"', b"<row", 1))
    assert _read(unnumbered)[1] == rows and opened == [len(unnumbered.getbuffer())]
    opened.clear()
    monkeypatch.setattr(fast_sheet, "FAST_MAX_UNPACKED", 20_000)
    assert _read(unnumbered)[1] == rows and opened == []


class PanicException(BaseException):
    """As pyo3 raises a panic in calamine's Rust: a BaseException, so no `except Exception`."""


@pytest.mark.parametrize("when", ["opening", "a later piece"])
def test_a_panic_in_calamine_goes_to_the_careful_reader(when, small_pieces, monkeypatch):
    file = _xlsxwriter_file(300)
    expected = _careful_read(file)
    real = fast_sheet.CalamineWorkbook
    opened: list[int] = []

    class Panicking:
        @staticmethod
        def from_filelike(handle: Any) -> Any:
            opened.append(1)
            if when == "opening" or len(opened) > 5:
                raise PanicException("capacity overflow")
            return real.from_filelike(handle)

    monkeypatch.setattr(fast_sheet, "CalamineWorkbook", Panicking)
    assert _read(file)[1] == expected and len(opened) >= (1 if when == "opening" else 6)
    # Anything else that is no Exception still ends the read, as Ctrl-C must.
    monkeypatch.setattr(fast_sheet, "panicked", lambda error: False)
    with pytest.raises(PanicException):
        _read(file)
