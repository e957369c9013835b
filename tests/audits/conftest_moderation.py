"""Builders for the moderation, agreement and progress tests (no tests here).

Samples, case files and assignments are created directly; every answer is written through
`scrutiny.evidence`, as the audit wizard writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from django.utils import timezone

from audits.models import Assignment, CaseFile, Sample
from scrutiny.evidence import ResponseDetails, response_save_draft, response_submit
from scrutiny.instruments import (
    CompiledVersion,
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
    version_compile,
)
from scrutiny.models import Agency, Area, Response, Scrutiny, SuccessFactor, User

YES_NO = (OptionDef("yes", "Yes"), OptionDef("no", "No"))
# Ofsted's grade: Outstanding scores 1, Good 2/3, Requires improvement 1/3, Inadequate 0.
GRADE = (
    OptionDef("4", "Outstanding", 4),
    OptionDef("3", "Good", 3),
    OptionDef("2", "Requires improvement", 2),
    OptionDef("1", "Inadequate", 1),
    OptionDef("na", "Not applicable"),
)
ROUTES = (
    OptionDef("briefing", "Briefings"),
    OptionDef("training", "Training"),
    OptionDef("supervision", "Supervision"),
)


def audit_definition(code: str = "MACFA") -> InstrumentDefinition:
    """Two pages. Q6 (scored, SF1) follows Q1 = yes; G1 (scored, SF2) is always asked."""
    questions = (
        QuestionDef("The plan", "Q1", "single", "Was there a plan?", "yesno", required=True),
        QuestionDef("The plan", "Q2", "text", "What did the plan say?", show_if="Q1 = yes"),
        QuestionDef(
            "The plan",
            "Q6",
            "single",
            "How good was the plan?",
            "grade",
            required=True,
            factors=(FactorRef("SF1"),),
            show_if="Q1 = yes",
        ),
        QuestionDef("Practice", "Q3", "multiple", "Where was learning heard?", "routes"),
        QuestionDef("Practice", "Q4", "number", "How many visits?"),
        QuestionDef("Practice", "Q5", "date", "When was the last visit?"),
        QuestionDef(
            "Practice",
            "G1",
            "single",
            "How good was multi-agency working?",
            "grade",
            required=True,
            factors=(FactorRef("SF2"),),
        ),
    )
    return InstrumentDefinition(
        code=code,
        title="Multi-agency case-file audit",
        kind="file_audit",
        questions=questions,
        option_lists={"yesno": YES_NO, "grade": GRADE, "routes": ROUTES},
    )


class Audits:
    """A scrutiny with its audit tool and sample: add case files, assign, answer."""

    def __init__(self, scrutiny: Scrutiny, compiled: CompiledVersion) -> None:
        self.scrutiny = scrutiny
        self.compiled = compiled
        self.sample = Sample.objects.create(
            scrutiny=scrutiny,
            instrument_id=compiled.instrument_id,
            file_name="cases.csv",
            file_sha256="0" * 64,
            columns=["case_ref", "area"],
            by="area",
            per=2,
            seed=20250401,
            population=40,
            drawn_at=timezone.now(),
        )

    def case(self, ref: str, *, area: Area | None = None, group: str = "North") -> CaseFile:
        position = CaseFile.objects.filter(sample=self.sample).count()
        return CaseFile.objects.create(
            sample=self.sample, position=position, case_ref=ref, group=group, area=area
        )

    def assign(
        self,
        case: CaseFile,
        agency: Agency,
        *,
        role: str = Assignment.Role.FIRST,
        auditor: User | None = None,
        due: dt.date | None = None,
    ) -> Assignment:
        return Assignment.objects.create(
            case=case, agency=agency, role=role, auditor=auditor, due=due
        )

    def _write(
        self, assignment: Assignment, values: Mapping[str, Any], *, submit: bool
    ) -> Response:
        case = assignment.case
        write = response_submit if submit else response_save_draft
        response = write(
            compiled=self.compiled,
            values=dict(values),
            details=ResponseDetails(
                agency_id=assignment.agency_id, area_id=case.area_id, case_ref=case.case_ref
            ),
            channel=Response.Channel.AUDIT,
            user=assignment.auditor,
            response=assignment.response,
        )
        assignment.response = response
        assignment.save(update_fields=["response"])
        return response

    def submit(self, assignment: Assignment, values: Mapping[str, Any]) -> Response:
        return self._write(assignment, values, submit=True)

    def draft(self, assignment: Assignment, values: Mapping[str, Any]) -> Response:
        return self._write(assignment, values, submit=False)


def make_audits(partnership, *, slug: str = "learning-2025") -> Audits:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug=slug, title="Learning from Practice 2025"
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Agencies work well.")
    version = instrument_save(scrutiny=scrutiny, definition=audit_definition()).version
    return Audits(scrutiny, version_compile(version))


@pytest.fixture
def audits(partnership) -> Audits:
    return make_audits(partnership)


# Answers every agency might give: a whole audit, with Q6 and G1 as given.
def answers(q6: str = "3", g1: str = "3", **more: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "Q1": "yes",
        "Q2": "A child protection plan.",
        "Q6": q6,
        "Q3": ["briefing"],
        "Q4": "3",
        "Q5": "2025-03-27",
        "G1": g1,
    }
    values.update(more)
    return values
