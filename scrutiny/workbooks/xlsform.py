"""XLSForm instruments (WORKBOOKS.md §6): the format of KoboToolbox and ODK, read.

A form in other languages has `label::Cymraeg (cy)` (and `hint::...`) columns; its title in
them is a `title_cy` column on settings (pyxform cannot take a translated form_title), and an
optional `languages` column says which it offers (else every language with labels).

The sheets are read safely as every workbook is (formulas refused), checked with pyxform as an
XLSForm (a form pyxform refuses is refused with its message; ODK Validate, which needs Java, is
not run), then mapped row by row onto a definition. What a definition cannot carry is an error
naming its sheet, row and what it is, never dropped: repeats, calculations, constraints, other
expressions, other types. Rows that ask nothing are left out: the metadata KoboToolbox adds to
every form (`start`, `end`, `today`, ...), and columns that change only how a question looks
(`appearance`, `required_message`, `media::image`, KoboToolbox's `$kuid`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.workbook.workbook import Workbook
from pyxform.xls2xform import convert

from scrutiny.instruments import (
    BASE_LANGUAGE,
    InstrumentDefinition,
    OptionDef,
    Translations,
    parse_languages,
    too_long,
    translations_clean,
)
from scrutiny.models import Source
from scrutiny.workbooks.instrument_sheets import option_points
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import (
    FormulaCell,
    Sheet,
    cell_text,
    normal_name,
    sheet_find,
    sheet_read,
)
from scrutiny.workbooks.xlsform_survey import SurveyRow, survey_questions

# definition_errors' wording → the XLSForm column the error is in.
XLSFORM_COLUMNS: tuple[tuple[str, str], ...] = (
    # A text too long for its column (`too_long`), first: the option it names may hold any words.
    (r"^(option|list) .*: the value is \d+ characters long", "name"),
    (r"^(option|list) .*: the label is \d+ characters long", "label"),
    (r"^(option|list) .*: the list is \d+ characters long", "list_name"),
    (r"^the code is \d+ characters long", "name"),
    (r"^the show_if is \d+ characters long", "relevant"),
    (r"^question code", "name"),
    (r"^type |option list|cannot have options", "type"),
    (r"has no text", "label"),
    (r"show_if", "relevant"),
    (r"success factor|not scored", "factors"),
    (r"is twice in list", "name"),
    (r"has no (?P<language>[a-z]+) (section title|text)", "label_{language}"),
    (r"has no (?P<language>[a-z]+) help", "hint_{language}"),
    (r"has no (?P<language>[a-z]+) label", "label_{language}"),
)
_LANGUAGE_COLUMN = re.compile(r"^(?P<what>label|hint)::(?P<name>.*?)(_?\((?P<code>[a-z]{2,3})\))?$")


@dataclass
class _Read:
    """One sheet: its header, its rows as texts by column, and what pyxform is given."""

    sheet: Sheet | None = None
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    raw: list[dict[str, str]] = field(default_factory=list)


def is_xlsform(workbook: Workbook) -> bool:
    return sheet_find(workbook, "survey") is not None


def _sheet(workbook: Workbook, name: str, problems: Problems, required: tuple[str, ...]) -> _Read:
    worksheet = sheet_find(workbook, name)
    if worksheet is None:
        return _Read()
    sheet = sheet_read(worksheet, name=name, problems=problems, required=required)
    if sheet is None:
        return _Read()
    _language_aliases(sheet, problems)
    read = _Read(sheet)
    for row, values in sheet.rows():
        while len(read.raw) < row - 2:
            read.raw.append({})  # a blank row: pyxform counts it, so its row numbers are ours
        texts: dict[str, str] = {}
        raw: dict[str, str] = {}
        for key, index in sheet.columns.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, FormulaCell):
                problems.add(name, row, sheet.column(key), value.message())
                continue
            if value is not None:
                texts[key] = raw[sheet.headers[index].strip()] = cell_text(value)
        read.rows.append((row, texts))
        read.raw.append(raw)
    return read


def _language_aliases(sheet: Sheet, problems: Problems) -> None:
    """`label::Cymraeg (cy)` is also known as `label_cy` (`hint::...` as `hint_cy`); the English
    label, where there is one, is `label`."""
    for key, index in list(sheet.columns.items()):
        match = _LANGUAGE_COLUMN.match(key)
        if match is None:
            continue
        if match["code"] is None:
            problems.add(
                sheet.name,
                1,
                sheet.column_at(index),
                "the column names a language without its code: write it as, for example, "
                f"{match['what']}::Cymraeg (cy) or {match['what']}::English (en)",
            )
            continue
        sheet.columns.setdefault(f"{match['what']}_{match['code']}", index)
    for what in ("label", "hint"):
        if f"{what}_{BASE_LANGUAGE}" in sheet.columns:
            sheet.columns[what] = sheet.columns[f"{what}_{BASE_LANGUAGE}"]


def _languages(*sheets: Sheet | None) -> tuple[str, ...]:
    codes = {
        key[len("label_") :]
        for sheet in sheets
        if sheet is not None
        for key in sheet.columns
        if re.match(r"^label_[a-z]{2,3}$", key)
    }
    return (BASE_LANGUAGE, *sorted(codes - {BASE_LANGUAGE}))


def _offered(read: _Read, problems: Problems) -> tuple[str, ...]:
    """The languages a `languages` setting says the form offers (our own column, as in the
    instrument workbook); empty when it says nothing (then every language with labels)."""
    if not read.rows or not read.rows[0][1].get("languages") or read.sheet is None:
        return ()
    row, texts = read.rows[0]
    try:
        return parse_languages(texts["languages"])
    except ValueError as exc:
        problems.add("settings", row, read.sheet.column("languages"), f"languages: {exc}")
        return ()


def _pyxform_check(sheets: dict[str, _Read], problems: Problems) -> None:
    """pyxform's own check of the form: its refusal, with its row, is ours."""
    data: dict[str, Any] = {name: read.raw for name, read in sheets.items() if read.sheet}
    try:
        convert(xlsform=data, validate=False, warnings=[])
    except Exception as exc:  # pyxform fails in many ways on a broken form, not only PyXFormError
        text = str(exc)
        row = re.search(r"\[row : (\d+)\]", text)
        sheet = "choices" if "'choices' sheet" in text else "survey"
        message = re.sub(r"^\[row : \d+\]\s*", "", text)
        problems.add(
            sheet,
            int(row.group(1)) if row else None,
            "",
            f"pyxform, which checks XLSForms, refuses the form: {message}",
        )


_LIMITED = {"code": "instrument code", "title": "title"}  # names as in TEXT_LIMITS


def _settings(read: _Read, problems: Problems, overrides: dict[str, str]) -> dict[str, str]:
    """form_id → code, form_title → title, kind → kind (an override given to the import wins)."""
    row, texts = read.rows[0] if read.rows else (2, {})
    found = {
        "code": texts.get("form_id", ""),
        "title": texts.get("form_title", ""),
        "kind": normal_name(texts.get("kind", "")),
    }
    column = {"code": "form_id", "title": "form_title", "kind": "kind"}
    how = {
        "code": " (or, importing with the command, give --code)",
        "kind": f" ({', '.join(Source.values)}; or, importing with the command, give --kind)",
        "title": "",
    }
    for key, name in column.items():
        if overrides.get(key):
            found[key] = overrides[key]
        elif not found[key]:
            problems.add(
                "settings",
                row if read.sheet else None,
                "",
                f"the form has no {name}: add a {name} column to sheet settings with its value "
                f"on row 2{how[key]}",
            )
        elif key != "kind" and (long := too_long(_LIMITED[key], found[key])):
            # definition_errors' rule, placed in its cell (config_problem leaves it to us).
            where = read.sheet.column(name) if read.sheet and name in read.sheet.columns else ""
            problems.add("settings", row, where, long)
    return found


def _translations(
    texts: dict[str, str], what: str, name: str, languages: tuple[str, ...]
) -> Translations:
    return translations_clean(
        {
            lang: {name: texts.get(f"{what}_{lang}", "")}
            for lang in languages
            if lang != BASE_LANGUAGE
        }
    )


def _option_lists(
    read: _Read, problems: Problems, languages: tuple[str, ...]
) -> dict[str, tuple[OptionDef, ...]]:
    lists: dict[str, list[OptionDef]] = {}
    sheet = read.sheet
    if sheet is None:
        return {}
    values_by_row = dict(sheet.rows()) if "points" in sheet.columns else {}
    for row, texts in read.rows:
        list_name, value = texts.get("list_name", ""), texts.get("name", "")
        if not list_name or not value:
            continue  # pyxform has said what is wrong with it
        points = option_points(sheet, values_by_row[row], row, problems) if values_by_row else None
        lists.setdefault(list_name, []).append(
            OptionDef(
                value=value,
                label=texts.get("label") or value,
                points=points,
                where=f"sheet choices, row {row}",
                translations=_translations(texts, "label", "label", languages),
            )
        )
    return {name: tuple(options) for name, options in lists.items()}


def xlsform_read(
    workbook: Workbook, *, problems: Problems, overrides: dict[str, str]
) -> tuple[InstrumentDefinition, dict[str, Sheet | None]]:
    """An XLSForm as a definition, every problem noted (with its sheet and row)."""
    sheets = {
        "survey": _sheet(workbook, "survey", problems, ("type", "name")),
        "choices": _sheet(workbook, "choices", problems, ("list_name", "name")),
        "settings": _sheet(workbook, "settings", problems, ()),
    }
    refused = False
    if sheets["survey"].sheet is not None and not problems:
        before = problems.count
        _pyxform_check(sheets, problems)
        refused = problems.count > before
    settings = _settings(sheets["settings"], problems, overrides)
    languages = _languages(sheets["survey"].sheet, sheets["choices"].sheet)
    offered = _offered(sheets["settings"], problems)
    title_translations = _translations(
        sheets["settings"].rows[0][1] if sheets["settings"].rows else {},
        "title",
        "title",
        languages,
    )
    questions = survey_questions(
        sheets["survey"].sheet,
        [SurveyRow(row, texts) for row, texts in sheets["survey"].rows],
        problems,
        title=settings["title"],
        title_translations=title_translations,
        languages=languages,
    )
    definition = InstrumentDefinition(
        code=settings["code"],
        title=settings["title"],
        kind=settings["kind"],
        questions=tuple(questions),
        option_lists=_option_lists(sheets["choices"], problems, languages),
        languages=offered or languages,
        translations=title_translations,
    )
    if refused:
        return definition, {}  # pyxform has said what is wrong; checking more would repeat it
    return definition, {name: read.sheet for name, read in sheets.items()}
