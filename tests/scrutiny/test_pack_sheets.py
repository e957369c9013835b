"""The pack's workbook writer (scrutiny/packs/sheets.py, XlsxWriter) makes the cells the
workbooks' openpyxl writer (`scrutiny.workbooks.writing.sheet_write`) makes: read back, the same
values, number formats, bold header, quote prefixes, column widths and frozen header."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from scrutiny.packs.sheets import PackWorkbook
from scrutiny.workbooks.writing import sheet_write

HEADER = ["Response", "=SUM(A1)", " spaced ", "Datum"]
ROWS = [
    [1, "plain", "  leading and trailing  ", dt.date(2026, 3, 4)],
    [2, '=HYPERLINK("http://x")', "+44 1234", dt.datetime(2026, 3, 4, 10, 30)],
    [3, "a\x00b\x1fc", "line\nbreak\r\nand\ttab", dt.datetime(2026, 3, 4)],
    [Decimal("12.500"), Decimal("0.1"), Decimal("123456789012345678901234"), ""],
    [None, "-1", "@mention", "<b>&amp;</b> \"quoted\" 'single'"],
    [4.25, True, "Cymraeg: ŵ ŷ â — ✓ 😀", "_x0041_"],
    ["x" * 40000, "", None, 7],
]
WIDTHS = [10, 8, 24, 50]


def _cells(data: bytes) -> list[list[tuple[object, ...]]]:
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    return [
        [
            (c.value, c.number_format, bool(c.font.bold), bool(c.quotePrefix), kind)
            for c in row
            for kind in [c.data_type if c.value is not None else None]
        ]
        for row in sheet.iter_rows()
    ]


def _layout(data: bytes) -> tuple[object, ...]:
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    return sheet.freeze_panes, widths, sheet.max_row, sheet.max_column


@pytest.fixture
def both() -> tuple[bytes, bytes]:
    old = Workbook(write_only=True)
    sheet_write(old, title="Sheet", header=HEADER, rows=ROWS, widths=WIDTHS)
    first = io.BytesIO()
    old.save(first)
    second = io.BytesIO()
    new = PackWorkbook(second)
    rows = new.sheet("Sheet", WIDTHS)
    rows.write(HEADER, bold=True)
    for row in ROWS:
        rows.write(row)
    new.close()
    return first.getvalue(), second.getvalue()


def test_the_cells_read_back_as_the_openpyxl_writer_makes_them(both):
    old, new = _cells(both[0]), _cells(both[1])
    assert len(old) == len(new) == len(ROWS) + 1
    for row_old, row_new in zip(old, new, strict=True):
        assert row_new == row_old
    assert new[0][1] == ("=SUM(A1)", "General", True, True, "s")  # text, never a formula
    assert new[2][1][0] == '=HYPERLINK("http://x")' and new[2][1][3]
    assert new[3][1][0] == "abc"  # what a workbook cannot hold is left out
    assert new[3][2][0] == "line\nbreak\r\nand\ttab"
    assert new[1][3][:2] == (dt.datetime(2026, 3, 4), "yyyy-mm-dd")
    assert new[2][3][:2] == (dt.datetime(2026, 3, 4, 10, 30), "yyyy-mm-dd hh:mm:ss")
    assert [cell[0] for cell in new[4][:3]] == [12.5, 0.1, "123456789012345678901234"]
    assert len(new[7][0][0]) == 32767


def test_the_layout_is_the_openpyxl_writers(both):
    assert _layout(both[1]) == _layout(both[0]) == ("A2", [10, 8, 24, 50], 8, 4)


def test_two_sheets_written_row_for_row_keep_their_own_rows():
    out = io.BytesIO()
    book = PackWorkbook(out)
    words, codes = book.sheet("Words"), book.sheet("Codes")
    for n in range(1, 2001):
        words.write([n, f"word {n}"])
        codes.write([n, f"code {n}", n * 2])
    book.close()
    read = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert read.sheetnames == ["Words", "Codes"]
    assert list(read["Words"].iter_rows(values_only=True))[1999] == (2000, "word 2000")
    assert list(read["Codes"].iter_rows(values_only=True))[-1] == (2000, "code 2000", 4000)
