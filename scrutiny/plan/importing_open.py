"""Opening a delivery plan workbook (`scrutiny.workbooks.opening`: size, zip bomb and XML
entities checked; formulas refused with the cell named) and finding its header row: the first
sheet with a row, among its first HEADER_WITHIN, that heads the plan's columns. The rows under
it are read by `importing_read.PlanReader`."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from scrutiny.errors import ApplicationError
from scrutiny.plan.importing_read import (
    COLUMNS,
    HEADER_WITHIN,
    PlanRead,
    PlanReader,
    header_columns,
    missing_columns,
    text_of,
)
from scrutiny.workbooks.opening import unreadable, workbook_open
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import _cell_value

HEADER_ADVICE = (
    "the delivery plan needs a header row with the columns Priority, Outcome, Action, "
    "Timescale, a responsible column (its header starting Group or Responsible), Update and "
    "RAG, above its actions"
)


def _sheet_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for every row, values read as `scrutiny.workbooks.reading` reads
    them (text stripped, a formula or an error cell as a FormulaCell)."""
    # A wrong size written into the sheet would make read_only drop rows: read what is there.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    try:
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            yield number, [_cell_value(cell) for cell in cells]
    except (ParseError, ValueError, zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise unreadable(f"Sheet {worksheet.title}", exc) from None


def _header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    """The header row among the first rows: the first that heads a Priority and an Action
    column (its other columns are checked by the caller)."""
    for number, values in rows:
        if number > HEADER_WITHIN:
            return None
        found = header_columns(values)
        if "priority" in found and "action" in found:
            return number, values
    return None


def plan_read(*, file: Path | IO[bytes], key: Mapping[str, str]) -> PlanRead:
    """The plan's priorities and actions as the workbook gives them (`key`: the partnership's
    words for each status, which its RAG cells may use), or an ApplicationError listing every
    problem with its sheet, row and column."""
    problems = Problems()
    with workbook_open(file) as workbook:
        for worksheet in workbook.worksheets:
            rows = _sheet_rows(worksheet)
            found = _header(rows)
            if found is None:
                continue
            number, values = found
            columns = header_columns(values)
            missing = missing_columns(columns)
            if missing:
                problems.add(
                    worksheet.title,
                    number,
                    "",
                    f"the header has no column {', '.join(missing)}: {HEADER_ADVICE}",
                )
                problems.raise_if_any("The delivery plan")
            reader = PlanReader(
                sheet=worksheet.title,
                headers=[text_of(v) for v in values],
                columns={kind: columns[kind] for kind in COLUMNS},
                key=key,
                problems=problems,
            )
            plan = reader.read(rows)
            if not plan.actions and not problems:
                problems.add(worksheet.title, None, "", "there are no actions under the header")
            problems.raise_if_any("The delivery plan")
            return plan
    raise ApplicationError(
        f"No sheet of the workbook has the delivery plan's header in its first {HEADER_WITHIN} "
        f"rows: {HEADER_ADVICE}. Nothing was imported."
    )
