"""Reading workbooks safely: refusing what is not an .xlsx or too big, sheets, headers and cells.

Every workbook is opened with `load_workbook(read_only=True, data_only=False)`:

- read_only streams rows, so memory does not grow with the workbook;
- openpyxl parses the XML with defusedxml when it is installed (it is a dependency), so entity
  expansion ("billion laughs") and external entities are refused;
- openpyxl never evaluates formulas. We read with data_only=False so that a formula shows as
  a formula and is refused with the cell named: with data_only=True a formula would silently
  give the value Excel last cached for it, or nothing at all for a workbook written by a program
  that does not calculate, and evidence must be the values a person sees and means.

Errors are collected (`Problems`) so that one import reports every error it finds, each with
its sheet, row and column, and raised together as one ApplicationError.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from scrutiny.errors import ApplicationError

WorkbookFile = str | Path | IO[bytes]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# An .xlsx is a zip of XML. Ten to one is usual for sheets; far more is a zip bomb. The sizes a
# zip declares bound what is read: zipfile stops at the declared size and checks the CRC.
MAX_UNCOMPRESSED_RATIO = 20
MAX_ERRORS_LISTED = 50

_XLSX_ADVICE = "In Excel use File → Save As → Excel Workbook (.xlsx), then import that file."


def workbook_max_bytes() -> int:
    return int(getattr(settings, "WORKBOOK_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# ---------------------------------------------------------------------------------------------
# Problems: every error of one import, each with its place.


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str  # e.g. "D (type)", or "" when the error is about a whole row or sheet
    message: str

    def __str__(self) -> str:
        place = f"sheet {self.sheet}"
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column}"
        return f"{place}: {self.message}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        # Count them all; keep only as many as a person reads (and memory stays flat).
        self.count += 1
        if len(self.items) < MAX_ERRORS_LISTED:
            self.items.append(Problem(sheet, row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0

    def raise_if_any(self, what: str) -> None:
        if not self.count:
            return
        lines = [f"- {p}" for p in self.items]
        if self.count > len(self.items):
            lines.append(f"- and {self.count - len(self.items)} more")
        s = "" if self.count == 1 else "s"
        raise ApplicationError(
            f"{what} has {self.count} error{s}; nothing was imported. "
            "Correct the workbook and import it again.\n" + "\n".join(lines),
            extra={
                "errors": [str(p) for p in self.items],
                "error_count": self.count,
                "problems": [
                    {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                    for p in self.items
                ],
            },
        )


# ---------------------------------------------------------------------------------------------
# Opening a workbook.


def _source_bytes_head(file: WorkbookFile) -> tuple[IO[bytes], int, bool]:
    """An open binary file at offset 0, its size, and whether we opened it (and must close)."""
    if isinstance(file, str | Path):
        path = Path(file)
        if not path.is_file():
            raise ApplicationError(f"There is no file {path}: check the name and the folder.")
        return path.open("rb"), path.stat().st_size, True
    size = getattr(file, "size", None)
    if hasattr(file, "seek") and (not hasattr(file, "seekable") or file.seekable()):
        if size is None:
            file.seek(0, io.SEEK_END)
            size = file.tell()
        file.seek(0)
        return file, int(size), False
    # A stream we cannot rewind: read it, but never more than the limit allows.
    data = file.read(workbook_max_bytes() + 1)
    return io.BytesIO(data), len(data), True


def _refuse_if_not_xlsx(handle: IO[bytes], size: int) -> None:
    limit = workbook_max_bytes()
    if size > limit:
        raise ApplicationError(
            f"The file is {_megabytes(size)}; the largest workbook this installation accepts is "
            f"{_megabytes(limit)} (setting WORKBOOK_MAX_BYTES). Split it into smaller workbooks "
            "and import each."
        )
    head = handle.read(8)
    handle.seek(0)
    if not head:
        raise ApplicationError("The file is empty. " + _XLSX_ADVICE)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            "This is an Excel 97-2003 workbook (.xls) or a password-protected workbook, which "
            "cannot be read. Remove any password, then "
            + _XLSX_ADVICE[0].lower()
            + _XLSX_ADVICE[1:]
        )
    if not head.startswith(b"PK\x03\x04"):
        raise ApplicationError(
            "The file is not an Excel workbook (.xlsx); a CSV or text file cannot be imported "
            "here. " + _XLSX_ADVICE
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ApplicationError(
            "The file is damaged or not an Excel workbook (.xlsx). " + _XLSX_ADVICE
        ) from None
    finally:
        handle.seek(0)
    if "[Content_Types].xml" not in names:
        hint = " (it looks like an OpenDocument spreadsheet)" if "mimetype" in names else ""
        raise ApplicationError(f"The file is not an Excel workbook (.xlsx){hint}. " + _XLSX_ADVICE)
    if uncompressed > limit * MAX_UNCOMPRESSED_RATIO:
        raise ApplicationError(
            f"The workbook unpacks to {_megabytes(uncompressed)}, more than this installation "
            f"reads ({_megabytes(limit * MAX_UNCOMPRESSED_RATIO)}). Split it into smaller "
            "workbooks and import each."
        )


def _unreadable(what: str, exc: BaseException) -> ApplicationError:
    """The error for a file that cannot be parsed; XML refused for safety says so."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return ApplicationError(
                f"{what} could not be read: it holds XML that is refused for safety "
                f"({seen.__class__.__name__}), which Excel never writes. " + _XLSX_ADVICE
            )
        seen = seen.__cause__ or seen.__context__
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return ApplicationError(
        f"{what} could not be read: it is damaged or not a workbook as Excel writes it "
        f"({exc.__class__.__name__}{': ' + detail if detail else ''}). " + _XLSX_ADVICE
    )


@contextmanager
def workbook_open(file: WorkbookFile) -> Iterator[Workbook]:
    """Open an .xlsx to read, refusing anything else with a message saying what to do."""
    handle, size, owned = _source_bytes_head(file)
    try:
        _refuse_if_not_xlsx(handle, size)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _unreadable("The workbook", exc) from None
        try:
            yield workbook
        finally:
            workbook.close()
    finally:
        if owned:
            handle.close()


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
        if not value.is_finite():
            return str(value)
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
    """A cell as a number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.replace(",", "").strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


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
            raise _unreadable(f"Sheet {self.name}", exc) from None


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
        raise _unreadable(f"Sheet {name}", exc) from None
    headers = [cell_text(_cell_value(c)) if not _is_formula(c) else "" for c in header_cells]
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
    return Sheet(name, worksheet, columns, headers, declared_rows)


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
