"""The instrument workbook's columns (WORKBOOKS.md §2): the workbook written, texts read by column
name, each error put in its column, and the columns of other languages (`text_cy`, ...).

Shared by the instrument workbook (`instruments`) and the XLSForm (`xlsform`), which name their
columns differently: `config_problem` takes a table from an error's wording to its column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.workbook.workbook import Workbook

from scrutiny.instruments import (
    BASE_LANGUAGE,
    ConfigError,
    FactorRef,
    InstrumentDefinition,
    Translations,
    config_number,
    translations_clean,
)
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import (
    FormulaCell,
    Sheet,
    cell_text,
    number_from,
    number_text,
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
QUESTION_TRANSLATED = ("section", "text", "help")
OPTION_COLUMNS = ("list", "value", "label", "points")
OPTION_REQUIRED = ("list", "value")


YES = {"yes", "y", "true", "1", "true()"}
NO = {"no", "n", "false", "0", "", "false()"}

# definition_errors says what is wrong with a question or option; these say in which column of
# the instrument workbook ("{language}" is the language the message names).
WORKBOOK_COLUMNS: tuple[tuple[str, str], ...] = (
    # A text too long for its column (`too_long`), first: the option it names may hold any words.
    (r"^(option|list) .*: the (?P<name>value|label|list) is \d+ characters long", "{name}"),
    (r"^the (?P<name>code|section|show_if) is \d+ characters long", "{name}"),
    (r"^question code", "code"),
    (r"^type ", "type"),
    (r"has no text", "text"),
    (r"option list|cannot have options", "options"),
    (r"show_if", "show_if"),
    (r"success factor|not scored", "factors"),
    (r"is twice in list", "value"),
    (r"has no (?P<language>[a-z]+) section title", "section_{language}"),
    (r"has the (?P<language>[a-z]+) section title", "section_{language}"),
    (r"has no (?P<language>[a-z]+) text", "text_{language}"),
    (r"has no (?P<language>[a-z]+) help", "help_{language}"),
    (r"has no (?P<language>[a-z]+) label", "label_{language}"),
)
_WHERE = re.compile(r"^sheet (?P<sheet>\w+), row (?P<row>\d+)$")
_CHECKED_IN_SETTINGS = re.compile(
    r"^(code is required|title is required|kind |the instrument code is |the title is )"
)


def row_text(
    sheet: Sheet,
    values: list[Any],
    name: str,
    row: int,
    problems: Problems,
) -> str | None:
    """The text of a cell by column name; None (after noting the problem) for a formula. (A
    text too long for its column is refused by `definition_errors`, as from any other way in.)"""
    value = value_at(values, sheet.columns.get(name))
    if isinstance(value, FormulaCell):
        problems.add(sheet.name, row, sheet.column(name), value.message())
        return None
    return cell_text(value)


def row_texts(
    sheet: Sheet,
    values: list[Any],
    names: Iterable[str],
    row: int,
    problems: Problems,
) -> dict[str, str] | None:
    """The texts of a row's cells by column name, for the named columns the sheet has; None
    when any is a formula (each noted)."""
    texts = {
        name: row_text(sheet, values, name, row, problems)
        for name in names
        if name in sheet.columns
    }
    found = {name: text for name, text in texts.items() if text is not None}
    return found if len(found) == len(texts) else None


def option_points(sheet: Sheet, values: list, row: int, problems: Problems) -> float | None:
    """The points of an option row: a number, or None for an unscored one (or a problem)."""
    raw_points = value_at(values, sheet.columns.get("points"))
    if isinstance(raw_points, FormulaCell):
        problems.add(sheet.name, row, sheet.column("points"), raw_points.message())
        return None
    if raw_points is None:
        return None
    number = number_from(raw_points)
    try:
        return config_number("" if number is None else number)
    except ValueError as exc:
        problems.add(
            sheet.name,
            row,
            sheet.column("points"),
            f"points {cell_text(raw_points)!r} is {exc}; leave it empty for an "
            "unscored option such as Not applicable",
        )
        return None


def translation_columns(names: Iterable[str], languages: Iterable[str]) -> list[str]:
    """`text_cy`, `help_cy`, ...: the columns of each language other than English."""
    return [
        f"{name}_{language}"
        for language in languages
        if language != BASE_LANGUAGE
        for name in names
    ]


def translations_from(
    texts: dict[str, str], names: Iterable[str], languages: Iterable[str]
) -> Translations:
    """A row's texts in other languages, from columns such as `text_cy`."""
    return translations_clean(
        {
            language: {name: texts.get(f"{name}_{language}", "") for name in names}
            for language in languages
            if language != BASE_LANGUAGE
        }
    )


def config_problem(
    error: ConfigError,
    sheets: dict[str, Sheet | None],
    problems: Problems,
    *,
    columns: tuple[tuple[str, str], ...] = WORKBOOK_COLUMNS,
    settings_sheet: str = "settings",
) -> None:
    """One error of `definition_errors`, noted at its sheet, row and (where known) column."""
    match = _WHERE.match(error.where)
    if not match:
        if error.where == "settings":
            if not _CHECKED_IN_SETTINGS.match(error.message):  # those are placed by the reader
                problems.add(settings_sheet, None, "", error.message)
            return
        problems.add(error.where or "questions", None, "", error.message)
        return
    sheet = sheets.get(match.group("sheet"))
    column = ""
    for pattern, template in columns:
        found = re.search(pattern, error.message)
        if found is None or sheet is None:
            continue
        name = template.format(**found.groupdict())
        if name in sheet.columns:
            column = sheet.column(name)
            break
    problems.add(match.group("sheet"), int(match.group("row")), column, error.message)


# ---------------------------------------------------------------------------------------------
# Writing.


def factors_text(factors: tuple[FactorRef, ...]) -> str:
    """`SF1; SF3:2`: a weight of 1 is left out."""
    return "; ".join(
        ref.code if ref.weight == 1 else f"{ref.code}:{number_text(ref.weight)}" for ref in factors
    )


def points_cell(points: float | None) -> int | float | None:
    if points is None:
        return None
    return int(points) if float(points).is_integer() else points


def definition_languages(definition: InstrumentDefinition) -> list[str]:
    """Every language other than English that the definition offers or has a text in."""
    found = {language for language in definition.languages if language != BASE_LANGUAGE}
    found |= set(definition.translations)
    for question in definition.questions:
        found |= set(question.translations)
    for options in definition.option_lists.values():
        for option in options:
            found |= set(option.translations)
    return sorted(found - {BASE_LANGUAGE})


def _text_in(translations: Translations, language: str, name: str) -> str:
    return translations.get(language, {}).get(name, "")


def instrument_to_workbook(definition: InstrumentDefinition) -> Workbook:
    """An instrument as a workbook (WORKBOOKS.md §2) that `instrument_from_workbook` reads back
    as the same definition."""
    others = definition_languages(definition)
    settings: list[tuple[str, str]] = [
        ("code", definition.code),
        ("title", definition.title),
        ("kind", definition.kind),
    ]
    if definition.languages != (BASE_LANGUAGE,):
        settings.append(("languages", ", ".join(definition.languages)))
    settings += [
        (f"title_{lang}", _text_in(definition.translations, lang, "title")) for lang in others
    ]
    workbook = Workbook()
    sheet_write(
        workbook,
        title="settings",
        header=("key", "value"),
        rows=settings,
        widths=(12, 60),
        first=True,
    )
    sheet_write(
        workbook,
        title="questions",
        header=(*QUESTION_COLUMNS, *translation_columns(QUESTION_TRANSLATED, others)),
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
                *(
                    _text_in(q.translations, lang, name)
                    for lang in others
                    for name in QUESTION_TRANSLATED
                ),
            )
            for q in definition.questions
        ],
        widths=(28, 10, 10, 60, 14, 10, 16, 40, 20, *([40] * 3 * len(others))),
    )
    sheet_write(
        workbook,
        title="options",
        header=(*OPTION_COLUMNS, *translation_columns(("label",), others)),
        rows=[
            (
                name,
                o.value,
                o.label,
                points_cell(o.points),
                *(_text_in(o.translations, lang, "label") for lang in others),
            )
            for name, options in definition.option_lists.items()
            for o in options
        ],
        widths=(16, 14, 40, 8, *([40] * len(others))),
    )
    return workbook
