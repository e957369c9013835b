"""The scrutiny workbook (WORKBOOKS.md §1)."""

from __future__ import annotations

import datetime as dt

import pytest

from scrutiny.errors import ApplicationError
from scrutiny.models import Agency, Area, PractitionerRole, Scrutiny, SuccessFactor
from scrutiny.scrutinies import AgencyData
from scrutiny.workbooks import scrutiny_from_workbook, scrutiny_import, scrutiny_to_workbook
from tests.scrutiny.test_workbooks_support import saved, sheet_values, xlsx

WORKBOOK = {
    "scrutiny": [
        ["key", "value"],
        ["slug", "learning-from-practice-2024"],
        ["title", "Learning from Practice 2024"],
        ["priority", "Learning is embedded in practice"],
        ["starts", dt.datetime(2024, 4, 1)],
        ["ends", "30/06/2024"],
        ["strong_threshold", 80],
        ["some threshold", 55.5],
        ["min_responses", 6],
    ],
    "success_factors": [
        ["code", "statement"],
        ["SF1", "Practitioners know the key learning from practice reviews"],
        ["SF2", "Learning reaches every agency"],
    ],
    "sources": [["kind", "weight"], ["file_audit", 2], ["practitioner_survey", None]],
    "agencies": [
        ["code", "name", "type", "workforce"],
        ["ASH", "Ashcombe Council", "Local authority", 140],
        ["ASP", "Ashcombe Police", "police", None],
    ],
    "areas": [["code", "name"], ["EAS", "Ashcombe East"]],
    "roles": [["code", "name"], ["HV", "Health visitor"], ["SW", "Social worker"]],
}


def test_a_scrutiny_workbook_reads_into_its_data():
    data = scrutiny_from_workbook(xlsx(WORKBOOK))
    settings = data.settings
    assert settings.slug == "learning-from-practice-2024"
    assert (settings.starts, settings.ends) == (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert (settings.strong_threshold, settings.some_threshold) == (80.0, 55.5)
    assert (settings.min_responses, settings.suppression_threshold) == (6, 5)  # default
    assert [code for code, _ in data.factors] == ["SF1", "SF2"]
    assert data.source_weights == {"file_audit": 2.0, "practitioner_survey": 1.0}
    assert data.agencies == (
        AgencyData("ASH", "Ashcombe Council", "local_authority", 140),
        AgencyData("ASP", "Ashcombe Police", "police", None),
    )
    assert data.roles == (("HV", "Health visitor"), ("SW", "Social worker"))


def test_import_creates_then_the_same_workbook_changes_nothing(partnership):
    first = scrutiny_import(partnership=partnership, file=xlsx(WORKBOOK))
    assert (first.created, first.changed) == (True, True)
    second = scrutiny_import(partnership=partnership, file=xlsx(WORKBOOK))
    assert (second.created, second.changed) == (False, False)
    assert SuccessFactor.objects.count() == 2
    assert Agency.objects.get(code="ASH").workforce == 140


def test_export_then_import_changes_nothing(partnership):
    scrutiny = scrutiny_import(partnership=partnership, file=xlsx(WORKBOOK)).scrutiny
    exported = saved(scrutiny_to_workbook(scrutiny))
    assert sheet_values(exported, "scrutiny")[1:] == [
        ("slug", "learning-from-practice-2024"),
        ("title", "Learning from Practice 2024"),
        ("priority", "Learning is embedded in practice"),
        ("starts", dt.datetime(2024, 4, 1)),
        ("ends", dt.datetime(2024, 6, 30)),
        ("strong_threshold", 80),
        ("some_threshold", 55.5),
        ("min_responses", 6),
        ("suppression_threshold", 5),
    ]
    assert sheet_values(exported, "sources")[1:] == [
        ("file_audit", 2),
        ("practitioner_survey", 1),
    ]
    assert scrutiny_from_workbook(exported) == scrutiny_from_workbook(xlsx(WORKBOOK))
    exported.seek(0)
    again = scrutiny_import(partnership=partnership, file=exported)
    assert (again.created, again.changed) == (False, False)


def test_every_error_is_placed_and_nothing_is_saved(partnership):
    bad = {
        "scrutiny": [
            ["key", "value"],
            ["slug", "Learning From Practice"],
            ["title", "Learning from Practice"],
            ["starts", "next spring"],
            ["strong_threshold", 40],
            ["min_responses", 2.5],
            ["colour", "green"],
        ],
        "success_factors": [["code", "statement"], ["SF1", "A"], ["SF1", "B"], ["S F2", None]],
        "sources": [["kind", "weight"], ["audit", 1], ["file_audit", 0]],
        "agencies": [["code", "name", "type", "workforce"], ["ASH", "Ashcombe", "council", "many"]],
        "areas": [["code", "name"], [None, "Nowhere"]],
    }
    with pytest.raises(ApplicationError) as error:
        scrutiny_from_workbook(xlsx(bad))
    assert error.value.extra["errors"] == [
        "sheet scrutiny, row 7, column A (key): 'colour' is not a key of this sheet; use slug, "
        "title, priority, starts, ends, strong_threshold, some_threshold, min_responses, "
        "suppression_threshold",
        "sheet scrutiny, row 2, column B (value): slug 'Learning From Practice' may hold "
        "lower-case letters, numbers and hyphens only, e.g. learning-from-practice-2024",
        "sheet scrutiny, row 4, column B (value): 'next spring' is not a date; write it as "
        "YYYY-MM-DD",
        "sheet scrutiny, row 6, column B (value): min_responses '2.5' is not a whole number",
        "sheet scrutiny, row 5: some_threshold (50) is above strong_threshold (40): the "
        "some-evidence line must be the lower one",
        "sheet success_factors, row 3, column A (code): code SF1 is also in row 2; each code may "
        "appear once",
        "sheet success_factors, row 4, column A (code): code 'S F2': use letters, numbers, "
        "hyphens and underscores only, starting with a letter or number, at most 20 characters",
        "sheet success_factors, row 4, column B (statement): the statement is empty",
        "sheet sources, row 2, column A (kind): kind 'audit' is not one of file_audit, "
        "practitioner_survey, board_questionnaire, family_feedback, young_people",
        "sheet sources, row 3, column B (weight): weight '0' must be a number above 0 (empty "
        "means 1)",
        "sheet agencies, row 2, column C (type): type 'council' is not one of local authority, "
        "police, health, education, probation, voluntary sector, other",
        "sheet agencies, row 2, column D (workforce): workforce 'many' must be a whole number of "
        "practitioners (or empty)",
        "sheet areas, row 2, column A (code): the code is empty",
    ]
    assert not Scrutiny.objects.exists()
    assert not Agency.objects.exists()
    assert not Area.objects.exists()
    assert not PractitionerRole.objects.exists()


def test_missing_required_sheet_and_keys_are_named():
    with pytest.raises(ApplicationError) as error:
        scrutiny_from_workbook(xlsx({"scrutiny": [["key", "value"], ["priority", "x"]]}))
    assert error.value.extra["errors"] == [
        "sheet scrutiny: there is no row with key slug: add one",
        "sheet scrutiny: there is no row with key title: add one",
        "sheet success_factors: the workbook has no sheet named success_factors: add one with "
        "columns code, statement",
    ]
