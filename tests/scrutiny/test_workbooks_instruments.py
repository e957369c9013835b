"""The instrument workbook (WORKBOOKS.md §2): writing, reading back, and every error placed."""

from __future__ import annotations

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.instruments import definition_from_version, instrument_current_version
from scrutiny.models import Instrument, InstrumentVersion, Option, Question
from scrutiny.workbooks import instrument_from_workbook, instrument_import, instrument_to_workbook
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    AUDIT,
    audit_fixture,
    lists_fixture,
    saved,
    scrutiny_fixture,
    sheet_values,
    xlsx,
)

SETTINGS = [["key", "value"], ["code", "FA1"], ["title", "Audit"], ["kind", "file_audit"]]
QUESTIONS_HEADER = [
    "section",
    "code",
    "type",
    "text",
    "options",
    "required",
    "factors",
    "help",
    "show_if",
]
OPTIONS = [
    ["list", "value", "label", "points"],
    ["grade", 4, "Outstanding", 4],
    ["grade", 3, "Good", 3],
    ["grade", 2, "Requires improvement", 2],
    ["grade", 1, "Inadequate", 1],
    ["grade", "na", "Not applicable", None],
]


def _errors(file) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file)
    return error.value.extra["errors"]


def test_the_workbook_has_the_three_sheets_of_the_format():
    file = saved(instrument_to_workbook(AUDIT))
    assert sheet_values(file, "settings") == [
        ("key", "value"),
        ("code", "FA1"),
        ("title", "Multi-agency case-file audit"),
        ("kind", "file_audit"),
    ]
    questions = sheet_values(file, "questions")
    assert questions[0] == tuple(QUESTIONS_HEADER)
    assert questions[1] == (
        "Recognition of need",
        "Q1",
        "single",
        "How well was the child's need recognised?",
        "grade",
        "yes",
        "SF1; SF3:2",
        "Grade the agency's own record.",
        None,
    )
    assert questions[2][5:] == ("no", None, None, "Q1 in (1, 2)")
    options = sheet_values(file, "options")
    assert options[0] == ("list", "value", "label", "points")
    assert options[1] == ("grade", "4", "Outstanding", 4)
    assert options[5] == ("grade", "na", "Not applicable", None)  # unscored: points empty
    assert options[6] == ("routes", "briefing", "Learning briefings", None)


def test_a_written_definition_reads_back_the_same_with_its_places():
    definition = instrument_from_workbook(saved(instrument_to_workbook(AUDIT)))
    assert definition == AUDIT
    assert definition.content_sha256() == AUDIT.content_sha256()
    assert [q.where for q in definition.questions][:2] == [
        "sheet questions, row 2",
        "sheet questions, row 3",
    ]
    assert definition.option_lists["grade"][0].where == "sheet options, row 2"


def test_import_then_export_gives_the_definition_and_reimport_changes_nothing(scrutiny):
    result = instrument_import(scrutiny=scrutiny, file=saved(instrument_to_workbook(AUDIT)))
    assert result.outcome == "created"
    version = instrument_current_version(result.instrument)
    exported = instrument_to_workbook(definition_from_version(version))
    assert instrument_from_workbook(saved(exported)) == AUDIT
    again = instrument_import(scrutiny=scrutiny, file=saved(exported))
    assert again.outcome == "unchanged"
    assert InstrumentVersion.objects.count() == 1


def test_numbers_excel_made_of_values_and_weights_are_read_as_written(scrutiny):
    file = xlsx(
        {
            "settings": SETTINGS,
            "questions": [
                QUESTIONS_HEADER,
                ["Need", "Q1", "single", "Grade", "grade", "Yes", "SF1:1.5, SF2", None, None],
                ["Need", 7, "text", "Why?", None, None, None, None, "Q1 in (1, 2)"],
            ],
            "options": OPTIONS,
        }
    )
    definition = instrument_from_workbook(file)
    assert [o.value for o in definition.option_lists["grade"]] == ["4", "3", "2", "1", "na"]
    assert definition.questions[0].required is True
    assert [(f.code, f.weight) for f in definition.questions[0].factors] == [
        ("SF1", 1.5),
        ("SF2", 1.0),
    ]
    assert definition.questions[1].code == "7"
    assert instrument_import(scrutiny=scrutiny, file=file).outcome == "created"
    assert Question.objects.get(code="Q1").is_scored


def test_every_error_is_reported_at_once_with_sheet_row_and_column():
    file = xlsx(
        {
            "settings": [["key", "value"], ["code", "FA1"], ["titel", "Audit"], ["kind", "audit"]],
            "questions": [
                QUESTIONS_HEADER,
                ["Need", "Q1", "single", "Grade", "grade", "maybe", "SF1:x", None, None],
                ["Need", "Q2", "singel", "Grade again", None, None, None, None, None],
                [None, "Q3", "text", "Why?", None, None, None, None, "Q1 = 9"],
                ["Need", "Q1", "text", "Again", None, None, None, None, "Q1 is 3"],
                ["Need", "Q5", "multiple", "Where?", "places", None, None, None, None],
                ["Need", "Q6", "text", "Notes", None, None, "SF2", None, None],
            ],
            "options": [
                ["list", "value", "label", "points"],
                ["grade", 4, "Outstanding", 4],
                ["grade", 4, "Good", 3],
                ["grade", 1, "Inadequate", "high"],
            ],
        }
    )
    errors = _errors(file)
    assert errors == [
        "sheet settings, row 3, column A (key): 'titel' is not a key of this sheet; use code, "
        "title, kind, languages",
        "sheet settings: there is no row with key title: add one",
        "sheet settings, row 4, column B (value): kind 'audit' is not one of file_audit, "
        "practitioner_survey, board_questionnaire, family_feedback, young_people",
        "sheet questions, row 2, column F (required): required is 'maybe'; write yes or no "
        "(empty means no)",
        "sheet questions, row 2, column G (factors): factors: the weight of SF1 is 'x', not a "
        "number",
        "sheet questions, row 4, column A (section): the section is empty: every question needs "
        "one (merged cells leave all but the first row empty: unmerge them and fill the section "
        "down)",
        "sheet options, row 4, column D (points): points 'high' is not a number; leave it empty "
        "for an unscored option such as Not applicable",
        "sheet options, row 3, column B (value): value '4' is twice in list 'grade'",
        "sheet questions, row 3, column C (type): type 'singel' is not one of single, multiple, "
        "text, number, date",
        "sheet questions, row 5, column B (code): question code 'Q1' is used twice",
        "sheet questions, row 6, column E (options): option list 'places' is not on sheet options",
        "sheet questions, row 7, column G (factors): question Q6 is not scored (only single "
        "choice with points on two or more different options is), so it cannot count for a "
        "success factor",
        "sheet questions, row 5, column I (show_if): cannot read show_if 'Q1 is 3': write CODE = "
        "value, CODE != value or CODE in (v1, v2)",
    ]


def test_texts_too_long_for_their_columns_are_placed_once_in_their_columns():
    """The workbook's length errors are definition_errors' (one rule, whichever way in), put
    in their column, each said once."""
    most = {name: Option._meta.get_field(name).max_length for name in ("value", "label")}
    most_code = Question._meta.get_field("code").max_length
    file = xlsx(
        {
            "settings": SETTINGS,
            "questions": [
                QUESTIONS_HEADER,
                ["Need", "Q1", "single", "Grade", "grade", None, None, None, None],
                ["Need", "Q" * (most_code + 1), "text", "Why?", None, None, None, None, None],
            ],
            "options": [
                ["list", "value", "label", "points"],
                ["grade", "v" * (most["value"] + 1), "High", 2],
                ["grade", "lo", "L" * (most["label"] + 1), 0],
            ],
        }
    )
    assert _errors(file) == [
        f"sheet options, row 2, column B (value): option '{'v' * 30}…': the value is "
        f"{most['value'] + 1} characters long; at most {most['value']} fit",
        f"sheet options, row 3, column C (label): option 'lo': the label is "
        f"{most['label'] + 1} characters long; at most {most['label']} fit",
        f"sheet questions, row 3, column B (code): the code is {most_code + 1} characters "
        f"long; at most {most_code} fit",
    ]


def test_an_instruments_code_and_title_too_long_are_placed_once_in_their_cells():
    most = {name: Instrument._meta.get_field(name).max_length for name in ("code", "title")}
    settings = [
        ["key", "value"],
        ["code", "C" * (most["code"] + 1)],
        ["title", "T" * (most["title"] + 1)],
        ["kind", "file_audit"],
    ]
    questions = [QUESTIONS_HEADER, ["Need", "Q1", "text", "Why?", *[None] * 5]]
    assert _errors(xlsx({"settings": settings, "questions": questions})) == [
        f"sheet settings, row 2, column B (value): the instrument code is {most['code'] + 1} "
        f"characters long; at most {most['code']} fit",
        f"sheet settings, row 3, column B (value): the title is {most['title'] + 1} characters "
        f"long; at most {most['title']} fit",
    ]


def test_missing_sheets_and_columns_are_named():
    errors = _errors(xlsx({"questions": [["section", "code", "text"], ["Need", "Q1", "Why?"]]}))
    assert errors == [
        "sheet settings: the workbook has no sheet named settings: add one with columns key and "
        "value",
        "sheet questions, row 1: the header has no column type: add it to row 1 (the columns "
        "are section, code, type, text and any others you like)",
    ]


def test_an_empty_questions_sheet_says_so():
    errors = _errors(xlsx({"settings": SETTINGS, "questions": [QUESTIONS_HEADER]}))
    assert errors == ["sheet questions: the instrument has no questions"]


def test_import_checks_factor_codes_against_the_scrutiny_and_changes_nothing(scrutiny):
    file = xlsx(
        {
            "settings": SETTINGS,
            "questions": [
                QUESTIONS_HEADER,
                ["Need", "Q1", "single", "Grade", "grade", "yes", "SF1; SF9", None, None],
            ],
            "options": OPTIONS,
        }
    )
    instrument_from_workbook(file)  # no scrutiny yet: any factor code reads
    file.seek(0)
    with pytest.raises(ApplicationError) as error:
        instrument_import(scrutiny=scrutiny, file=file)
    assert error.value.extra["errors"] == [
        "sheet questions, row 2, column G (factors): success factor 'SF9' is not one of the "
        "scrutiny's"
    ]
    assert "nothing was imported" in str(error.value)
    assert not Instrument.objects.exists()


def test_an_answered_version_is_kept_and_a_changed_workbook_makes_a_new_one(audit):
    from scrutiny.evidence import response_submit
    from scrutiny.instruments import version_compile

    compiled = version_compile(instrument_current_version(audit))
    response_submit(compiled=compiled, values={"Q1": "3"}, channel="workbook")
    changed = AUDIT.__class__(
        code=AUDIT.code,
        title="Multi-agency case-file audit 2025",
        kind=AUDIT.kind,
        questions=AUDIT.questions,
        option_lists=AUDIT.option_lists,
    )
    result = instrument_import(scrutiny=audit.scrutiny, file=saved(instrument_to_workbook(changed)))
    assert (result.outcome, result.version.number) == ("new version", 2)
    assert InstrumentVersion.objects.filter(instrument=audit).count() == 2
