"""The instrument workbook (WORKBOOKS.md §2): sheets settings, questions and options."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.workbook.workbook import Workbook

from scrutiny.instruments import (
    ConfigError,
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    SaveResult,
    definition_errors,
    instrument_save,
    parse_factors,
)
from scrutiny.models import Option, OptionList, Question, Scrutiny, Section, Source
from scrutiny.workbooks.opening import WorkbookFile, workbook_open
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import (
    FormulaCell,
    Sheet,
    cell_text,
    key_values_read,
    normal_name,
    number_from,
    number_text,
    sheet_find,
    sheet_read,
    value_at,
)
from scrutiny.workbooks.writing import sheet_write

SETTINGS_KEYS = ("code", "title", "kind")
QUESTION_COLUMNS = (
    "section",
    "code",
    "type",
    "text",
    "options",
    "required",
    "factors",
    "help",
    "show_if",
)
QUESTION_REQUIRED = ("section", "code", "type", "text")
OPTION_COLUMNS = ("list", "value", "label", "points")
OPTION_REQUIRED = ("list", "value")

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}

# Longest text each field can hold (the model's max_length).
_LIMITS = {
    "code": Question._meta.get_field("code").max_length,
    "section": Section._meta.get_field("title").max_length,
    "show_if": Question._meta.get_field("show_if").max_length,
    "list": OptionList._meta.get_field("name").max_length,
    "value": Option._meta.get_field("value").max_length,
    "label": Option._meta.get_field("label").max_length,
}


# ---------------------------------------------------------------------------------------------
# Writing.


def factors_text(factors: tuple[FactorRef, ...]) -> str:
    """`SF1; SF3:2`: a weight of 1 is left out."""
    return "; ".join(
        ref.code if ref.weight == 1 else f"{ref.code}:{number_text(ref.weight)}" for ref in factors
    )


def _points_cell(points: float | None) -> int | float | None:
    if points is None:
        return None
    return int(points) if float(points).is_integer() else points


def instrument_to_workbook(definition: InstrumentDefinition) -> Workbook:
    """An instrument as a workbook (WORKBOOKS.md §2) that `instrument_from_workbook` reads back
    as the same definition."""
    workbook = Workbook()
    sheet_write(
        workbook,
        title="settings",
        header=("key", "value"),
        rows=[("code", definition.code), ("title", definition.title), ("kind", definition.kind)],
        widths=(12, 60),
        first=True,
    )
    sheet_write(
        workbook,
        title="questions",
        header=QUESTION_COLUMNS,
        rows=[
            (
                q.section,
                q.code,
                q.type,
                q.text,
                q.options,
                "yes" if q.required else "no",
                factors_text(q.factors),
                q.help,
                q.show_if,
            )
            for q in definition.questions
        ],
        widths=(28, 10, 10, 60, 14, 10, 16, 40, 20),
    )
    sheet_write(
        workbook,
        title="options",
        header=OPTION_COLUMNS,
        rows=[
            (name, o.value, o.label, _points_cell(o.points))
            for name, options in definition.option_lists.items()
            for o in options
        ],
        widths=(16, 14, 40, 8),
    )
    return workbook


# ---------------------------------------------------------------------------------------------
# Reading.


def _text(
    sheet: Sheet,
    values: list[Any],
    name: str,
    row: int,
    problems: Problems,
    *,
    limit: int | None = None,
) -> str | None:
    """The text of a cell by column name; None (after noting the problem) for a formula. A text
    longer than the limit (if any) is noted too."""
    value = value_at(values, sheet.columns.get(name))
    if isinstance(value, FormulaCell):
        problems.add(sheet.name, row, sheet.column(name), value.message())
        return None
    text = cell_text(value)
    if limit and len(text) > limit:
        problems.add(
            sheet.name,
            row,
            sheet.column(name),
            f"the {name} is {len(text)} characters long; at most {limit} fit",
        )
    return text


def _texts(
    sheet: Sheet, values: list[Any], names: Iterable[str], row: int, problems: Problems
) -> dict[str, str] | None:
    """The texts of a row's cells by column name, for the named columns the sheet has; None
    when any is a formula (each noted)."""
    texts = {
        name: _text(sheet, values, name, row, problems, limit=_LIMITS.get(name))
        for name in names
        if name in sheet.columns
    }
    found = {name: text for name, text in texts.items() if text is not None}
    return found if len(found) == len(texts) else None


def _settings_read(workbook: Workbook, problems: Problems) -> tuple[str, str, str]:
    found = key_values_read(workbook, sheet_name="settings", keys=SETTINGS_KEYS, problems=problems)
    result: dict[str, str] = {}
    if found is None:
        return "", "", ""
    for key in SETTINGS_KEYS:
        value, row, sheet = found.get(key, (None, None, None))
        text = cell_text(value)
        if key == "kind":
            text = normal_name(text)
        result[key] = text
        if sheet is None:
            problems.add(
                "settings",
                None,
                "",
                f"there is no row with key {key}: add one"
                + (f" (its value one of {', '.join(Source.values)})" if key == "kind" else ""),
            )
            continue
        column = sheet.column("value")
        if not text:
            problems.add("settings", row, column, f"the {key} is empty")
        elif key == "kind" and text not in Source.values:
            problems.add(
                "settings",
                row,
                column,
                f"kind {cell_text(value)!r} is not one of {', '.join(Source.values)}",
            )
        elif key == "code" and len(text) > 40:
            problems.add("settings", row, column, "the code is longer than 40 characters")
        elif key == "title" and len(text) > 200:
            problems.add("settings", row, column, "the title is longer than 200 characters")
    return result["code"], result["title"], result["kind"]


def _questions_read(
    workbook: Workbook, problems: Problems
) -> tuple[list[QuestionDef], Sheet | None]:
    worksheet = sheet_find(workbook, "questions")
    if worksheet is None:
        problems.add(
            "questions",
            None,
            "",
            "the workbook has no sheet named questions: add one with columns "
            + ", ".join(QUESTION_COLUMNS),
        )
        return [], None
    sheet = sheet_read(worksheet, name="questions", problems=problems, required=QUESTION_REQUIRED)
    if sheet is None:
        return [], None
    questions: list[QuestionDef] = []
    for row, values in sheet.rows():
        text = _texts(sheet, values, QUESTION_COLUMNS, row, problems)
        if text is None:
            continue  # a formula, reported
        for name in ("section", "code"):
            if not text[name]:
                problems.add(
                    "questions",
                    row,
                    sheet.column(name),
                    f"the {name} is empty: every question needs one"
                    + (
                        " (merged cells leave all but the first row empty: unmerge them and "
                        "fill the section down)"
                        if name == "section"
                        else ""
                    ),
                )
        required_text = text.get("required", "").lower()
        if required_text not in YES | NO:
            problems.add(
                "questions",
                row,
                sheet.column("required"),
                f"required is {text['required']!r}; write yes or no (empty means no)",
            )
        try:
            factors = parse_factors(text.get("factors", ""))
        except ValueError as exc:
            problems.add("questions", row, sheet.column("factors"), f"factors: {exc}")
            factors = ()
        questions.append(
            QuestionDef(
                section=text["section"] or "",
                code=text["code"] or "",
                type=text["type"].lower(),
                text=text["text"] or "",
                options=text.get("options", ""),
                required=required_text in YES,
                factors=factors,
                help=text.get("help", ""),
                show_if=text.get("show_if", ""),
                where=f"sheet questions, row {row}",
            )
        )
    return questions, sheet


def _options_read(
    workbook: Workbook, problems: Problems
) -> tuple[dict[str, tuple[OptionDef, ...]], Sheet | None]:
    worksheet = sheet_find(workbook, "options")
    if worksheet is None:
        return {}, None  # an instrument of text, number and date questions needs none
    sheet = sheet_read(worksheet, name="options", problems=problems, required=OPTION_REQUIRED)
    if sheet is None:
        return {}, None
    lists: dict[str, list[OptionDef]] = {}
    for row, values in sheet.rows():
        text = _texts(sheet, values, ("list", "value", "label"), row, problems)
        raw_points = value_at(values, sheet.columns.get("points"))
        if text is None:
            continue
        if isinstance(raw_points, FormulaCell):
            problems.add("options", row, sheet.column("points"), raw_points.message())
            continue
        points: float | None = None
        if raw_points is not None:
            number = number_from(raw_points)
            if number is None:
                problems.add(
                    "options",
                    row,
                    sheet.column("points"),
                    f"points {cell_text(raw_points)!r} is not a number; leave it empty for an "
                    "unscored option such as Not applicable",
                )
            else:
                points = float(number)
        for name in ("list", "value"):
            if not text[name]:
                problems.add("options", row, sheet.column(name), f"the {name} is empty")
        if not text["list"] or not text["value"]:
            continue
        lists.setdefault(text["list"], []).append(
            OptionDef(
                value=text["value"],
                label=text.get("label") or text["value"],
                points=points,
                where=f"sheet options, row {row}",
            )
        )
    return {name: tuple(options) for name, options in lists.items()}, sheet


# definition_errors says what is wrong with a question or option; these say in which column.
_MESSAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    (r"^question code", "code"),
    (r"^type ", "type"),
    (r"has no text", "text"),
    (r"option list|cannot have options", "options"),
    (r"show_if", "show_if"),
    (r"success factor|not scored", "factors"),
    (r"is twice in list", "value"),
)
_WHERE = re.compile(r"^sheet (?P<sheet>\w+), row (?P<row>\d+)$")


def _config_problem(
    error: ConfigError, sheets: dict[str, Sheet | None], problems: Problems
) -> None:
    match = _WHERE.match(error.where)
    if not match:
        if error.where == "settings":
            return  # code, title and kind were checked where they are, in _settings_read
        problems.add(error.where or "questions", None, "", error.message)
        return
    sheet = sheets.get(match.group("sheet"))
    column = ""
    for pattern, name in _MESSAGE_COLUMNS:
        if re.search(pattern, error.message) and sheet is not None and name in sheet.columns:
            column = sheet.column(name)
            break
    problems.add(match.group("sheet"), int(match.group("row")), column, error.message)


def _instrument_read(file: WorkbookFile, *, factor_codes: set[str] | None) -> InstrumentDefinition:
    """Read and check a definition. With factor_codes None, any factor code is accepted (the
    scrutiny checks them when the instrument is saved)."""
    problems = Problems()
    with workbook_open(file) as workbook:
        code, title, kind = _settings_read(workbook, problems)
        questions, question_sheet = _questions_read(workbook, problems)
        option_lists, option_sheet = _options_read(workbook, problems)
    definition = InstrumentDefinition(
        code=code,
        title=title,
        kind=kind,
        questions=tuple(questions),
        option_lists=option_lists,
    )
    if question_sheet is not None:
        codes = factor_codes
        if codes is None:
            codes = {ref.code for q in questions for ref in q.factors}
        sheets = {"questions": question_sheet, "options": option_sheet}
        for error in definition_errors(definition, factor_codes=codes):
            _config_problem(error, sheets, problems)
    problems.raise_if_any("The instrument workbook")
    return definition


def instrument_from_workbook(file: WorkbookFile) -> InstrumentDefinition:
    """Read an instrument workbook (WORKBOOKS.md §2).

    Raises ApplicationError listing every error with its sheet, row and column. Success factor
    codes are checked against a scrutiny only when the instrument is saved (`instrument_import`).
    """
    return _instrument_read(file, factor_codes=None)


def instrument_import(*, scrutiny: Scrutiny, file: WorkbookFile) -> SaveResult:
    """Add the workbook's instrument to a scrutiny, or update it (a new version when the
    current one has responses). Re-importing the same workbook changes nothing."""
    factor_codes = set(scrutiny.factors.values_list("code", flat=True))
    definition = _instrument_read(file, factor_codes=factor_codes)
    return instrument_save(scrutiny=scrutiny, definition=definition)
