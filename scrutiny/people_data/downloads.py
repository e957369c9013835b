"""A subject access download: the same sections as JSON, or as a workbook of a sheet each."""

from __future__ import annotations

import io
import json
import re

from openpyxl import Workbook

from scrutiny.people_data.held import PersonalData
from scrutiny.workbooks.writing import clean_text

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def as_json(data: PersonalData) -> bytes:
    return json.dumps(data.as_data(), indent=2, ensure_ascii=False).encode()


def _cell(value: str) -> str:
    # What a worksheet cannot hold (a control character pasted from Word) is left out, and a
    # value a spreadsheet would run as a formula is written as text.
    value = clean_text(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def as_xlsx(data: PersonalData) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    about.append(["Held about", _cell(data.email)])
    about.append(["By", _cell(data.partnership)])
    for section in data.held:
        about.append([section.title, _cell(section.note)])
    for section in data.held:
        sheet = book.create_sheet(_SHEET_UNSAFE.sub(" ", section.title)[:31])
        columns = list(section.rows[0])
        sheet.append(columns)
        for row in section.rows:
            sheet.append([_cell(row.get(column, "")) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
