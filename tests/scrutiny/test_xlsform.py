"""XLSForm instruments (WORKBOOKS.md §6): the three kinds of form KoboToolbox ships, read into a
definition; a form with what cannot be carried refused, each row named; and the commands.

The forms are in tests/workbooks/xlsform/ (written by its make.py, laid out as KoboToolbox
downloads them).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, InstrumentVersion, Option, Question
from scrutiny.workbooks import instrument_from_workbook, instrument_import
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    scrutiny_fixture,
    xlsx,
)

FORMS = Path(__file__).resolve().parent.parent / "workbooks" / "xlsform"
SIMPLE = FORMS / "practitioner_survey.xlsx"
GROUPS = FORMS / "case_audit_groups.xlsx"
BILINGUAL = FORMS / "family_feedback_bilingual.xlsx"
REFUSED = FORMS / "refused.xlsx"


def _errors(file, **kwargs: str) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file, **kwargs)
    return error.value.extra["errors"]


def test_a_simple_kobo_survey_maps_each_type_and_its_settings():
    definition = instrument_from_workbook(SIMPLE)
    assert (definition.code, definition.title, definition.kind) == (
        "PS_KOBO",
        "Practitioner survey 2026",
        "practitioner_survey",
    )
    # The start and end rows Kobo adds ask nothing, so they are not questions.
    assert [(q.code, q.type, q.options) for q in definition.questions] == [
        ("agency", "single", "agency"),
        ("routes", "multiple", "routes"),
        ("years", "number", ""),
        ("last_training", "date", ""),
        ("change", "text", ""),
    ]
    assert [q.required for q in definition.questions] == [True, False, False, False, False]
    assert definition.questions[1].help == "Choose all that apply."
    # Outside every group, questions are one section titled as the form.
    assert {q.section for q in definition.questions} == {"Practitioner survey 2026"}
    assert [(o.value, o.label) for o in definition.option_lists["agency"]] == [
        ("police", "Police"),
        ("health", "Health"),
        ("council", "Local authority"),
    ]
    assert definition.languages == ("en",)


def test_groups_become_sections_relevant_becomes_show_if_and_a_note_the_next_help():
    definition = instrument_from_workbook(GROUPS, kind="file_audit")
    by_code = {q.code: q for q in definition.questions}
    assert [q.section for q in definition.questions] == ["Recognition of need"] * 2 + [
        "Learning"
    ] * 4
    assert by_code["Q1"].help == (
        "Grade the agency's own record, not the whole case.\n\n"
        "Outstanding means every need was seen early."
    )
    assert by_code["Q1"].required and by_code["Q3"].required  # yes and true
    assert by_code["Q2"].show_if == "Q1 in (1, 2)"
    assert by_code["Q4"].show_if == "Q3 = briefing"
    assert by_code["Q6"].show_if == "Q5 != yes"


def test_a_form_without_a_kind_says_how_to_give_one():
    assert _errors(GROUPS) == [
        "sheet settings, row 2: the form has no kind: add a kind column to sheet settings with "
        "its value on row 2 (file_audit, practitioner_survey, board_questionnaire, "
        "family_feedback, young_people; or, importing with the command, give --kind)"
    ]


def test_a_bilingual_form_keeps_both_languages_and_the_points():
    definition = instrument_from_workbook(BILINGUAL)
    assert definition.languages == ("en", "cy")
    assert definition.translations == {"cy": {"title": "Adborth teuluoedd"}}
    first = definition.questions[0]
    assert (first.section, first.text, first.help) == (
        "About the help you had",
        "Did people listen to you?",
        "Think about the last three months.",
    )
    assert first.translations == {
        "cy": {
            "section": "Am y cymorth a gawsoch",
            "text": "Wnaeth pobl wrando arnoch chi?",
            "help": "Meddyliwch am y tri mis diwethaf.",
        }
    }
    assert [ref.code for ref in first.factors] == ["SF1"]
    assert definition.questions[1].factors[0].weight == 2.0
    agree = definition.option_lists["agree"]
    assert [(o.value, o.points) for o in agree] == [
        ("yes", 2.0),
        ("sometimes", 1.0),
        ("no", 0.0),
        ("dont_know", None),
    ]
    assert agree[0].translations == {"cy": {"label": "Ydyn, bob amser"}}


def test_what_cannot_be_carried_is_refused_naming_each_row():
    assert _errors(REFUSED) == [
        "sheet survey, row 3, column A (type): a repeat (questions asked again and again) "
        "cannot be carried",
        "sheet survey, row 6, column D (constraint): a constraint (a rule the answer must meet) "
        "cannot be carried: remove the constraint column's value",
        "sheet survey, row 7, column A (type): a calculate row (a value worked out by the form) "
        "cannot be carried",
        "sheet survey, row 8, column E (relevant): relevant '${children} > 3' cannot be "
        "carried: write ${q} = 'v', ${q} != 'v' or selected(${q}, 'v') (several of one "
        "question joined by or)",
    ]


def _form(survey: list[list[object]], choices: list[list[object]] | None = None):
    return xlsx(
        {
            "survey": [["type", "name", "label", "required"], *survey],
            "choices": choices or [["list_name", "name", "label"]],
            "settings": [["form_title", "form_id", "kind"], ["Form", "F1", "file_audit"]],
        }
    )


def test_a_form_pyxform_refuses_is_refused_with_its_message_and_row():
    errors = _errors(
        _form(
            [["text", "Q1", "First"], ["select_one nowhere", "Q2", "Second"]],
            [["list_name", "name", "label"], ["yn", "yes", "Yes"]],
        )
    )
    assert errors == [
        "sheet survey, row 3: pyxform, which checks XLSForms, refuses the form: List name not "
        "in choices sheet: nowhere"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["geopoint", "Q2", "Where?"],
            "sheet survey, row 3, column A (type): type 'geopoint' cannot be carried: use "
            "select_one, select_multiple, text, integer, decimal, date, note, begin_group or "
            "end_group",
        ),
        (
            ["text", "Q2", "Why?", "${Q1} = 'x'"],
            "sheet survey, row 3, column D (required): required \"${Q1} = 'x'\" cannot be "
            "carried: write yes or no",
        ),
    ],
)
def test_other_types_and_expressions_are_refused(row, message):
    assert _errors(_form([["text", "Q1", "First"], row])) == [message]


def test_a_choice_too_long_for_its_column_is_refused_in_its_column():
    most = Option._meta.get_field("value").max_length
    errors = _errors(
        _form(
            [["select_one yn", "Q1", "First"]],
            [["list_name", "name", "label"], ["yn", "y" * (most + 1), "Yes"], ["yn", "no", "No"]],
        )
    )
    assert errors == [
        f"sheet choices, row 2, column B (name): option '{'y' * 30}…': the value is {most + 1} "
        f"characters long; at most {most} fit"
    ]


def test_a_form_id_too_long_for_the_instruments_code_is_refused_on_its_sheet():
    """Refused before the import job stores it (a DataError on PostgreSQL), by the rule every
    way in follows (definition_errors)."""
    most = Instrument._meta.get_field("code").max_length
    file = xlsx(
        {
            "survey": [["type", "name", "label", "required"], ["text", "Q1", "First"]],
            "choices": [["list_name", "name", "label"]],
            "settings": [["form_title", "form_id", "kind"], ["Form", "F" * 50, "file_audit"]],
        }
    )
    assert _errors(file) == [
        f"sheet settings, row 2, column B (form_id): the instrument code is 50 characters "
        f"long; at most {most} fit"
    ]


def test_a_note_with_no_question_after_it_is_refused():
    errors = _errors(_form([["text", "Q1", "First"], ["note", "bye", "Thank you"]]))
    assert errors == [
        "sheet survey, row 3, column A (type): a note is carried as the help of the question "
        "after it, and no question follows it"
    ]


def test_a_welsh_label_missing_is_named_by_row_and_column():
    file = xlsx(
        {
            "survey": [
                ["type", "name", "label::English (en)", "label::Cymraeg (cy)"],
                ["text", "Q1", "First", "Cyntaf"],
                ["text", "Q2", "Second", ""],
            ],
            "settings": [
                ["form_title", "form_id", "kind", "title_cy"],
                ["Form", "F1", "file_audit", "Ffurflen"],
            ],
        }
    )
    assert _errors(file) == [
        "sheet survey, row 3, column D (label::Cymraeg (cy)): the instrument offers Cymraeg "
        "(cy), but question Q2 has no cy text"
    ]


# ---------------------------------------------------------------------------------------------
# Saving, and the commands.


def test_import_saves_the_form_with_its_welsh_and_scoring(scrutiny):
    result = instrument_import(scrutiny=scrutiny, file=BILINGUAL)
    version = result.version
    assert version.languages == "en,cy"
    assert version.translations == {"cy": {"title": "Adborth teuluoedd"}}
    question = version.questions.get(code="F1")
    assert question.is_scored
    assert question.translations == {
        "cy": {
            "text": "Wnaeth pobl wrando arnoch chi?",
            "help": "Meddyliwch am y tri mis diwethaf.",
        }
    }
    assert question.section.translations == {"cy": {"title": "Am y cymorth a gawsoch"}}
    no = Option.objects.get(option_list__version=version, value="no")
    assert no.translations == {"cy": {"label": "Na"}}
    assert instrument_import(scrutiny=scrutiny, file=BILINGUAL).outcome == "unchanged"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_instrument_takes_kind_and_code_for_a_form(scrutiny):
    assert (
        _run(
            "import_instrument", scrutiny.slug, str(GROUPS), "--kind", "file_audit", "--code", "FA9"
        )
        == "Instrument FA9 (version 1): created.\n"
    )
    instrument = Instrument.objects.get(scrutiny=scrutiny, code="FA9")
    assert instrument.kind == "file_audit"
    assert instrument.versions.get().questions.get(code="Q2").show_if == "Q1 in (1, 2)"


def test_import_instrument_refuses_the_refused_form_and_changes_nothing(scrutiny):
    with pytest.raises(CommandError, match=r"row 3, column A \(type\): a repeat"):
        _run("import_instrument", scrutiny.slug, str(REFUSED))
    assert not InstrumentVersion.objects.exists()


def test_import_instrument_refuses_an_unknown_kind(scrutiny):
    with pytest.raises(CommandError, match="invalid choice"):
        _run("import_instrument", scrutiny.slug, str(GROUPS), "--kind", "survey")
    assert not Question.objects.exists()
