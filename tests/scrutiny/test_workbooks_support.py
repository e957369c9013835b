"""Shared makings for the workbook tests: workbooks built in memory, a scrutiny, an instrument.

Test modules import the fixtures by their function names (`scrutiny_fixture` …); pytest knows
them as `scrutiny`, `lists` and `audit`.

Every name and place is invented.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from scrutiny.instruments import (
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
)
from scrutiny.models import Agency, Area, Instrument, PractitionerRole, Scrutiny
from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save


def xlsx(sheets: dict[str, list[list[Any]]]) -> io.BytesIO:
    """A workbook with these sheets (first row the header), as an in-memory file.

    Values are written as openpyxl takes them: a str starting with "=" becomes a formula, which
    is what the formula tests want.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    return saved(workbook)


def saved(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def sheet_values(file: io.BytesIO, title: str | None = None) -> list[tuple[Any, ...]]:
    file.seek(0)
    workbook = load_workbook(file)
    worksheet = workbook[title] if title else workbook.worksheets[0]
    file.seek(0)
    return [tuple(row) for row in worksheet.iter_rows(values_only=True)]


GRADE = (
    OptionDef("4", "Outstanding", 4.0),
    OptionDef("3", "Good", 3.0),
    OptionDef("2", "Requires improvement", 2.0),
    OptionDef("1", "Inadequate", 1.0),
    OptionDef("na", "Not applicable", None),
)
ROUTES = (
    OptionDef("briefing", "Learning briefings"),
    OptionDef("supervision", "Supervision"),
    OptionDef("team", "Team meetings"),
)

AUDIT = InstrumentDefinition(
    code="FA1",
    title="Multi-agency case-file audit",
    kind="file_audit",
    questions=(
        QuestionDef(
            "Recognition of need",
            "Q1",
            "single",
            "How well was the child's need recognised?",
            "grade",
            True,
            (FactorRef("SF1"), FactorRef("SF3", 2.0)),
            "Grade the agency's own record.",
        ),
        QuestionDef(
            "Recognition of need",
            "Q2",
            "text",
            "What needs to happen?",
            show_if="Q1 in (1, 2)",
        ),
        QuestionDef("Learning", "Q3", "multiple", "Where was learning heard?", "routes"),
        QuestionDef("Learning", "Q4", "number", "How many practitioners were involved?"),
        QuestionDef("Learning", "Q5", "date", "When was the case last reviewed?"),
    ),
    option_lists={"grade": GRADE, "routes": ROUTES},
)


@pytest.fixture(name="scrutiny")
def scrutiny_fixture(partnership) -> Scrutiny:
    data = ScrutinyData(
        settings=ScrutinySettings(slug="learning-from-practice", title="Learning from Practice"),
        factors=(
            ("SF1", "Practitioners know the key learning from practice reviews"),
            ("SF2", "Learning reaches every agency"),
            ("SF3", "Case files show that learning is embedded in practice"),
        ),
        agencies=(),
    )
    return scrutiny_save(partnership=partnership, data=data).scrutiny


@pytest.fixture(name="lists")
def lists_fixture(partnership) -> None:
    """The partnership's agencies, areas and roles used by the responses tests."""
    Agency.objects.create(partnership=partnership, code="POL", name="Fernhill Police")
    Agency.objects.create(partnership=partnership, code="FHC", name="Fernhill Council")
    Area.objects.create(partnership=partnership, code="NTH", name="Fernhill North")
    Area.objects.create(partnership=partnership, code="STH", name="Fernhill South")
    PractitionerRole.objects.create(partnership=partnership, code="SW", name="Social worker")


@pytest.fixture(name="audit")
def audit_fixture(scrutiny, lists) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=AUDIT).instrument


HEADER = ["ref", "agency", "area", "role", "case_ref", "submitted", "Q1", "Q2", "Q3", "Q4", "Q5"]


def responses_file(rows: list[list[Any]], header: list[str] | None = None) -> io.BytesIO:
    return xlsx({"responses": [header or HEADER, *rows]})
