"""The trail's export, as CSV or as a workbook, streamed from the filtered entries.

Text that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, a tab or a
carriage return) is written as text: in the workbook as a string cell
(scrutiny.workbooks.writing), in the CSV with a leading apostrophe (`writing.csv_text`), the
usual guard, since a CSV has no cell types.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook

from scrutiny.trail.selectors import EXPORT_HEADER
from scrutiny.workbooks.writing import csv_text, sheet_write

WIDTHS = (20, 30, 20, 34, 16, 10, 40, 60, 40)


class _Line:
    """A file-like that hands back what csv.writer writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return csv_text("" if value is None else str(value))


def trail_csv(rows: Iterable[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(EXPORT_HEADER)
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def trail_xlsx(rows: Iterable[list[object]]) -> IO[bytes]:
    """The workbook in a temporary file (rows streamed into a write-only workbook), rewound."""
    workbook = Workbook(write_only=True)
    sheet_write(workbook, title="Audit trail", header=EXPORT_HEADER, rows=rows, widths=WIDTHS)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    workbook.save(file)
    file.seek(0)
    return file
