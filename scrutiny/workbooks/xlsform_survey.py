"""An XLSForm's `survey` sheet as questions (WORKBOOKS.md §6).

`select_one L` → single, `select_multiple L` → multiple, `text` → text, `integer`/`decimal` →
number, `date` → date; a group → a section (its label; questions outside every group are in a
section titled as the form); `note` → help on the next question (before its own `hint`);
`required` yes/true; `relevant` → show_if (`scrutiny.workbooks.xlsform_expressions`); a `factors`
column as in the instrument workbook. Anything else is noted with its row and what it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrutiny.instruments import (
    BASE_LANGUAGE,
    QuestionDef,
    Translations,
    parse_factors,
    translations_clean,
)
from scrutiny.workbooks.instrument_sheets import NO, YES
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.reading import Sheet
from scrutiny.workbooks.xlsform_expressions import relevant_to_show_if

# Rows that ask nothing: the metadata KoboToolbox and ODK record of a submission.
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
    "audit",
}
SIMPLE_TYPES = {"text": "text", "integer": "number", "decimal": "number", "date": "date"}
REFUSED_COLUMNS = {
    "constraint": "a constraint (a rule the answer must meet)",
    "calculation": "a calculation",
    "choice_filter": "a choice filter",
    "default": "a default answer",
    "read_only": "a read-only question",
    "repeat_count": "a repeat count",
    "trigger": "a trigger",
}


@dataclass(frozen=True)
class SurveyRow:
    row: int
    texts: dict[str, str]


@dataclass
class _Walk:
    """Where the walk down the survey sheet is: the open groups and the notes waiting."""

    sheet: Sheet
    problems: Problems
    languages: tuple[str, ...]
    section: tuple[str, Translations]
    groups: list[tuple[str, Translations]] = field(default_factory=list)
    notes: list[SurveyRow] = field(default_factory=list)

    def refuse(self, row: SurveyRow, column: str, message: str) -> None:
        where = self.sheet.column(column) if column in self.sheet.columns else ""
        self.problems.add("survey", row.row, where, message)

    def texts(self, row: SurveyRow, what: str, name: str) -> Translations:
        return translations_clean(
            {
                lang: {name: row.texts.get(f"{what}_{lang}", "")}
                for lang in self.languages
                if lang != BASE_LANGUAGE
            }
        )


def _type(row: SurveyRow) -> tuple[str, str]:
    """(type, its argument): `select_one grade` → ("select_one", "grade"); `begin group` →
    ("begin_group", "")."""
    words = row.texts.get("type", "").split()
    lowered = [word.lower() for word in words]
    pairs = ("begin", "end", "select"), ("group", "repeat", "one", "multiple")
    if len(words) >= 2 and lowered[0] in pairs[0] and lowered[1] in pairs[1]:
        return f"{lowered[0]}_{lowered[1]}", " ".join(words[2:])
    return (lowered[0] if words else ""), " ".join(words[1:])


def survey_questions(
    sheet: Sheet | None,
    rows: list[SurveyRow],
    problems: Problems,
    *,
    title: str,
    title_translations: Translations,
    languages: tuple[str, ...],
) -> list[QuestionDef]:
    if sheet is None:
        return []
    section = (title, {lang: {"section": t["title"]} for lang, t in title_translations.items()})
    walk = _Walk(sheet, problems, languages, section)
    questions: list[QuestionDef] = []
    for row in rows:
        for column, what in REFUSED_COLUMNS.items():
            if row.texts.get(column) and _type(row)[0] != "calculate":
                walk.refuse(
                    row, column, f"{what} cannot be carried: remove the {column} column's value"
                )
        question = _row(walk, row)
        if question is not None:
            questions.append(question)
    for note in walk.notes:
        walk.refuse(
            note,
            "type",
            "a note is carried as the help of the question after it, and no question follows it",
        )
    return questions


def _row(walk: _Walk, row: SurveyRow) -> QuestionDef | None:
    kind, argument = _type(row)
    if kind == "begin_group":
        if row.texts.get("relevant"):
            walk.refuse(
                row,
                "relevant",
                "relevant on a group cannot be carried: put it on each question of the group",
            )
        label = row.texts.get("label") or row.texts.get("name", "")
        walk.groups.append((label, walk.texts(row, "label", "section")))
    elif kind == "end_group":
        if walk.groups:
            walk.groups.pop()
    elif kind == "end_repeat":
        pass  # its begin_repeat is refused
    elif kind == "begin_repeat":
        walk.refuse(row, "type", "a repeat (questions asked again and again) cannot be carried")
    elif kind == "calculate":
        walk.refuse(
            row, "type", "a calculate row (a value worked out by the form) cannot be carried"
        )
    elif kind == "note":
        walk.notes.append(row)
    elif kind not in METADATA_TYPES:
        return _question(walk, row, kind, argument)
    return None


def _question_type(walk: _Walk, row: SurveyRow, kind: str, argument: str) -> tuple[str, str] | None:
    if kind in ("select_one", "select_multiple") and len(argument.split()) == 1:
        return ("single" if kind == "select_one" else "multiple"), argument
    if kind in SIMPLE_TYPES and not argument:
        return SIMPLE_TYPES[kind], ""
    walk.refuse(
        row,
        "type",
        f"type {row.texts.get('type', '')!r} cannot be carried: use select_one, select_multiple, "
        "text, integer, decimal, date, note, begin_group or end_group",
    )
    return None


def _joined(*texts: str) -> str:
    return "\n\n".join(text for text in texts if text)


def _question(walk: _Walk, row: SurveyRow, kind: str, argument: str) -> QuestionDef | None:
    mapped = _question_type(walk, row, kind, argument)
    notes, walk.notes = walk.notes, []
    if mapped is None:
        return None
    show_if = relevant_to_show_if(row.texts.get("relevant", ""))
    if show_if is None:
        walk.refuse(
            row,
            "relevant",
            f"relevant {row.texts['relevant']!r} cannot be carried: write ${{q}} = 'v', "
            "${q} != 'v' or selected(${q}, 'v') (several of one question joined by or)",
        )
    required = row.texts.get("required", "").strip().lower()
    if required not in YES | NO:
        walk.refuse(
            row,
            "required",
            f"required {row.texts['required']!r} cannot be carried: write yes or no",
        )
    try:
        factors = parse_factors(row.texts.get("factors", ""))
    except ValueError as exc:
        walk.refuse(row, "factors", f"factors: {exc}")
        factors = ()
    section, section_texts = walk.groups[-1] if walk.groups else walk.section
    translations: Translations = {}
    for lang in walk.languages:
        if lang == BASE_LANGUAGE:
            continue
        translations[lang] = {
            "section": section_texts.get(lang, {}).get("section", ""),
            "text": row.texts.get(f"label_{lang}", ""),
            "help": _joined(
                *(n.texts.get(f"label_{lang}", "") for n in notes),
                row.texts.get(f"hint_{lang}", ""),
            ),
        }
    return QuestionDef(
        section=section,
        code=row.texts.get("name", ""),
        type=mapped[0],
        text=row.texts.get("label", ""),
        options=mapped[1],
        required=required in YES,
        factors=factors,
        help=_joined(*(n.texts.get("label", "") for n in notes), row.texts.get("hint", "")),
        show_if=show_if or "",
        where=f"sheet survey, row {row.row}",
        translations=translations_clean(translations),
    )
