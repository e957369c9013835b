"""Reading a workbook's sheets and cells: a header row, then rows of values by column name.

Cells are read as the values a person sees: strings stripped, numbers and dates as they are,
and a formula or an error cell (#N/A) as a `FormulaCell`, refused with the cell named. Opening
the file safely is `scrutiny.workbooks.opening`; the errors of an import are gathered in
`scrutiny.workbooks.problems.Problems`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, Overflow
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from scrutiny.workbooks.opening import unreadable
from scrutiny.workbooks.problems import Problems

# ---------------------------------------------------------------------------------------------
# Cells.


class FormulaCell:
    """Marks a cell that holds a formula (refused) or shows an error such as #N/A."""

    def __init__(self, text: str, *, error: bool = False) -> None:
        self.text = text
        self.error = error

    def message(self) -> str:
        if self.error:
            return f"the cell shows the error {self.text}; type the value it should hold instead"
        return (
            f"the cell holds a formula ({self.text}); formulas are not read. Put the value "
            "itself in the cell (in Excel: Copy, then Paste Special → Values)"
        )


def _cell_value(cell: Any) -> Any:
    data_type = getattr(cell, "data_type", "n")
    value = cell.value
    if data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        text = value.text if isinstance(value, ArrayFormula) else str(value)
        if isinstance(value, DataTableFormula):
            text = "a data table"
        return FormulaCell(text or "a formula")
    if data_type == "e":
        return FormulaCell(str(value), error=True)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def number_text(value: int | float | Decimal) -> str:
    """A number as text, the way a person writes it: 4 and 4.0 give "4", 0.1 gives "0.1"."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        if not _within_arithmetic(value):
            return str(value)  # as written, e.g. 1E+1000000
        text = format(value.normalize(), "f")
        return text
    return str(value)


def cell_text(value: Any) -> str:
    """Any cell value as the text it stands for (empty for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | Decimal):
        return number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def number_from(value: Any) -> Decimal | None:
    """A cell as a number, or None when it is not one. Infinity is not a number, and nor is a
    number beyond what decimal arithmetic can work with, such as 1e1000000 (see
    `number_beyond`)."""
    number = _decimal_written(value)
    return number if number is not None and _within_arithmetic(number) else None


def number_beyond(value: Any) -> bool:
    """Whether a cell is written as a number that decimal arithmetic cannot work with, such as
    1e1000000: it looks like a number, but is not one to count or compare with."""
    number = _decimal_written(value)
    return number is not None and number.is_finite() and not _within_arithmetic(number)


def _decimal_written(value: Any) -> Decimal | None:
    """A cell as the Decimal it is written as (Infinity included), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "").strip())
        except InvalidOperation:
            return None
    return None


# Far inside decimal arithmetic's exponents (±999,999 by default), with room for rounding.
_EXPONENT_SURELY_WITHIN = 10_000


def _within_arithmetic(number: Decimal) -> bool:
    """Whether a number is finite and within the exponents decimal arithmetic works with:
    reading 1e1000000 is exact, but rounding or normalising it overflows."""
    if not number.is_finite():
        return False
    if -_EXPONENT_SURELY_WITHIN < number.adjusted() < _EXPONENT_SURELY_WITHIN:
        return True  # every cell a person writes: normalising a million of them took seconds
    try:
        number.normalize()
    except Overflow:
        return False
    return True


def date_from(value: Any) -> dt.date | None:
    """A cell as a date: an Excel date, YYYY-MM-DD or DD/MM/YYYY (the UK order). None if not."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# Sheets: a header row, then rows of values by column name.


def normal_name(value: Any) -> str:
    """A header or key as compared: case-insensitive, spaces and hyphens as underscores."""
    return "_".join(cell_text(value).strip().lower().replace("-", " ").split())


@dataclass
class Sheet:
    """One sheet read as a table: the header maps column names to positions."""

    name: str
    worksheet: Any
    columns: dict[str, int]  # normal name → 0-based index
    headers: list[str]  # as written, by index
    declared_rows: int | None

    def column(self, name: str) -> str:
        """How messages name a column: its letter and header, e.g. "D (type)"."""
        index = self.columns[name]
        return self.column_at(index)

    def column_at(self, index: int) -> str:
        return f"{get_column_letter(index + 1)} ({self.headers[index]})"

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) for every row under the header that is not empty.

        Values are cleaned: strings stripped (empty ones None), formulas and error cells as
        FormulaCell. Reading errors of a damaged or hostile file become an ApplicationError.
        """
        try:
            for number, cells in enumerate(self.worksheet.iter_rows(min_row=2), start=2):
                values = [_cell_value(c) for c in cells]
                if any(v is not None for v in values):
                    yield number, values
        except (ParseError, ValueError, zipfile.BadZipFile, KeyError, EOFError) as exc:
            # defusedxml's refusals (entities, external references) are ValueErrors.
            raise unreadable(f"Sheet {self.name}", exc) from None


def sheet_find(workbook: Workbook, name: str) -> Any | None:
    """A worksheet by name, case-insensitive (extra sheets are ignored)."""
    for worksheet in workbook.worksheets:
        if worksheet.title.strip().lower() == name.lower():
            return worksheet
    return None


def sheet_read(
    worksheet: Any,
    *,
    name: str,
    problems: Problems,
    required: tuple[str, ...] = (),
) -> Sheet | None:
    """Read a sheet's header (row 1). Missing required columns and repeated names are problems.

    Returns None when the header cannot be used (the problems say why).
    """
    declared_rows = None
    try:
        declared_rows = worksheet.max_row
    except Exception:  # a missing or odd dimension only costs the progress bar
        declared_rows = None
    # Some programs write a wrong size into the sheet; read_only would believe it and
    # silently drop rows or columns. Forget it and read what is there.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    header_cells: tuple[Any, ...] = ()
    try:
        for cells in worksheet.iter_rows(min_row=1, max_row=1):
            header_cells = cells
            break
    except (ParseError, ValueError, zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise unreadable(f"Sheet {name}", exc) from None
    headers = [cell_text(_cell_value(c)) if not _is_formula(c) else "" for c in header_cells]
    columns = header_columns(headers, name=name, problems=problems, required=required)
    if columns is None:
        return None
    return Sheet(name, worksheet, columns, headers, declared_rows)


def header_columns(
    headers: list[str], *, name: str, problems: Problems, required: tuple[str, ...] = ()
) -> dict[str, int] | None:
    """A header row's columns by normal name; None (with the problems noted) when it is empty,
    names a column twice or lacks a required one."""
    columns: dict[str, int] = {}
    ok = True
    for index, header in enumerate(headers):
        key = normal_name(header)
        if not key:
            continue
        if key in columns:
            first = get_column_letter(columns[key] + 1)
            problems.add(
                name,
                1,
                f"{get_column_letter(index + 1)} ({header})",
                f"the column {header!r} is also column {first}; each column name may appear once",
            )
            ok = False
            continue
        columns[key] = index
    if not any(headers):
        problems.add(
            name,
            1,
            "",
            "row 1 must be the header (the column names), but it is empty"
            + (f"; the columns are {', '.join(required)}" if required else ""),
        )
        return None
    missing = [c for c in required if c not in columns]
    if missing:
        s = "" if len(missing) == 1 else "s"
        problems.add(
            name,
            1,
            "",
            f"the header has no column{s} {', '.join(missing)}: add {'it' if s == '' else 'them'} "
            f"to row 1 (the columns are {', '.join(required)} and any others you like)",
        )
        ok = False
    if not ok:
        return None
    return columns


def _is_formula(cell: Any) -> bool:
    return isinstance(_cell_value(cell), FormulaCell)


def value_at(values: list[Any], index: int | None) -> Any:
    if index is None or index >= len(values):
        return None
    return values[index]


def key_values_read(
    workbook: Workbook, *, sheet_name: str, keys: tuple[str, ...], problems: Problems
) -> dict[str, tuple[Any, int, Sheet]] | None:
    """A `key`/`value` sheet as {key: (value, row, sheet)}; unknown or repeated keys are problems.

    None when the sheet is missing or its header unusable (noted as a problem)."""
    worksheet = sheet_find(workbook, sheet_name)
    if worksheet is None:
        problems.add(
            sheet_name,
            None,
            "",
            f"the workbook has no sheet named {sheet_name}: add one with columns key and value",
        )
        return None
    sheet = sheet_read(worksheet, name=sheet_name, problems=problems, required=("key", "value"))
    if sheet is None:
        return None
    found: dict[str, tuple[Any, int, Sheet]] = {}
    for row, values in sheet.rows():
        raw_key = value_at(values, sheet.columns["key"])
        if isinstance(raw_key, FormulaCell):
            problems.add(sheet_name, row, sheet.column("key"), raw_key.message())
            continue
        key = normal_name(raw_key)
        if not key:
            problems.add(sheet_name, row, sheet.column("key"), "the key is empty")
            continue
        if key not in keys:
            problems.add(
                sheet_name,
                row,
                sheet.column("key"),
                f"{cell_text(raw_key)!r} is not a key of this sheet; use {', '.join(keys)}",
            )
            continue
        if key in found:
            problems.add(
                sheet_name,
                row,
                sheet.column("key"),
                f"the key {key} is also in row {found[key][1]}; give it once",
            )
            continue
        value = value_at(values, sheet.columns["value"])
        if isinstance(value, FormulaCell):
            problems.add(sheet_name, row, sheet.column("value"), value.message())
            continue
        found[key] = (value, row, sheet)
    return found
