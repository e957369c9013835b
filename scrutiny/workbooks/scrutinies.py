"""The scrutiny workbook (WORKBOOKS.md §1): settings, success factors, source weights and the
partnership's agencies, areas and practitioner roles.

`scrutiny_to_workbook` writes it; `scrutiny_from_workbook` reads it, sheet by sheet (the settings
of sheet `scrutiny` in `scrutiny.workbooks.scrutiny_settings`), all or nothing.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from django.utils import translation
from openpyxl.workbook.workbook import Workbook

from scrutiny.models import Agency, Area, Partnership, PractitionerRole, Scrutiny, Source
from scrutiny.scrutinies import AgencyData, ScrutinyData, ScrutinySaveResult, scrutiny_save
from scrutiny.workbooks.opening import WorkbookFile, workbook_open
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import (
    FormulaCell,
    Sheet,
    cell_text,
    normal_name,
    number_from,
    sheet_find,
    sheet_read,
    value_at,
)
from scrutiny.workbooks.scrutiny_settings import COUNT_MOST, settings_read
from scrutiny.workbooks.writing import number_cell_value, sheet_write

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_CODE_ADVICE = (
    "use letters, numbers, hyphens and underscores only, starting with a letter or number"
)
_CODE_LENGTH = 20
_NAME_LENGTH = 200


# ---------------------------------------------------------------------------------------------
# Writing.


def _number(value: float | int | None) -> Any:
    return None if value is None else number_cell_value(Decimal(repr(value)))


def scrutiny_to_workbook(scrutiny: Scrutiny) -> Workbook:
    """A scrutiny with its partnership's lists as a workbook that imports back unchanged."""
    workbook = Workbook()
    sheet_write(
        workbook,
        title="scrutiny",
        header=("key", "value"),
        rows=[
            ("slug", scrutiny.slug),
            ("title", scrutiny.title),
            ("priority", scrutiny.priority),
            ("starts", scrutiny.starts),
            ("ends", scrutiny.ends),
            ("strong_threshold", _number(scrutiny.strong_threshold)),
            ("some_threshold", _number(scrutiny.some_threshold)),
            ("min_responses", scrutiny.min_responses),
            ("suppression_threshold", scrutiny.suppression_threshold),
        ],
        widths=(24, 60),
        first=True,
    )
    sheet_write(
        workbook,
        title="success_factors",
        header=("code", "statement"),
        rows=[(f.code, f.statement) for f in scrutiny.factors.order_by("code")],
        widths=(10, 90),
    )
    sheet_write(
        workbook,
        title="sources",
        header=("kind", "weight"),
        rows=[(kind, _number(w)) for kind, w in sorted(scrutiny.source_weights.items())],
        widths=(24, 10),
    )
    partnership_id = scrutiny.partnership_id
    sheet_write(
        workbook,
        title="agencies",
        header=("code", "name", "type", "workforce"),
        rows=[
            (a.code, a.name, a.type, a.workforce)
            for a in Agency.objects.filter(partnership_id=partnership_id).order_by("code")
        ],
        widths=(10, 50, 18, 12),
    )
    for title, model in (("areas", Area), ("roles", PractitionerRole)):
        sheet_write(
            workbook,
            title=title,
            header=("code", "name"),
            rows=model.objects.filter(partnership_id=partnership_id)
            .order_by("code")
            .values_list("code", "name"),
            widths=(10, 50),
        )
    return workbook


# ---------------------------------------------------------------------------------------------
# Reading.


def _table(
    workbook: Workbook,
    name: str,
    problems: Problems,
    *,
    required: tuple[str, ...],
    optional_sheet: bool,
) -> tuple[Sheet | None, list[tuple[int, dict[str, Any]]]]:
    """Rows of a list sheet as {column: value}; formulas are problems and the row is left out."""
    worksheet = sheet_find(workbook, name)
    if worksheet is None:
        if not optional_sheet:
            problems.add(
                name,
                None,
                "",
                f"the workbook has no sheet named {name}: add one with columns "
                + ", ".join(required),
            )
        return None, []
    sheet = sheet_read(worksheet, name=name, problems=problems, required=required)
    if sheet is None:
        return None, []
    rows: list[tuple[int, dict[str, Any]]] = []
    for row, values in sheet.rows():
        record: dict[str, Any] = {}
        ok = True
        for column, index in sheet.columns.items():
            value = value_at(values, index)
            if isinstance(value, FormulaCell):
                problems.add(name, row, sheet.column_at(index), value.message())
                ok = False
            record[column] = value
        if ok:
            rows.append((row, record))
    return sheet, rows


def _code_rows(
    workbook: Workbook,
    name: str,
    problems: Problems,
    *,
    second: str,
    optional_sheet: bool = True,
    code_length: int = _CODE_LENGTH,
) -> tuple[Sheet | None, list[tuple[int, str, str, dict[str, Any]]]]:
    """The sheet and (row, code, name-or-statement, record) of a code list; empty, bad and
    repeated codes are problems."""
    sheet, rows = _table(
        workbook, name, problems, required=("code", second), optional_sheet=optional_sheet
    )
    result: list[tuple[int, str, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row, record in rows:
        assert sheet is not None
        code = cell_text(record.get("code"))
        text = cell_text(record.get(second))
        if not code:
            problems.add(name, row, sheet.column("code"), "the code is empty")
        elif not _CODE.match(code) or len(code) > code_length:
            problems.add(
                name,
                row,
                sheet.column("code"),
                f"code {code!r}: {_CODE_ADVICE}, at most {code_length} characters",
            )
        elif code in seen:
            problems.add(
                name,
                row,
                sheet.column("code"),
                f"code {code} is also in row {seen[code]}; each code may appear once",
            )
        if not text:
            problems.add(name, row, sheet.column(second), f"the {second} is empty")
        elif second == "name" and len(text) > _NAME_LENGTH:
            problems.add(
                name,
                row,
                sheet.column(second),
                f"the name is longer than {_NAME_LENGTH} characters",
            )
        if code and code not in seen:
            seen[code] = row
        result.append((row, code, text, record))
    return sheet, result


def _agency_type(text: str) -> str | None:
    wanted = normal_name(text)
    if not wanted:
        return Agency.Type.OTHER
    # The workbook's words are English (WORKBOOKS.md §1) whatever language the reader has
    # active; the active language's label is read too.
    with translation.override("en"):
        english = dict(Agency.Type.choices)
    for value, label in Agency.Type.choices:
        if wanted in (value, normal_name(english[value]), normal_name(label)):
            return value
    return None


def scrutiny_from_workbook(file: WorkbookFile) -> ScrutinyData:
    """Read a scrutiny workbook (WORKBOOKS.md §1). Raises ApplicationError listing every error
    with its sheet, row and column."""
    problems = Problems()
    with workbook_open(file) as workbook:
        settings = settings_read(workbook, problems)
        _, factors = _code_rows(
            workbook, "success_factors", problems, second="statement", optional_sheet=False
        )
        weights = _weights_read(workbook, problems)
        agencies = _agencies_read(workbook, problems)
        _, area_rows = _code_rows(workbook, "areas", problems, second="name")
        _, role_rows = _code_rows(workbook, "roles", problems, second="name")
    problems.raise_if_any("The scrutiny workbook")
    assert settings is not None
    return ScrutinyData(
        settings=settings,
        factors=tuple((code, statement) for _, code, statement, _ in factors),
        source_weights=weights,
        agencies=tuple(agencies),
        areas=tuple((code, name) for _, code, name, _ in area_rows),
        roles=tuple((code, name) for _, code, name, _ in role_rows),
    )


def _weights_read(workbook: Workbook, problems: Problems) -> dict[str, float]:
    """Sheet `sources`: each kind of source once, with a weight above 0 (empty means 1)."""
    weights: dict[str, float] = {}
    sheet, rows = _table(workbook, "sources", problems, required=("kind",), optional_sheet=True)
    for row, record in rows:
        assert sheet is not None
        kind = normal_name(record.get("kind"))
        raw_weight = record.get("weight")
        weight, wrong = _weight_read(raw_weight)
        if kind not in Source.values:
            problems.add(
                "sources",
                row,
                sheet.column("kind"),
                f"kind {cell_text(record.get('kind'))!r} is not one of {', '.join(Source.values)}",
            )
        elif kind in weights:
            problems.add("sources", row, sheet.column("kind"), f"{kind} is given a weight twice")
        if wrong:
            problems.add(
                "sources", row, sheet.column("weight"), f"weight {cell_text(raw_weight)!r} {wrong}"
            )
        elif kind in Source.values:
            weights[kind] = weight
    return weights


def _weight_read(raw: Any) -> tuple[float, str]:
    """A source's weight (empty means 1), or what is wrong with it. A weight is a float: one
    too large for a float (1e400) would be infinite, and the scrutiny cannot keep it."""
    number = Decimal(1) if raw is None else number_from(raw)
    if number is None or not number > 0:
        return 0.0, "must be a number above 0 (empty means 1)"
    weight = float(number)
    if not 0 < weight < math.inf:
        size = "large" if weight else "small"
        return 0.0, f"is too {size} to weight a score by: give a number such as 0.5 or 2"
    return weight, ""


def _agencies_read(workbook: Workbook, problems: Problems) -> list[AgencyData]:
    """Sheet `agencies`: a code list whose rows also give a type and a workforce."""
    sheet, rows = _code_rows(workbook, "agencies", problems, second="name")
    return [
        _agency_read(sheet, row, code, name, record, problems) for row, code, name, record in rows
    ]


def _agency_read(
    sheet: Sheet | None,
    row: int,
    code: str,
    name: str,
    record: dict[str, Any],
    problems: Problems,
) -> AgencyData:
    type_text = cell_text(record.get("type"))
    agency_type = _agency_type(type_text)
    if agency_type is None:
        problems.add(
            "agencies",
            row,
            _column(sheet, "type"),
            f"type {type_text!r} is not one of "
            + ", ".join(label.lower() for _, label in Agency.Type.choices),
        )
    workforce, wrong = _workforce_read(record.get("workforce"))
    if wrong:
        problems.add(
            "agencies",
            row,
            _column(sheet, "workforce"),
            f"workforce {cell_text(record.get('workforce'))!r} {wrong}",
        )
    return AgencyData(code, name, agency_type or Agency.Type.OTHER, workforce)


def _workforce_read(raw: Any) -> tuple[int | None, str]:
    """An agency's workforce (None when empty), or what is wrong with it. The number is
    compared with COUNT_MOST before it is made an int, which for 1e300000 takes minutes."""
    if raw is None:
        return None, ""
    workforce = number_from(raw)
    if workforce is None or workforce < 0 or workforce != workforce.to_integral_value():
        return None, "must be a whole number of practitioners (or empty)"
    if workforce > COUNT_MOST:
        return None, f"is more practitioners than can be kept: at most {COUNT_MOST:,}"
    return int(workforce), ""


def _column(sheet: Sheet | None, name: str) -> str:
    return sheet.column(name) if sheet is not None and name in sheet.columns else ""


def scrutiny_import(*, partnership: Partnership, file: WorkbookFile) -> ScrutinySaveResult:
    """Create or update a scrutiny from a scrutiny workbook; the same workbook twice changes
    nothing."""
    return scrutiny_save(partnership=partnership, data=scrutiny_from_workbook(file))
