"""Builders for the sampling tests (no tests here): a scrutiny with a case-file audit tool, the
partnership's three areas, the made-up case list of tests/workbooks/case_lists, and an audit
started through `scrutiny.evidence` as the audit wizard starts one."""

from __future__ import annotations

from pathlib import Path

import pytest

from audits.models import Assignment, Sample
from audits.samples import SampleDrawResult, sample_draw
from scrutiny.evidence import ResponseDetails, response_save_draft
from scrutiny.instruments import (
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_current_version,
    instrument_save,
    version_compile,
)
from scrutiny.models import Agency, Area, Instrument, Partnership, Scrutiny, User

CASE_LISTS = Path(__file__).resolve().parent.parent / "workbooks" / "case_lists"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def case_list(extension: str = "csv") -> bytes:
    """The 40-row made-up case list (tests/workbooks/case_lists/make.py)."""
    return (CASE_LISTS / f"cases.{extension}").read_bytes()


def csv_bytes(*rows: str, bom: bool = False) -> bytes:
    text = "\r\n".join(rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def tool_definition(code: str = "MACFA", kind: str = "file_audit") -> InstrumentDefinition:
    return InstrumentDefinition(
        code=code,
        title="Multi-agency case-file audit" if kind == "file_audit" else "Practitioner survey",
        kind=kind,
        questions=(
            QuestionDef("The plan", "Q1", "single", "Was there a plan?", "yesno", required=True),
        ),
        option_lists={"yesno": (OptionDef("yes", "Yes"), OptionDef("no", "No"))},
    )


@pytest.fixture
def scrutiny(partnership: Partnership) -> Scrutiny:
    return Scrutiny.objects.create(
        partnership=partnership, slug="learning-2025", title="Learning from Practice 2025"
    )


@pytest.fixture
def areas(partnership: Partnership, area: Area) -> dict[str, Area]:
    """NTH Fernhill North (the conftest's), STH Fernhill South, WST Fernhill West."""
    south = Area.objects.create(partnership=partnership, code="STH", name="Fernhill South")
    west = Area.objects.create(partnership=partnership, code="WST", name="Fernhill West")
    return {"NTH": area, "STH": south, "WST": west}


@pytest.fixture
def audit_tool(scrutiny: Scrutiny) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=tool_definition()).instrument


def draw(
    scrutiny: Scrutiny,
    *,
    content: bytes | None = None,
    file_name: str = "cases.csv",
    by: str = "area",
    per: int = 4,
    seed: int = 42,
    filters: dict[str, list[str]] | None = None,
    instrument: Instrument | None = None,
    user: User | None = None,
) -> SampleDrawResult:
    return sample_draw(
        scrutiny=scrutiny,
        file_name=file_name,
        content=case_list() if content is None else content,
        by=by,
        per=per,
        seed=seed,
        filters=filters,
        instrument=instrument,
        user=user,
    )


def assign(sample: Sample, agency: Agency, auditor: User | None = None) -> Assignment:
    """An assignment of the sample's first case file that has not started."""
    return Assignment.objects.create(case=sample.cases.first(), agency=agency, auditor=auditor)


def audit_start(sample: Sample, agency: Agency, auditor: User, tool: Instrument) -> Assignment:
    """An assignment of the first case file whose auditor has saved a first page (a draft)."""
    assignment = assign(sample, agency, auditor)
    compiled = version_compile(instrument_current_version(tool))
    assignment.response = response_save_draft(
        compiled=compiled,
        values={"Q1": "yes"},
        details=ResponseDetails(agency_id=agency.pk, case_ref=assignment.case.case_ref),
        channel="audit",
        user=auditor,
    )
    assignment.save(update_fields=["response"])
    return assignment
