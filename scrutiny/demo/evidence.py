"""The demo scrutiny's evidence: case-file audits, survey returns, board and family feedback.

Answers are drawn with a fixed seed, so every run draws the same ones, and every response has a
stable ref: running the demo again finds each response unchanged and writes nothing. Responses
are written through the core's `ResponseWriter` (channel "demo"), so they are validated and
scored exactly as any import.

How answers are drawn (`scrutiny.demo.answers`): each source has a target for each success
factor (TARGETS), the mean answer score from 0 to 1 its evidence should give that factor, moved
by the respondent's agency and area. Who responds, and the targets, are in
`scrutiny.demo.respondents`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from scrutiny.demo import comments
from scrutiny.demo.answers import Texts, answers_draw
from scrutiny.demo.respondents import (
    AGENCY_SHIFT,
    AREA_SHIFT,
    BOARD,
    CASES,
    FAMILIES,
    PROBATION_CASES,
    SELF_ASSESSMENT_SHIFT,
    SURVEY_AGENCIES,
    TARGETS,
)
from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, ResponseWriter
from scrutiny.instruments import CompiledVersion, InstrumentDefinition, QuestionDef
from scrutiny.models import Response

SEED = 2026
START = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Wave:
    """One round of the theme's evidence: the day its gathering began, how its responses' refs
    begin, what share of the practitioners returned the survey, which case files were audited,
    and how far each factor's targets lay from this year's (TARGETS). The default is this
    year's round; an earlier one (`scrutiny.demo.earlier`) is smaller and leans otherwise."""

    start: dt.datetime = START
    prefix: str = "demo"
    survey_share: float = 1.0
    cases: tuple[tuple[str, str, str], ...] = CASES
    factor_shift: dict[str, float] = field(default_factory=dict)

    def targets(self, source: str) -> dict[str, float]:
        return {code: t + self.factor_shift.get(code, 0.0) for code, t in TARGETS[source].items()}

    def moment(self, rng: random.Random, *, first_day: int, days: int) -> dt.datetime:
        return self.start + dt.timedelta(
            days=first_day + rng.randrange(days), hours=rng.randrange(8), minutes=rng.randrange(60)
        )


THIS_YEAR = Wave()


@dataclass(frozen=True)
class Codes:
    """Database ids of the partnership's agencies, areas and roles, by code."""

    agencies: dict[str, int]
    areas: dict[str, int]
    roles: dict[str, int]

    def details(
        self,
        *,
        ref: str,
        submitted_at: dt.datetime,
        agency: str | None = None,
        area: str | None = None,
        role: str | None = None,
        case_ref: str = "",
    ) -> ResponseDetails:
        return ResponseDetails(
            agency_id=self.agencies[agency] if agency else None,
            area_id=self.areas[area] if area else None,
            role_id=self.roles[role] if role else None,
            case_ref=case_ref,
            ref=ref,
            submitted_at=submitted_at,
        )


def _sometimes(rng: random.Random, chance: float, pool: tuple[str, ...]) -> str:
    return rng.choice(pool) if rng.random() < chance else ""


def _write(
    compiled: CompiledVersion, rows: list[tuple[dict[str, Any], ResponseDetails]]
) -> ResponseWriter:
    writer = ResponseWriter(compiled=compiled, channel=Response.Channel.DEMO)
    for values, details in rows:
        errors = writer.add(values=values, details=details)
        if errors:
            raise ApplicationError(
                f"Demo response {details.ref} does not fit {compiled.instrument_code}: "
                + "; ".join(f"{code}: {message}" for code, message in errors.items())
            )
    writer.flush()
    return writer


# ---------------------------------------------------------------------------------------------
# Case-file audits.


def _audit_texts(rng: random.Random) -> Texts:
    def text(question: QuestionDef, values: dict[str, Any]) -> str:
        prefix, _, kind = question.code.rpartition("_")
        if question.code == "CONTEXT_PERIOD":
            return rng.choice(comments.AUDIT_PERIOD)
        if kind == "EVIDENCE":
            good, poor = comments.AUDIT_EVIDENCE[prefix]
            grade = values.get(f"{prefix}_GRADE")
            return rng.choice(good if grade in ("outstanding", "good") else poor)
        if question.code == "LEARN_RATIONALE":
            return rng.choice(comments.AUDIT_RATIONALE[values["LEARN_GRADE"]])
        if kind in ("WELL", "WORRY", "NEXT"):
            pools = comments.AUDIT_REFLECTION[prefix]
            return _sometimes(rng, 0.8, pools[("WELL", "WORRY", "NEXT").index(kind)])
        return ""

    return text


AUDIT_UNSCORED = {"ASSESS_DISGUISED": 0.35, "OVERSIGHT_CHALLENGE": 0.4, "ASSESS_FATHERS": 0.08}


def _case_context(rng: random.Random) -> dict[str, Any]:
    """A case's child: their age and the support they had."""
    age = rng.choice(("under_1", "1_to_4", "5_to_10", "5_to_10", "11_to_15", "16_to_17"))
    support = rng.choice(("child_in_need", "child_protection", "child_protection", "early_help"))
    return {"CONTEXT_AGE": age, "CONTEXT_SUPPORT": support}


def audits_load(
    *,
    rng: random.Random,
    compiled: CompiledVersion,
    definition: InstrumentDefinition,
    codes: Codes,
    wave: Wave = THIS_YEAR,
) -> ResponseWriter:
    """Each case's agency contributions and the agreed response that supersedes them."""
    targets = wave.targets("file_audit")
    texts = _audit_texts(rng)
    rows: list[tuple[dict[str, Any], ResponseDetails]] = []
    contributions: dict[str, list[str]] = {}
    for case_ref, council, area in wave.cases:
        fixed = _case_context(rng)
        escalate = case_ref == comments.ESCALATED_CASE
        health = "AVH" if area == "ASH" else "NHB"
        agencies = [council, "POL", health]
        if fixed["CONTEXT_AGE"] not in ("under_1", "1_to_4"):
            agencies.append("EDU")
        if case_ref in PROBATION_CASES:
            agencies.append("PRB")
        shift = AGENCY_SHIFT[council] + AREA_SHIFT[area] + rng.gauss(0, 0.08)
        moderated = wave.moment(rng, first_day=21, days=14)
        refs = []
        for agency in agencies:
            # The police found the concern that was escalated; the others did not see it.
            found = escalate and agency == "POL"
            values = answers_draw(
                rng,
                definition,
                targets=targets,
                shift=shift + SELF_ASSESSMENT_SHIFT + rng.gauss(0, 0.06),
                texts=texts,
                fixed={
                    **fixed,
                    "ESCALATE": "yes" if found else "no",
                    **({"ESCALATE_DETAIL": comments.ESCALATION_DETAIL} if found else {}),
                },
                unscored=AUDIT_UNSCORED,
            )
            ref = f"{wave.prefix}-cfa-{case_ref}-{agency}"
            refs.append(ref)
            details = codes.details(
                ref=ref,
                submitted_at=wave.moment(rng, first_day=0, days=18),
                agency=agency,
                area=area,
                case_ref=case_ref,
            )
            rows.append((values, details))
        agreed = answers_draw(
            rng,
            definition,
            targets=targets,
            shift=shift,
            texts=texts,
            fixed={
                **fixed,
                "ESCALATE": "yes" if escalate else "no",
                **({"ESCALATE_DETAIL": comments.ESCALATION_DETAIL} if escalate else {}),
            },
            unscored=AUDIT_UNSCORED,
        )
        # The agreed response is the case's, held by its council: that is its agency.
        details = codes.details(
            ref=f"{wave.prefix}-cfa-{case_ref}-agreed",
            submitted_at=moderated,
            agency=council,
            area=area,
            case_ref=case_ref,
        )
        rows.append((agreed, details))
        contributions[details.ref] = refs
    writer = _write(compiled, rows)
    _supersede(compiled, contributions)
    return writer


def _supersede(compiled: CompiledVersion, contributions: dict[str, list[str]]) -> None:
    """Point each contribution at the agreed response of its case.

    Moderating contributions into an agreed response is the audits app's service (a later
    issue); until it exists the demo sets the link itself, the one field it writes directly.
    """
    responses = Response.objects.filter(instrument_id=compiled.instrument_id)
    agreed = dict(responses.filter(ref__in=contributions).values_list("ref", "pk"))
    for agreed_ref, refs in contributions.items():
        responses.filter(ref__in=refs).exclude(superseded_by_id=agreed[agreed_ref]).update(
            superseded_by_id=agreed[agreed_ref]
        )


# ---------------------------------------------------------------------------------------------
# Practitioner survey.


def _survey_texts(rng: random.Random, ref: str) -> Texts:
    planted = comments.PLANTED.get(ref, {})

    def text(question: QuestionDef, values: dict[str, Any]) -> str:
        drawn = {
            "PS_CHANGED_EXAMPLE": lambda: _sometimes(rng, 0.7, comments.SURVEY_CHANGED),
            "PS_BARRIERS": lambda: _sometimes(rng, 0.45, comments.SURVEY_BARRIERS),
            "PS_ONE_THING": lambda: _sometimes(rng, 0.4, comments.SURVEY_ONE_THING),
        }[question.code]()
        return planted.get(question.code, drawn)

    return text


def _where_heard(rng: random.Random) -> list[str]:
    if rng.random() < 0.06:
        return ["not_heard"]
    routes = ["briefings", "training", "supervision", "team_meeting", "website", "learning_event"]
    return rng.sample(routes, rng.choice((1, 1, 2, 2, 3)))


def survey_load(
    *,
    rng: random.Random,
    compiled: CompiledVersion,
    definition: InstrumentDefinition,
    codes: Codes,
    wave: Wave = THIS_YEAR,
) -> ResponseWriter:
    """About 150 anonymous returns from every agency, role and area."""
    slots: list[tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]]] = []
    for agency, returns, roles, areas in SURVEY_AGENCIES:
        slots += [(agency, roles, areas)] * round(returns * wave.survey_share)
    rng.shuffle(slots)
    rows: list[tuple[dict[str, Any], ResponseDetails]] = []
    for number, (agency, roles, areas) in enumerate(slots, start=1):
        ref = f"{wave.prefix}-ps-{number:04d}"
        role = rng.choices([code for code, _ in roles], [weight for _, weight in roles])[0]
        area = rng.choice(areas)
        values = answers_draw(
            rng,
            definition,
            targets=wave.targets("practitioner_survey"),
            shift=AGENCY_SHIFT[agency] + AREA_SHIFT[area] + rng.gauss(0, 0.1),
            texts=_survey_texts(rng, ref),
            fixed={"PS_WHERE": _where_heard(rng)},
            unscored={"": 0.05, "PS_SUP_FREQUENCY": 0.08},
            skip=0.03,
        )
        details = codes.details(
            ref=ref,
            submitted_at=wave.moment(rng, first_day=0, days=42),
            agency=agency,
            area=area,
            role=role,
        )
        rows.append((values, details))
    return _write(compiled, rows)


# ---------------------------------------------------------------------------------------------
# Board questionnaire.


def _board_texts(rng: random.Random, ref: str) -> Texts:
    planted = comments.PLANTED.get(ref, {})

    def text(question: QuestionDef, values: dict[str, Any]) -> str:
        if question.code.endswith("_EVIDENCE"):
            rating = values.get(question.code.removesuffix("_EVIDENCE"))
            good = rating in ("strong", "some")
            return rng.choice(
                comments.BOARD_EVIDENCE_GOOD if good else comments.BOARD_EVIDENCE_POOR
            )
        return planted.get(question.code, _sometimes(rng, 0.8, comments.BOARD_RISK))

    return text


def board_load(
    *,
    rng: random.Random,
    compiled: CompiledVersion,
    definition: InstrumentDefinition,
    codes: Codes,
    wave: Wave = THIS_YEAR,
) -> ResponseWriter:
    """One return from each board member."""
    rows: list[tuple[dict[str, Any], ResponseDetails]] = []
    for number, agency in enumerate(BOARD, start=1):
        ref = f"{wave.prefix}-bq-{number:04d}"
        values = answers_draw(
            rng,
            definition,
            targets=wave.targets("board_questionnaire"),
            shift=(AGENCY_SHIFT[agency] if agency else 0.0) + rng.gauss(0, 0.08),
            texts=_board_texts(rng, ref),
        )
        details = codes.details(
            ref=ref, submitted_at=wave.moment(rng, first_day=14, days=28), agency=agency
        )
        rows.append((values, details))
    return _write(compiled, rows)


# ---------------------------------------------------------------------------------------------
# Family feedback.


def _family_texts(rng: random.Random, ref: str) -> Texts:
    planted = comments.PLANTED.get(ref, {})

    def text(question: QuestionDef, values: dict[str, Any]) -> str:
        drawn = {
            "FF_HELPER_ROLE": lambda: rng.choice(comments.FAMILY_HELPER_ROLE),
            "FF_BEST": lambda: _sometimes(rng, 0.7, comments.FAMILY_BEST),
            "FF_CHANGE": lambda: _sometimes(rng, 0.6, comments.FAMILY_CHANGE),
            "FF_ANYTHING_ELSE": lambda: _sometimes(rng, 0.3, comments.FAMILY_ANYTHING_ELSE),
        }[question.code]()
        return planted.get(question.code, drawn)

    return text


def family_load(
    *,
    rng: random.Random,
    compiled: CompiledVersion,
    definition: InstrumentDefinition,
    codes: Codes,
    wave: Wave = THIS_YEAR,
) -> ResponseWriter:
    """Ten families' feedback, some entered by a rights officer or advocate."""
    rows: list[tuple[dict[str, Any], ResponseDetails]] = []
    for number, (agency, area, who) in enumerate(FAMILIES, start=1):
        ref = f"{wave.prefix}-ff-{number:04d}"
        shift = (AGENCY_SHIFT[agency] if agency else 0.0) + (AREA_SHIFT[area] if area else 0.0)
        values = answers_draw(
            rng,
            definition,
            targets=wave.targets("family_feedback"),
            shift=shift + rng.gauss(0, 0.1),
            texts=_family_texts(rng, ref),
            fixed={"FF_WHO": who},
            unscored={"": 0.08},
            skip=0.05,
        )
        details = codes.details(
            ref=ref,
            submitted_at=wave.moment(rng, first_day=7, days=35),
            agency=agency,
            area=area,
        )
        rows.append((values, details))
    return _write(compiled, rows)
