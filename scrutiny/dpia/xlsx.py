"""The DPIA document as an editable workbook (openpyxl): a sheet per section with its title,
its paragraphs, then each table under a bold caption and a bold, shaded header row; every cell
wraps its text, columns take the table's widths, and the blank cells the DPO completes are
shaded so they are easy to find (their column headers say what goes in them).

Takes a `DpiaDocument` and never queries. Every text is a string cell, never a formula
(`scrutiny.workbooks.writing`).
"""

from __future__ import annotations

from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scrutiny.dpia.document import DpiaDocument, Section, Table
from scrutiny.packs.words import long_date
from scrutiny.workbooks.writing import FORMULA_STARTS, clean_text

WRAP = Alignment(wrap_text=True, vertical="top")
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")
TO_COMPLETE_FILL = PatternFill("solid", fgColor="FFF7BF")
PARAGRAPH_WIDTH = 120  # characters across the sheet's first columns, for a paragraph's height
LINE_HEIGHT = 15  # points


def _text(sheet: Worksheet, row: int, column: int, value: str) -> Any:
    cell = sheet.cell(row=row, column=column)
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # never a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    cell.alignment = WRAP
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    name = title[:31]
    for char in "[]:*?/\\":
        name = name.replace(char, "-")
    while name in used:
        name = f"{name[:28]}~{len(used)}"
    used.add(name)
    return name


def _table(sheet: Worksheet, row: int, table: Table) -> int:
    _text(sheet, row, 1, table.caption).font = BOLD
    row += 1
    for column, name in enumerate(table.header, start=1):
        cell = _text(sheet, row, column, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for values in table.rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = _text(sheet, row, column, value)
            if not value:
                cell.fill = TO_COMPLETE_FILL
    return row + 2


def _widths(sheet: Worksheet, section: Section) -> int:
    """Each column as wide as the widest the section's tables ask for; returns the width of
    the columns a paragraph spans."""
    widths: dict[int, int] = {}
    for table in section.tables:
        for index, width in enumerate(table.widths, start=1):
            widths[index] = max(width, widths.get(index, 0))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sum(widths.values()) or PARAGRAPH_WIDTH


def _section(sheet: Worksheet, section: Section) -> None:
    across = _widths(sheet, section)
    columns = max((len(table.header) for table in section.tables), default=1)
    _text(sheet, 1, 1, section.title).font = TITLE
    row = 3
    for paragraph in section.paragraphs:
        _text(sheet, row, 1, paragraph)
        if columns > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        lines = len(paragraph) // max(across - 10, 20) + 1
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines
        row += 1
    row += 1 if section.paragraphs else 0
    for table in section.tables:
        row = _table(sheet, row, table)


def render_dpia_xlsx(document: DpiaDocument, *, out: IO[bytes]) -> None:
    with translation.override(document.language):
        _render(document, out)


def _render(document: DpiaDocument, out: IO[bytes]) -> None:
    workbook = Workbook()
    workbook.properties.title = document.title
    workbook.properties.creator = document.partnership
    workbook.properties.subject = gettext(
        "Record of processing and data protection impact assessment"
    )
    used: set[str] = set()
    for index, section in enumerate(document.sections):
        title = _sheet_title(section.title, used)
        if index == 0:
            sheet = workbook.active
            assert sheet is not None
            sheet.title = title
        else:
            sheet = workbook.create_sheet(title)
        _section(sheet, section)
    first = workbook.worksheets[0]
    _text(
        first,
        2,
        1,
        gettext("%(title)s. Written %(date)s.")
        % {"title": document.title, "date": long_date(document.written_on)},
    )
    workbook.save(out)
