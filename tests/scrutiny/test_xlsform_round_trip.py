"""XLSForms round trip (WORKBOOKS.md §6): each form imported, written back with
`export_instrument --xlsform`, accepted by pyxform (Welsh as `label::Cymraeg (cy)`), and read
back as the same definition: importing the export changes nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from scrutiny.instruments import QuestionDef, definition_from_version, instrument_save
from scrutiny.library import case_file_audit, family_feedback, practitioner_survey, young_people
from scrutiny.workbooks import instrument_from_workbook, instrument_import
from scrutiny.workbooks.xlsform_writing import instrument_to_xlsform
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    AUDIT,
    saved,
    scrutiny_fixture,
)

FORMS = Path(__file__).resolve().parent.parent / "workbooks" / "xlsform"
CASES = [
    ("practitioner_survey.xlsx", ""),
    ("case_audit_groups.xlsx", "file_audit"),
    ("family_feedback_bilingual.xlsx", ""),
]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_each_form_imported_exported_and_imported_again_is_unchanged(
    scrutiny, tmp_path, name, kind
):
    first = instrument_import(scrutiny=scrutiny, file=FORMS / name, kind=kind)
    out = tmp_path / "export.xlsx"
    call_command(
        "export_instrument",
        scrutiny.slug,
        first.instrument.code,
        "--out",
        str(out),
        "--xlsform",
        stdout=io.StringIO(),
    )
    result = convert(xlsform=str(out), validate=False)  # pyxform accepts what we write
    assert f'id="{first.instrument.code}"' in result.xform
    again = instrument_import(scrutiny=scrutiny, file=out)
    assert again.outcome == "unchanged"
    assert again.version.pk == first.version.pk
    assert instrument_from_workbook(out) == definition_from_version(first.version)


def test_the_bilingual_export_has_welsh_label_columns_and_points(scrutiny, tmp_path):
    saved_form = instrument_import(scrutiny=scrutiny, file=FORMS / "family_feedback_bilingual.xlsx")
    workbook = load_workbook(
        saved(instrument_to_xlsform(definition_from_version(saved_form.version)))
    )
    survey = list(workbook["survey"].iter_rows(values_only=True))
    assert survey[0] == (
        "type",
        "name",
        "label::English (en)",
        "label::Cymraeg (cy)",
        "hint::English (en)",
        "hint::Cymraeg (cy)",
        "required",
        "relevant",
        "factors",
    )
    assert survey[1][:4] == (
        "begin_group",
        "section_1",
        "About the help you had",
        "Am y cymorth a gawsoch",
    )
    assert survey[2][:4] == (
        "select_one agree",
        "F1",
        "Did people listen to you?",
        "Wnaeth pobl wrando arnoch chi?",
    )
    choices = list(workbook["choices"].iter_rows(values_only=True))
    assert choices[0] == (
        "list_name",
        "name",
        "label::English (en)",
        "label::Cymraeg (cy)",
        "points",
    )
    assert choices[3] == ("agree", "no", "No", "Na", 0)
    settings = list(workbook["settings"].iter_rows(values_only=True))
    assert dict(zip(settings[0], settings[1], strict=True))["title_cy"] == "Adborth teuluoedd"
    xform = convert(
        xlsform=saved(instrument_to_xlsform(definition_from_version(saved_form.version))),
        file_type=".xlsx",
    ).xform
    assert 'lang="Cymraeg (cy)"' in xform and "Wnaeth pethau wella?" in xform


@pytest.mark.parametrize(
    "definition",
    [
        AUDIT,
        case_file_audit.DEFINITION,
        practitioner_survey.DEFINITION,
        young_people.DEFINITION_11_17,
        family_feedback.DEFINITION,
    ],
    ids=lambda d: d.code,
)
def test_instruments_written_as_xlsforms_read_back_the_same(definition):
    file = saved(instrument_to_xlsform(definition))
    convert(xlsform=io.BytesIO(file.getvalue()), file_type=".xlsx")
    assert instrument_from_workbook(file) == definition


def test_show_if_is_written_as_relevant_with_selected_for_multiple_choice():
    definition = replace(
        AUDIT,
        questions=(
            *AUDIT.questions,
            QuestionDef(
                "Learning", "Q6", "text", "What did the briefing change?", show_if="Q3 = briefing"
            ),
            QuestionDef("Learning", "Q7", "text", "Why no briefing?", show_if="Q3 != briefing"),
        ),
    )
    file = saved(instrument_to_xlsform(definition))
    rows = list(load_workbook(file)["survey"].iter_rows(values_only=True))
    relevant = {row[1]: row[rows[0].index("relevant")] for row in rows[1:]}
    assert relevant["Q2"] == "${Q1} = '1' or ${Q1} = '2'"
    assert relevant["Q6"] == "selected(${Q3}, 'briefing')"
    assert relevant["Q7"] == "not(selected(${Q3}, 'briefing'))"
    file.seek(0)
    assert instrument_from_workbook(file) == definition


def test_an_instrument_saved_from_a_form_scores_like_its_workbook_twin(scrutiny):
    """The points column carries scoring: the same question is scored either way."""
    result = instrument_save(
        scrutiny=scrutiny, definition=instrument_from_workbook(saved(instrument_to_xlsform(AUDIT)))
    )
    assert result.version.questions.get(code="Q1").is_scored
