"""The instrument workbook (WORKBOOKS.md §2): sheets settings, questions and options, with the
columns of other languages (`section_cy`, `text_cy`, `help_cy`, `label_cy`, settings `title_cy`
and `languages`). A workbook with a sheet `survey` is an XLSForm (§6, `scrutiny.workbooks.xlsform`)
and is read as one by the same entry points, so the upload page and its job take both."""

from __future__ import annotations

import re

from openpyxl.workbook.workbook import Workbook

from scrutiny.instruments import (
    BASE_LANGUAGE,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    SaveResult,
    Translations,
    definition_errors,
    instrument_save,
    parse_factors,
    parse_languages,
    too_long,
    translations_clean,
)
from scrutiny.models import Scrutiny, Source
from scrutiny.workbooks.instrument_sheets import (
    NO,
    OPTION_REQUIRED,
    QUESTION_COLUMNS,
    QUESTION_REQUIRED,
    QUESTION_TRANSLATED,
    SETTINGS_KEYS,
    YES,
    config_problem,
    instrument_to_workbook,
    option_points,
    row_texts,
    translation_columns,
    translations_from,
)
from scrutiny.workbooks.opening import WorkbookFile, workbook_open
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import (
    Sheet,
    cell_text,
    key_values_read,
    normal_name,
    sheet_find,
    sheet_read,
)
from scrutiny.workbooks.xlsform import XLSFORM_COLUMNS, is_xlsform, xlsform_read

__all__ = ["instrument_from_workbook", "instrument_import", "instrument_to_workbook"]

_TITLE_KEY = re.compile(r"^title_(?P<language>[a-z]{2,3})$")


# ---------------------------------------------------------------------------------------------
# Reading.


def _title_keys(workbook: Workbook) -> tuple[str, ...]:
    """The `title_xx` keys the settings sheet has (a title in another language)."""
    worksheet = sheet_find(workbook, "settings")
    if worksheet is None:
        return ()
    keys: list[str] = []
    for cells in worksheet.iter_rows(min_row=2, max_col=1, values_only=True):
        key = normal_name(cells[0] if cells and not str(cells[0] or "").startswith("=") else "")
        if _TITLE_KEY.match(key) and key not in keys:
            keys.append(key)
    return tuple(keys)


def _setting_problem(key: str, text: str, raw: object) -> str:
    """What is wrong with a setting's value, or "" when nothing is."""
    if not text:
        return f"the {key} is empty"
    if key == "kind" and text not in Source.values:
        return f"kind {cell_text(raw)!r} is not one of {', '.join(Source.values)}"
    if key in ("code", "title"):  # the rule definition_errors follows, placed in its cell
        return too_long("instrument code" if key == "code" else "title", text)
    return ""


def _settings_read(
    workbook: Workbook, problems: Problems, overrides: dict[str, str]
) -> tuple[dict[str, str], tuple[str, ...], Translations]:
    """Code, title and kind (an override given to the import wins), the languages, and the
    title in other languages."""
    title_keys = _title_keys(workbook)
    keys = (*SETTINGS_KEYS, "languages", *title_keys)
    found = key_values_read(workbook, sheet_name="settings", keys=keys, problems=problems)
    result = dict.fromkeys(SETTINGS_KEYS, "")
    if found is None:
        return {**result, **overrides}, (BASE_LANGUAGE,), {}
    for key in SETTINGS_KEYS:
        value, row, sheet = found.get(key, (None, None, None))
        text = normal_name(cell_text(value)) if key == "kind" else cell_text(value)
        result[key] = overrides.get(key) or text
        if overrides.get(key):
            continue
        if sheet is None:
            kinds = f" (its value one of {', '.join(Source.values)})" if key == "kind" else ""
            problems.add("settings", None, "", f"there is no row with key {key}: add one{kinds}")
        elif message := _setting_problem(key, text, value):
            problems.add("settings", row, sheet.column("value"), message)
    languages: tuple[str, ...] = (BASE_LANGUAGE,)
    if "languages" in found:
        value, row, sheet = found["languages"]
        try:
            languages = parse_languages(cell_text(value))
        except ValueError as exc:
            problems.add("settings", row, sheet.column("value"), f"languages: {exc}")
    translations = translations_clean(
        {
            key[len("title_") :]: {"title": cell_text(found[key][0])}
            for key in title_keys
            if key in found
        }
    )
    return result, languages, translations


def _questions_read(
    workbook: Workbook, problems: Problems, languages: list[str]
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
    columns = (*QUESTION_COLUMNS, *translation_columns(QUESTION_TRANSLATED, languages))
    questions: list[QuestionDef] = []
    for row, values in sheet.rows():
        text = row_texts(sheet, values, columns, row, problems)
        if text is None:
            continue  # a formula, reported
        questions.append(_question_from(sheet, row, text, problems, languages))
    return questions, sheet


def _question_from(
    sheet: Sheet, row: int, text: dict[str, str], problems: Problems, languages: list[str]
) -> QuestionDef:
    for name in ("section", "code"):
        if not text[name]:
            merged = (
                " (merged cells leave all but the first row empty: unmerge them and "
                "fill the section down)"
                if name == "section"
                else ""
            )
            problems.add(
                "questions",
                row,
                sheet.column(name),
                f"the {name} is empty: every question needs one{merged}",
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
    return QuestionDef(
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
        translations=translations_from(text, QUESTION_TRANSLATED, languages),
    )


def _options_read(
    workbook: Workbook, problems: Problems, languages: list[str]
) -> tuple[dict[str, tuple[OptionDef, ...]], Sheet | None]:
    worksheet = sheet_find(workbook, "options")
    if worksheet is None:
        return {}, None  # an instrument of text, number and date questions needs none
    sheet = sheet_read(worksheet, name="options", problems=problems, required=OPTION_REQUIRED)
    if sheet is None:
        return {}, None
    columns = ("list", "value", "label", *translation_columns(("label",), languages))
    lists: dict[str, list[OptionDef]] = {}
    for row, values in sheet.rows():
        text = row_texts(sheet, values, columns, row, problems)
        points = option_points(sheet, values, row, problems)
        if text is None:
            continue
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
                translations=translations_from(text, ("label",), languages),
            )
        )
    return {name: tuple(options) for name, options in lists.items()}, sheet


def _workbook_read(
    workbook: Workbook, problems: Problems, overrides: dict[str, str]
) -> tuple[InstrumentDefinition, dict[str, Sheet | None]]:
    settings, languages, translations = _settings_read(workbook, problems, overrides)
    # Columns are read for each language offered, and for Welsh and any language with a title.
    others = sorted({*languages, *translations, "cy"} - {BASE_LANGUAGE})
    questions, question_sheet = _questions_read(workbook, problems, others)
    option_lists, option_sheet = _options_read(workbook, problems, others)
    definition = InstrumentDefinition(
        code=settings["code"],
        title=settings["title"],
        kind=settings["kind"],
        questions=tuple(questions),
        option_lists=option_lists,
        languages=languages,
        translations=translations,
    )
    return definition, {"questions": question_sheet, "options": option_sheet}


def _instrument_read(
    file: WorkbookFile, *, factor_codes: set[str] | None, kind: str = "", code: str = ""
) -> InstrumentDefinition:
    """Read and check a definition from an instrument workbook or an XLSForm. With factor_codes
    None, any factor code is accepted (the scrutiny checks them when the instrument is saved).
    A kind or code given here wins over the file's."""
    problems = Problems()
    overrides = {key: value for key, value in (("kind", kind), ("code", code)) if value}
    with workbook_open(file) as workbook:
        xlsform = is_xlsform(workbook)
        if xlsform:
            definition, sheets = xlsform_read(workbook, problems=problems, overrides=overrides)
        else:
            definition, sheets = _workbook_read(workbook, problems, overrides)
    if sheets.get("questions") is not None or sheets.get("survey") is not None:
        codes = factor_codes
        if codes is None:
            codes = {ref.code for q in definition.questions for ref in q.factors}
        for error in definition_errors(definition, factor_codes=codes):
            if xlsform:
                config_problem(error, sheets, problems, columns=XLSFORM_COLUMNS)
            else:
                config_problem(error, sheets, problems)
    problems.raise_if_any("The XLSForm" if xlsform else "The instrument workbook")
    return definition


def instrument_from_workbook(
    file: WorkbookFile, *, kind: str = "", code: str = ""
) -> InstrumentDefinition:
    """Read an instrument workbook (WORKBOOKS.md §2) or an XLSForm (§6).

    Raises ApplicationError listing every error with its sheet, row and column. Success factor
    codes are checked against a scrutiny only when the instrument is saved (`instrument_import`).
    A kind or code given here wins over the file's.
    """
    return _instrument_read(file, factor_codes=None, kind=kind, code=code)


def instrument_import(
    *, scrutiny: Scrutiny, file: WorkbookFile, kind: str = "", code: str = ""
) -> SaveResult:
    """Add the workbook's (or XLSForm's) instrument to a scrutiny, or update it (a new version
    when the current one has responses). Re-importing the same file changes nothing. A kind or
    code given here wins over the file's."""
    factor_codes = set(scrutiny.factors.values_list("code", flat=True))
    definition = _instrument_read(file, factor_codes=factor_codes, kind=kind, code=code)
    return instrument_save(scrutiny=scrutiny, definition=definition)
