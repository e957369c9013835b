"""An instrument written as an XLSForm (WORKBOOKS.md §6), so that a form can go on to KoboToolbox
or ODK; `scrutiny.workbooks.xlsform` reads it back as the same definition.

Each section is a group (named `section_1`, ...), help is the `hint`, a number is `decimal`,
show_if is `relevant` (`scrutiny.workbooks.xlsform_expressions`), and success factors stay in a
`factors` column and points in a `points` column on `choices`, which pyxform carries along. An
instrument in more than one language has `label::English (en)`, `label::Cymraeg (cy)`, ...
"""

from __future__ import annotations

from typing import Any

from openpyxl.workbook.workbook import Workbook

from scrutiny.instruments import BASE_LANGUAGE, InstrumentDefinition, QuestionDef, language_name
from scrutiny.models import Question
from scrutiny.workbooks.instrument_sheets import definition_languages, factors_text, points_cell
from scrutiny.workbooks.writing import sheet_write
from scrutiny.workbooks.xlsform_expressions import show_if_to_relevant

_TYPES: dict[str, str] = {
    Question.Type.SINGLE: "select_one",
    Question.Type.MULTIPLE: "select_multiple",
    Question.Type.TEXT: "text",
    Question.Type.NUMBER: "decimal",
    Question.Type.DATE: "date",
}


def _columns(name: str, languages: list[str]) -> list[str]:
    """`label`, or `label::English (en)` and one for each other language."""
    if len(languages) == 1:
        return [name]
    return [f"{name}::{language_name(language)}" for language in languages]


def _texts(
    base: str, translations: dict[str, dict[str, str]], name: str, languages: list[str]
) -> list[str]:
    return [
        base if language == BASE_LANGUAGE else translations.get(language, {}).get(name, "")
        for language in languages
    ]


def _survey_rows(definition: InstrumentDefinition, languages: list[str]) -> list[list[Any]]:
    types = {q.code: q.type for q in definition.questions}
    rows: list[list[Any]] = []
    previous: QuestionDef | None = None
    groups = 0
    for q in definition.questions:
        if previous is None or q.section != previous.section:
            if previous is not None:
                rows.append(["end_group"])
            groups += 1
            rows.append(
                [
                    "begin_group",
                    f"section_{groups}",
                    *_texts(q.section, q.translations, "section", languages),
                ]
            )
        kind = _TYPES.get(q.type, q.type)
        rows.append(
            [
                f"{kind} {q.options}"
                if q.type in (Question.Type.SINGLE, Question.Type.MULTIPLE)
                else kind,
                q.code,
                *_texts(q.text, q.translations, "text", languages),
                *_texts(q.help, q.translations, "help", languages),
                "yes" if q.required else "",
                show_if_to_relevant(q.show_if, types),
                factors_text(q.factors),
            ]
        )
        previous = q
    if previous is not None:
        rows.append(["end_group"])
    return rows


def instrument_to_xlsform(definition: InstrumentDefinition) -> Workbook:
    """An instrument as an XLSForm that pyxform accepts."""
    languages = [BASE_LANGUAGE, *definition_languages(definition)]
    workbook = Workbook()
    sheet_write(
        workbook,
        title="survey",
        header=(
            "type",
            "name",
            *_columns("label", languages),
            *_columns("hint", languages),
            "required",
            "relevant",
            "factors",
        ),
        rows=_survey_rows(definition, languages),
        widths=(24, 14, *([50] * 2 * len(languages)), 10, 30, 16),
        first=True,
    )
    sheet_write(
        workbook,
        title="choices",
        header=("list_name", "name", *_columns("label", languages), "points"),
        rows=[
            [
                name,
                o.value,
                *_texts(o.label, o.translations, "label", languages),
                points_cell(o.points),
            ]
            for name, options in definition.option_lists.items()
            for o in options
        ],
        widths=(16, 14, *([40] * len(languages)), 8),
    )
    title_columns = [f"title_{lang}" for lang in languages[1:]]
    sheet_write(
        workbook,
        title="settings",
        header=(
            "form_title",
            "form_id",
            "kind",
            *title_columns,
            *(["default_language", "languages"] if title_columns else []),
        ),
        rows=[
            [
                definition.title,
                definition.code,
                definition.kind,
                *_texts(definition.title, definition.translations, "title", languages)[1:],
                *(
                    [language_name(BASE_LANGUAGE), ", ".join(definition.languages)]
                    if title_columns
                    else []
                ),
            ]
        ],
        widths=(50, 14, 22, *([50] * len(title_columns)), 16),
    )
    return workbook
