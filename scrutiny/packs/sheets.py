"""The pack's workbook written with XlsxWriter in constant-memory mode, fast enough for a million
answers: XlsxWriter makes the package (styles, column widths, the frozen header, the zip) and
each sheet's rows stream into the file it keeps for them, one row at a time, never gathered.

XlsxWriter's own cell calls cost about 3 µs a cell, and a pack of a million answers writes each
twice (in words and in codes), so `Rows.write` renders a row's XML in one go instead, the cells
as `scrutiny.workbooks.writing.sheet_write` makes them with openpyxl: every str a string cell,
cleaned of what a workbook cannot hold and with Excel's "quote prefix" where it could be taken
for a formula; a decimal as the number that reads back the same; a date or a time with its
number format; a bold header. Several sheets may be written at once (an instrument's responses
in words and in codes, row for row): each keeps its own file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from xlsxwriter import Workbook

from scrutiny.workbooks.writing import FORMULA_STARTS, clean_text, number_cell_value

MAX_TEXT = 32767  # the most characters a cell holds
_REMEMBERED = 4096  # how many short texts' cells a sheet keeps ready (options, names)
_SHORT = 80
# What XML text cannot hold as itself (a carriage return would read back as a line feed).
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_NOT_XML = str.maketrans({"\ufffe": None, "\uffff": None})


class PackWorkbook:
    """An .xlsx written into `out` as its sheets are; `close` finishes the file."""

    def __init__(self, out: IO[bytes]) -> None:
        self.book = Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        styles = {
            "bold": {"bold": True},
            "bold quoted": {"bold": True, "quote_prefix": True},
            "quoted": {"quote_prefix": True},
            "date": {"num_format": "yyyy-mm-dd"},
            "time": {"num_format": "yyyy-mm-dd hh:mm:ss"},
        }
        self.styles = {
            name: self.book.add_format(style)._get_xf_index() for name, style in styles.items()
        }

    def sheet(self, title: str, widths: Sequence[int] = ()) -> Rows:
        """A new sheet (after those already added), its header row frozen."""
        return Rows(self, title, widths)

    def close(self) -> None:
        self.book.close()


class Rows:
    """A sheet of the workbook being written, a row at a time."""

    def __init__(self, workbook: PackWorkbook, title: str, widths: Sequence[int]) -> None:
        self.sheet = workbook.book.add_worksheet(title)
        for index, width in enumerate(widths):
            # In pixels, 7 to a character: the file says `width` characters, as openpyxl's did.
            self.sheet.set_column_pixels(index, index, 7 * width)
        self.sheet.freeze_panes(1, 0)
        self.styles = workbook.styles
        self.written = 0
        self.columns = 0
        self.letters: list[str] = []
        self.texts: dict[str, str] = {}

    def write(self, row: Sequence[Any], *, bold: bool = False) -> None:
        """The next row: None and "" are empty cells."""
        self.written = number = self.written + 1
        if len(row) > len(self.letters):
            self.letters = [get_column_letter(i) for i in range(1, len(row) + 1)]
            self.columns = len(row)
        cell = self._header_cell if bold else self._cell
        cells = "".join(
            [
                f'<c r="{letter}{number}"{cell(value)}'
                for letter, value in zip(self.letters, row, strict=False)
                if value is not None and value != ""
            ]
        )
        self.sheet.fh.write(f'<row r="{number}">{cells}</row>')
        sheet = self.sheet
        if sheet.dim_rowmin is None:
            sheet.dim_rowmin, sheet.dim_colmin = 0, 0
        sheet.dim_rowmax = number - 1
        sheet.dim_colmax = max(self.columns - 1, 0)

    def _cell(self, value: Any) -> str:
        """A cell's XML after its reference."""
        if value.__class__ is str:
            tail = self.texts.get(value)
            if tail is None:
                tail = _text(value, self.styles["quoted"])
                if len(value) <= _SHORT and len(self.texts) < _REMEMBERED:
                    self.texts[value] = tail
            return tail
        return _value(value, self.styles)

    def _header_cell(self, value: Any) -> str:
        if isinstance(value, str):
            return _text(value, self.styles["bold quoted"], self.styles["bold"])
        return _value(value, self.styles)


def _text(value: str, quoted: int, plain: int = 0) -> str:
    text = clean_text(value).translate(_NOT_XML)[:MAX_TEXT]
    style = quoted if text.startswith(FORMULA_STARTS) else plain
    s = f' s="{style}"' if style else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{s} t="inlineStr"><is><t{space}>{text.translate(_XML)}</t></is></c>'


def _value(value: Any, styles: dict[str, int]) -> str:
    """A cell's XML after its reference, for anything but a plain str."""
    if isinstance(value, str):
        return _text(value, styles["quoted"])
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        number = number_cell_value(value)
        return _value(number, styles) if not isinstance(number, str) else _text(number, 0)
    if isinstance(value, int):
        return f"><v>{value}</v></c>"
    if isinstance(value, float):
        return f"><v>{value!r}</v></c>" if math.isfinite(value) else "></c>"
    if isinstance(value, dt.date):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise ValueError("write datetimes in local time without a time zone")
        timed = isinstance(value, dt.datetime) and value.time() != dt.time(0)
        style = styles["time" if timed else "date"]
        return f' s="{style}"><v>{to_excel(value):.16g}</v></c>'
    raise TypeError(f"A workbook cell cannot hold a {type(value).__name__}.")
