"""A subject access download: the same sections as JSON, or as a workbook of a sheet each."""

from __future__ import annotations

import io
import json
import re

from openpyxl import Workbook

from scrutiny.people_data.held import PersonalData
from scrutiny.workbooks.writing import sheet_write

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def as_json(data: PersonalData) -> bytes:
    return json.dumps(data.as_data(), indent=2, ensure_ascii=False).encode()


def as_xlsx(data: PersonalData) -> bytes:
    """Each section a sheet, written as every workbook of the platform is
    (`workbooks.writing.sheet_write`): what a worksheet cannot hold (a control character pasted
    from Word) left out, and text a spreadsheet would run as a formula kept as text, unchanged."""
    book = Workbook()
    sheet_write(
        book,
        title="About",
        header=["Held about", data.email],
        rows=[["By", data.partnership], *([s.title, s.note] for s in data.held)],
        first=True,
    )
    for section in data.held:
        columns = list(section.rows[0])
        sheet_write(
            book,
            title=_SHEET_UNSAFE.sub(" ", section.title)[:31],
            header=columns,
            rows=([row.get(column, "") for column in columns] for row in section.rows),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
