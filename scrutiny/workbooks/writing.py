"""Writing workbooks safely: text stays text, whatever it starts with.

openpyxl writes a str that starts with `=` as a formula, and one that reads like `#N/A` as an
error cell. A comment typed by a practitioner must never become a formula in the board's copy
of a spreadsheet, so every str is written as a string cell (data_type "s"): Excel, LibreOffice and
Google Sheets show it as the text it is and never evaluate it.

Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return also gets Excel's
"quote prefix" style: the value is unchanged (so a round trip gives back exactly what was
exported), but if someone edits the cell in Excel it stays text instead of turning into a
formula. We do not add a leading apostrophe to the value itself: that would change the text,
and the workbook round trip must preserve it exactly. (Copying the cells into a CSV is outside
what these workbooks promise; a CSV consumer must do its own escaping.)

A CSV has no cell types, so every text a CSV export writes goes through `csv_text`: the usual
guard, an apostrophe before text a spreadsheet would run as a formula. An import reads a CSV
cell back through `csv_text_read`, which takes exactly that apostrophe off again, so a CSV
export imports back as exactly as a workbook does (a text that itself starts with an
apostrophe before such text gets one more, so the two are each other's inverse).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


# A number written as text ("-1", "+2.5"): a spreadsheet reads it as the number it is, and
# analysts' tools need it bare (an option coded -1 for "Don't know").
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")


def _guarded(text: str) -> bool:
    """Whether `csv_text` puts an apostrophe before the text: when, its apostrophes aside, it
    starts as a formula does, unless it is a plain number with no apostrophe before it."""
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not (bare == text and _NUMBER.fullmatch(bare))


def csv_text(text: str) -> str:
    """A text as a CSV cell: with an apostrophe before it when a spreadsheet opening the file
    would run it as a formula (Excel evaluates `=`, `+`, `-` and `@` even in a CSV), a plain
    number such as -1 aside."""
    return f"'{text}" if _guarded(text) else text


def csv_text_read(text: str) -> str:
    """A CSV cell as the text `csv_text` was given: its guarding apostrophe taken off. So is one
    before a plain number, as exports before numbers were left bare wrote them ('-1): no
    text `csv_text` writes now is one."""
    rest = text[1:]
    signed_number = rest.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(rest)
    if text.startswith("'") and (_guarded(rest) or signed_number):
        return rest
    return text


def clean_text(value: str) -> str:
    """Text as a worksheet can hold it: control characters other than tab and line breaks
    cannot be stored in an .xlsx at all, so they are left out."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def number_cell_value(value: Decimal | float | int) -> int | float | str:
    """A number as a workbook cell that reads back as the same number.

    Excel holds numbers as doubles; a decimal with more digits than a double keeps is written as
    text, so that nothing is lost on the way back.
    """
    if isinstance(value, Decimal):
        normal = value.normalize()
        if normal == normal.to_integral_value() and abs(normal) < 2**53:
            return int(normal)
        as_float = float(normal)
        if Decimal(repr(as_float)) == normal:
            return as_float
        return format(normal, "f")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _set(cell: Any, value: Any) -> Any:
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # never a formula, never an error cell
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, Decimal):
        _set(cell, number_cell_value(value))
    else:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise ValueError("write datetimes in local time without a time zone")
        cell.value = value
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    return cell


def sheet_write(
    workbook: Workbook,
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    first: bool = False,
) -> None:
    """Add a sheet: a bold header row, then the rows, every str as a string cell.

    Works on a normal and on a write-only workbook (large exports stream their rows).
    """
    if getattr(workbook, "write_only", False):
        worksheet = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        head = []
        for name in header:
            cell = _set(WriteOnlyCell(worksheet), name)
            cell.font = BOLD
            head.append(cell)
        worksheet.append(head)
        for row in rows:
            worksheet.append([_set(WriteOnlyCell(worksheet), v) for v in row])
        return
    if first:
        worksheet = workbook.active
        worksheet.title = title
    else:
        worksheet = workbook.create_sheet(title)
    for column, name in enumerate(header, start=1):
        _set(worksheet.cell(row=1, column=column), name).font = BOLD
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            _set(worksheet.cell(row=row_number, column=column), value)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
