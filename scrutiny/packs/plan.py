"""The delivery plan as a workbook, in the layout partnerships publish in their annual report:
columns Priority, Outcome, Action, Timescale, Responsible, Update, RAG, grouped by priority
(a bold row for each) under a line giving the colour key in words, each RAG cell filled with
its BRAG colour and always saying its word. An action's number comes before its words ("12. …"),
and each priority's "Measuring impact: …" and "Related work: …" lines follow its actions, so
that importing the workbook (`manage.py import_plan`) gives the same plan.

Written in the active language (`manage.py action_plan --language`): the sheet's name, title,
key, header, RAG words and the priority lines' labels. `also` (a plan in both languages) adds
the header again in that language in a second row. The import reads these words back in
every language (`scrutiny.plan.importing_read.export_words` takes them from here), so a plan
written in Welsh, or in both, imports as the same plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from scrutiny.plan.brag import brag_word, key_line
from scrutiny.plan.selectors import PlanRow
from scrutiny.workbooks.writing import clean_text

FILLS = {
    "blue": PatternFill("solid", fgColor="1D70B8"),
    "green": PatternFill("solid", fgColor="00703C"),
    "amber": PatternFill("solid", fgColor="FFBF47"),
    "red": PatternFill("solid", fgColor="D4351C"),
}
LIGHT_TEXT = {"blue", "green", "red"}
WRAP = Alignment(wrap_text=True, vertical="top")
# `scrutiny.plan.selectors.PLAN_COLUMNS` and its priority lines, in the active language.
COLUMNS = (
    gettext_lazy("Priority"),
    gettext_lazy("Outcome"),
    gettext_lazy("Action"),
    gettext_lazy("Timescale"),
    gettext_lazy("Responsible"),
    gettext_lazy("Update"),
    gettext_lazy("RAG"),
)
MEASURING_IMPACT = gettext_lazy("Measuring impact:")
RELATED_WORK = gettext_lazy("Related work:")


def plan_columns() -> list[str]:
    return [str(name) for name in COLUMNS]


def render_plan_xlsx(
    rows: list[PlanRow],
    *,
    title: str,
    key: Mapping[str, str],
    out: IO[bytes],
    also: str | None = None,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Delivery plan")
    sheet.append([clean_text(gettext("Delivery plan: %(title)s") % {"title": title})])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([clean_text(key_line(key))])
    sheet.append(plan_columns())
    if also:
        with translation.override(also):
            sheet.append(plan_columns())
    # The row number is counted here: openpyxl's max_row looks at every cell, each time.
    number = 4 if also else 3
    for header in range(3, number + 1):
        for cell in sheet[header]:
            cell.font = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0 or rows[index - 1].priority != row.priority:
            number = _text_row(sheet, number, row.priority, bold=True)
        number = _action_row(sheet, number, row)
        if index == len(rows) - 1 or rows[index + 1].priority != row.priority:
            # Under each priority, what the import reads back onto it (scrutiny.plan.importing).
            for label, text in (
                (MEASURING_IMPACT, row.measuring_impact),
                (RELATED_WORK, row.related_work),
            ):
                if text.strip():
                    number = _text_row(sheet, number, f"{label} {text.strip()}", bold=False)
    for letter, width in zip("ABCDEFG", (28, 36, 50, 14, 30, 50, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{5 if also else 4}"
    workbook.save(out)


def _text_row(sheet: Any, number: int, text: str, *, bold: bool) -> int:
    """A row of one cell (a priority's heading, or one of its lines); the next row's number."""
    sheet.append([clean_text(text)])
    number += 1
    cell = sheet.cell(row=number, column=1)
    cell.data_type = "s"  # a priority's words are text, never a formula
    if bold:
        cell.font = Font(bold=True)
    else:
        cell.alignment = WRAP
    return number


def _action_row(sheet: Any, number: int, row: PlanRow) -> int:
    values = [
        row.priority,
        row.outcome,
        row.action,
        row.timescale,
        row.responsible,
        row.update,
        brag_word(row.status),
    ]
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    number += 1
    for column in range(1, 8):
        cell = sheet.cell(row=number, column=column)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text stays text, never a formula
        cell.alignment = WRAP
    sheet.cell(row=number, column=4).number_format = "d mmm yyyy"
    rag = sheet.cell(row=number, column=7)
    rag.fill = FILLS[row.status]
    rag.font = Font(bold=True, color="FFFFFF" if row.status in LIGHT_TEXT else "0B0C0C")
    return number
