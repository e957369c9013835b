"""Builders of scoring evidence, shared by the scoring, disclosure, command and API tests.

No tests here. Everything is built through the core services (scrutiny_save, instrument_save,
response_submit, ResponseWriter), as a channel would, never by inserting answers by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from scrutiny.evidence import (
    ResponseDetails,
    ResponseWriter,
    response_save_draft,
    response_submit,
)
from scrutiny.instruments import (
    CompiledVersion,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
    parse_factors,
    version_compile,
)
from scrutiny.models import Agency, Area, Partnership, Response, Scrutiny
from scrutiny.scrutinies import AgencyData, ScrutinyData, ScrutinySettings, scrutiny_save

# Ofsted's four-point grade: scores 0, 1/3, 2/3, 1.
GRADE = (
    OptionDef("4", "Outstanding", 4),
    OptionDef("3", "Good", 3),
    OptionDef("2", "Requires improvement", 2),
    OptionDef("1", "Inadequate", 1),
    OptionDef("na", "Not applicable", None),
)
# Five-point agreement: scores 0, 1/4, 1/2, 3/4, 1.
AGREE = (
    OptionDef("5", "Strongly agree", 5),
    OptionDef("4", "Agree", 4),
    OptionDef("3", "Neither agree nor disagree", 3),
    OptionDef("2", "Disagree", 2),
    OptionDef("1", "Strongly disagree", 1),
    OptionDef("dk", "Don't know", None),
)
OPTION_LISTS: dict[str, tuple[OptionDef, ...]] = {"grade": GRADE, "agree": AGREE}

FACTORS = (
    ("SF1", "Practitioners know the key learning from practice reviews"),
    ("SF2", "Learning reaches every agency through routes practitioners actually use"),
)


def make_scrutiny(
    partnership: Partnership,
    *,
    slug: str = "learning-from-practice",
    title: str = "Learning from Practice",
    factors: Sequence[tuple[str, str]] = FACTORS,
    source_weights: Mapping[str, float] | None = None,
    min_responses: int = 5,
    suppression_threshold: int = 5,
    strong: float = 75,
    some: float = 50,
    agencies: Iterable[str] = (),
    areas: Iterable[str] = (),
) -> Scrutiny:
    data = ScrutinyData(
        settings=ScrutinySettings(
            slug=slug,
            title=title,
            strong_threshold=strong,
            some_threshold=some,
            min_responses=min_responses,
            suppression_threshold=suppression_threshold,
        ),
        factors=tuple(factors),
        source_weights=dict(source_weights or {}),
        agencies=tuple(AgencyData(code, f"Agency {code}") for code in agencies),
        areas=tuple((code, f"Area {code}") for code in areas),
    )
    return scrutiny_save(partnership=partnership, data=data).scrutiny


@dataclass(frozen=True)
class Q:
    """A question: code, option list name, factors as a workbook writes them (`SF1:2; SF2`)."""

    code: str
    options: str = "grade"
    factors: str = "SF1"
    type: str = "single"


def make_instrument(
    scrutiny: Scrutiny,
    *,
    code: str,
    kind: str,
    questions: Sequence[Q],
    option_lists: Mapping[str, tuple[OptionDef, ...]] = OPTION_LISTS,
) -> CompiledVersion:
    definition = InstrumentDefinition(
        code=code,
        title=f"Instrument {code}",
        kind=kind,
        questions=tuple(
            QuestionDef(
                section="Evidence",
                code=q.code,
                type=q.type,
                text=f"Question {q.code}",
                options=q.options if q.type in ("single", "multiple") else "",
                factors=parse_factors(q.factors),
            )
            for q in questions
        ),
        option_lists=dict(option_lists),
    )
    return version_compile(instrument_save(scrutiny=scrutiny, definition=definition).version)


class Evidence:
    """Submits responses to a scrutiny's instruments, naming agencies and areas by code."""

    def __init__(self, scrutiny: Scrutiny) -> None:
        self.scrutiny = scrutiny
        partnership = scrutiny.partnership_id
        self.agencies = dict(
            Agency.objects.filter(partnership_id=partnership).values_list("code", "pk")
        )
        self.areas = dict(Area.objects.filter(partnership_id=partnership).values_list("code", "pk"))

    def details(
        self, agency: str | None = None, area: str | None = None, case_ref: str = ""
    ) -> ResponseDetails:
        return ResponseDetails(
            agency_id=self.agencies[agency] if agency else None,
            area_id=self.areas[area] if area else None,
            case_ref=case_ref,
        )

    def submit(
        self,
        compiled: CompiledVersion,
        values: Mapping[str, Any],
        *,
        agency: str | None = None,
        area: str | None = None,
        case_ref: str = "",
        draft: bool = False,
    ) -> Response:
        write = response_save_draft if draft else response_submit
        return write(
            compiled=compiled,
            values=dict(values),
            details=self.details(agency, area, case_ref),
            channel=Response.Channel.API,
        )

    def submit_many(
        self,
        compiled: CompiledVersion,
        rows: Iterable[Mapping[str, Any]],
        *,
        agency: str | None = None,
        area: str | None = None,
    ) -> int:
        """Many responses at once, as a workbook import writes them."""
        with transaction.atomic():
            writer = ResponseWriter(compiled=compiled, channel=Response.Channel.WORKBOOK)
            for values in rows:
                errors = writer.add(values=dict(values), details=self.details(agency, area))
                assert not errors, errors
            writer.flush()
        return writer.created


def supersede(contributions: Iterable[Response], *, agreed: Response) -> None:
    """Mark audit contributions as replaced by the moderated, agreed response.

    Moderation itself belongs to the audits app; scoring only reads `superseded_by`.
    """
    Response.objects.filter(pk__in=[r.pk for r in contributions]).update(superseded_by=agreed)


# The worked example of docs/scoring.md ----------------------------------------------------------

WORKED_FACTORS = (
    ("SF1", "Practitioners know the key learning from practice reviews"),
    ("SF2", "Review actions are tracked to completion and their impact on children is checked"),
)

# (case reference, agency, area, Q1, Q2)
WORKED_AUDITS = (
    ("C-101", "POL", "NTH", "3", "4"),
    ("C-102", "FHC", "NTH", "2", "na"),
    ("C-103", "FHC", "STH", "na", "na"),
    ("C-104", "EDU", "STH", "3", "3"),
)
# (agency, area, P1)
WORKED_RETURNS = (
    ("POL", "NTH", "5"),
    ("POL", "NTH", "4"),
    ("POL", "STH", "4"),
    ("POL", "STH", "3"),
    ("FHC", "NTH", "3"),
    ("FHC", "NTH", "4"),
    ("FHC", "STH", "2"),
    ("FHC", "STH", "3"),
    ("FHC", "STH", "4"),
    ("EDU", "STH", "dk"),
    ("EDU", "NTH", "5"),
    (None, "NTH", "5"),
    (None, None, "2"),
)


def build_worked_example(
    partnership: Partnership, *, slug: str = "learning-from-practice"
) -> Scrutiny:
    """The scrutiny of docs/scoring.md: 4 case-file audits and 13 survey returns."""
    scrutiny = make_scrutiny(
        partnership,
        slug=slug,
        factors=WORKED_FACTORS,
        source_weights={"file_audit": 2},
        agencies=["EDU", "FHC", "POL"],
        areas=["NTH", "STH"],
    )
    audit = make_instrument(
        scrutiny,
        code="A1",
        kind="file_audit",
        questions=[Q("Q1", factors="SF1:2"), Q("Q2", factors="SF1")],
    )
    survey = make_instrument(
        scrutiny, code="PS1", kind="practitioner_survey", questions=[Q("P1", "agree")]
    )
    evidence = Evidence(scrutiny)
    for case_ref, agency, area, q1, q2 in WORKED_AUDITS:
        evidence.submit(audit, {"Q1": q1, "Q2": q2}, agency=agency, area=area, case_ref=case_ref)
    for agency, area, p1 in WORKED_RETURNS:
        evidence.submit(survey, {"P1": p1}, agency=agency, area=area)
    return scrutiny


WORKED_JSON = {
    "scrutiny": "learning-from-practice",
    "factors": [
        {
            "code": "SF1",
            "statement": "Practitioners know the key learning from practice reviews",
            "score": 61.7,
            "rating": "some",
            "n": 15,
            "sources": {
                "file_audit": {"score": 59.3, "n": 3},
                "practitioner_survey": {"score": 66.7, "n": 12},
            },
            "agencies": {
                "EDU": {"suppressed": True},
                "FHC": {"score": 40.6, "n": 6},
                "POL": {"suppressed": True},
            },
            "areas": {"NTH": {"score": 64.8, "n": 8}, "STH": {"score": 62.8, "n": 6}},
        },
        {
            "code": "SF2",
            "statement": (
                "Review actions are tracked to completion and their impact on children is checked"
            ),
            "score": None,
            "rating": "insufficient",
            "n": 0,
            "sources": {},
            "agencies": {},
            "areas": {},
        },
    ],
}
