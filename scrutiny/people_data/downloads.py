"""A subject access download: the same sections as JSON, or as a workbook of a sheet each."""

from __future__ import annotations

import io
import json
import re

from openpyxl import Workbook

from scrutiny.people_data.held import PersonalData

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def as_json(data: PersonalData) -> bytes:
    return json.dumps(data.as_data(), indent=2, ensure_ascii=False).encode()


def _cell(value: str) -> str:
    # A value a spreadsheet would run as a formula is written as text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def as_xlsx(data: PersonalData) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    about.append(["Held about", data.email])
    about.append(["By", data.partnership])
    for section in data.held:
        about.append([section.title, section.note])
    for section in data.held:
        sheet = book.create_sheet(_SHEET_UNSAFE.sub(" ", section.title)[:31])
        columns = list(section.rows[0])
        sheet.append(columns)
        for row in section.rows:
            sheet.append([_cell(row.get(column, "")) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
