"""Moderation of case-file audits, progress and the trail (agreement between auditors:
audits/agreement.py).

- `moderation_sheet` (selector): each question of the audit tool with each agency's submitted
  answer side by side, whether they disagree, and the agreed answer once moderated.
- `moderation_record` (service): the multi-agency meeting's agreed answers, with a rationale for
  every disagreement, written as ONE agreed response through `scrutiny.evidence` that then
  supersedes the contributions in scoring (SCORING.md §5).
- `audit_progress` (selector): per case, how many audits are not started, in draft, submitted,
  moderated and overdue. `audit_trail` (selector): the events of one case file.

Which answers disagree on the moderation sheet. Single and multiple choice, number and date
answers are compared after normalising (2 and 2.0 agree; choices in any order agree), and a
question answered by some agencies but not by others disagrees. Free text is not compared: each
agency's own words differ, which is not a disagreement about the case; the meeting writes the
agreed text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from audits.models import Assignment, AuditEvent, CaseFile, Moderation
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.evidence import (
    EMPTY,
    ResponseDetails,
    answer_values_by_response,
    answers_clean,
    response_submit,
    responses_supersede,
)
from scrutiny.instruments import (
    CompiledQuestion,
    CompiledVersion,
    instrument_current_version,
    version_compile,
)
from scrutiny.models import InstrumentVersion, Question, Response, Scrutiny, User
from scrutiny.questionnaires import answer_display

# ---------------------------------------------------------------------------------------------
# The moderation sheet


NOT_STARTED, DRAFT, SUBMITTED, MODERATED = "not_started", "draft", "submitted", "moderated"
STATUS_WORDS = {
    NOT_STARTED: "Not started",
    DRAFT: "In draft",
    SUBMITTED: "Submitted",
    MODERATED: "Moderated",
}


@dataclass(frozen=True)
class Contribution:
    """One agency's audit of the case (one assignment)."""

    assignment_id: int
    agency_code: str
    agency_name: str
    role: str
    auditor: str
    status: str  # NOT_STARTED, DRAFT, SUBMITTED or MODERATED
    response: Response | None

    @property
    def submitted(self) -> bool:
        return self.status in (SUBMITTED, MODERATED)

    @property
    def label(self) -> str:
        name = f"{self.agency_name} ({self.agency_code})"
        if self.role == Assignment.Role.SECOND:
            return f"{name}, independent second auditor"
        return name

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class SheetAnswer:
    contribution: Contribution
    value: Any  # the raw value (as answers_clean reads it); None when not answered
    display: str  # in words


@dataclass(frozen=True)
class SheetQuestion:
    code: str
    text: str
    type: str
    answers: tuple[SheetAnswer, ...]  # one a contribution, in the sheet's order
    compared: bool  # False for free text
    disagree: bool
    common: Any  # the answer every agency gave, when they all gave the same one; else None
    agreed: Any  # the agreed raw value once moderated; else None
    agreed_display: str
    rationale: str


@dataclass(frozen=True)
class SheetSection:
    title: str
    questions: tuple[SheetQuestion, ...]


@dataclass(frozen=True)
class ModerationSheet:
    case: CaseFile
    compiled: CompiledVersion | None
    contributions: tuple[Contribution, ...]
    sections: tuple[SheetSection, ...]
    moderation: Moderation | None
    agreed_values: dict[str, Any]

    @property
    def outstanding(self) -> list[str]:
        """The contributions still to be submitted, named."""
        return [c.label for c in self.contributions if not c.submitted]

    @property
    def ready(self) -> bool:
        return bool(self.contributions) and not self.outstanding and self.compiled is not None

    @property
    def is_moderated(self) -> bool:
        return self.moderation is not None and self.moderation.agreed_response_id is not None

    @property
    def questions(self) -> list[SheetQuestion]:
        return [q for section in self.sections for q in section.questions]

    @property
    def disagreements(self) -> list[str]:
        return [q.code for q in self.questions if q.disagree]

    def initial(self) -> dict[str, Any]:
        """What the agreed answers start as: the agreed ones once moderated, else the answers
        every agency gave alike."""
        if self.is_moderated:
            return dict(self.agreed_values)
        return {q.code: q.common for q in self.questions if q.common is not None}


def _status(response: Response | None) -> str:
    if response is None:
        return NOT_STARTED
    if response.status != Response.Status.SUBMITTED:
        return DRAFT
    return MODERATED if response.superseded_by_id is not None else SUBMITTED


def _comparable(question: CompiledQuestion, value: Any) -> Any:
    """An answer reduced so that equal answers compare equal; None for no answer."""
    if value in EMPTY:
        return None
    if question.type == Question.Type.MULTIPLE:
        items = value if isinstance(value, list | tuple) else str(value).split(";")
        return frozenset(str(v).strip() for v in items if str(v).strip()) or None
    if question.type == Question.Type.NUMBER:
        try:
            return Decimal(str(value).replace(",", "")).normalize()
        except InvalidOperation:
            return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _sheet_version(
    case: CaseFile, contributions: Sequence[Contribution], moderation: Moderation | None
) -> InstrumentVersion | None:
    """The version the agreed response answers: the agreed response's own once there is one,
    else the newest the submitted contributions answered (any contribution's, then the
    sample's audit tool's current version, while none is submitted)."""
    if moderation is not None and moderation.agreed_response is not None:
        return moderation.agreed_response.version
    responses = [c.response for c in contributions if c.response is not None]
    submitted = [r for r in responses if r.status == Response.Status.SUBMITTED]
    for group in (submitted, responses):
        if group:
            return max((r.version for r in group), key=lambda v: v.number)
    instrument = case.sample.instrument
    if instrument is None:
        return None
    try:
        return instrument_current_version(instrument)
    except ApplicationError:
        return None


def moderation_sheet(*, case: CaseFile) -> ModerationSheet:
    """Each question with each agency's submitted answer side by side (drafts are not shown),
    whether they disagree, and the agreed answer once moderated. A fixed number of queries."""
    assignments = list(
        Assignment.objects.filter(case=case)
        .select_related("agency", "auditor", "response__version")
        .order_by("agency__code", "role")
    )
    contributions = tuple(
        Contribution(
            assignment_id=a.pk,
            agency_code=a.agency.code,
            agency_name=a.agency.name,
            role=a.role,
            auditor=str(a.auditor) if a.auditor else "",
            status=_status(a.response),
            response=a.response,
        )
        for a in assignments
    )
    moderation = (
        Moderation.objects.filter(case=case)
        .select_related("agreed_response__version", "moderated_by")
        .first()
    )
    version = _sheet_version(case, contributions, moderation)
    compiled = version_compile(version) if version is not None else None
    agreed_response = moderation.agreed_response if moderation is not None else None
    ids = [c.response.pk for c in contributions if c.submitted and c.response is not None]
    values = answer_values_by_response(
        response_ids=[*ids, *([agreed_response.pk] if agreed_response else [])]
    )
    agreed_values = values.get(agreed_response.pk, {}) if agreed_response else {}
    rationales = moderation.rationales if moderation is not None else {}

    sections: list[SheetSection] = []
    if compiled is not None:
        shown = {
            c.assignment_id: {
                row["code"]: row["answer"]
                for row in answer_display(compiled, values.get(c.response.pk, {}))
            }
            for c in contributions
            if c.submitted and c.response is not None
        }
        agreed_shown = {
            row["code"]: row["answer"] for row in answer_display(compiled, agreed_values)
        }
        for section in compiled.sections:
            rows: list[SheetQuestion] = []
            for code in section.codes:
                question = compiled.questions[code]
                answers: list[SheetAnswer] = []
                for c in contributions:
                    if not c.submitted or c.response is None:
                        answers.append(SheetAnswer(c, None, "Not submitted yet"))
                        continue
                    raw = values.get(c.response.pk, {}).get(code)
                    raw = None if raw in EMPTY else raw
                    answers.append(
                        SheetAnswer(c, raw, shown[c.assignment_id].get(code, "Not answered"))
                    )
                given = [a for a in answers if a.contribution.submitted]
                distinct = {_comparable(question, a.value) for a in given}
                compared = question.type != Question.Type.TEXT
                common = (
                    given[0].value
                    if given and len(distinct) == 1 and None not in distinct
                    else None
                )
                rows.append(
                    SheetQuestion(
                        code=code,
                        text=question.text,
                        type=question.type,
                        answers=tuple(answers),
                        compared=compared,
                        disagree=compared and len(distinct) > 1,
                        common=common,
                        agreed=agreed_values.get(code),
                        agreed_display=agreed_shown.get(code, "Not answered"),
                        rationale=str(rationales.get(code, "")),
                    )
                )
            sections.append(SheetSection(section.title, tuple(rows)))
    return ModerationSheet(
        case=case,
        compiled=compiled,
        contributions=contributions,
        sections=tuple(sections),
        moderation=moderation,
        agreed_values=dict(agreed_values),
    )


# ---------------------------------------------------------------------------------------------
# Recording the moderation


def _choice_answers(compiled: CompiledVersion, values: Mapping[str, Any]) -> dict[str, Any]:
    """The choice answers among raw values, as show_if conditions read them."""
    answers: dict[str, Any] = {}
    for code, question in compiled.questions.items():
        value = values.get(code)
        if value in EMPTY:
            continue
        if question.type == Question.Type.MULTIPLE:
            items = value if isinstance(value, list | tuple) else str(value).split(";")
            answers[code] = [str(v).strip() for v in items if str(v).strip()]
        elif question.type == Question.Type.SINGLE:
            answers[code] = str(value).strip()
    return answers


def rationales_check(
    *, sheet: ModerationSheet, values: Mapping[str, Any], rationales: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The rationales to keep (stripped, non-empty) and the errors by question code: a
    rationale for a question the tool does not have, or none where the agencies disagree on a
    question that the agreed answers (`values`) still ask."""
    compiled = sheet.compiled
    assert compiled is not None
    kept: dict[str, str] = {}
    errors: dict[str, str] = {}
    for code, text in rationales.items():
        if code not in compiled.questions:
            errors[code] = f"{code} is not a question of {compiled.instrument_code}"
        elif text not in EMPTY and str(text).strip():
            kept[code] = str(text).strip()
    asked = _choice_answers(compiled, values)
    by_code = {q.code: q for q in sheet.questions}
    for code in sheet.disagreements:
        if code not in kept and compiled.visible(code, asked):
            answered = "; ".join(
                f"{a.contribution.agency_code}: {a.display}" for a in by_code[code].answers
            )
            errors[code] = (
                f"Give the reason for the agreed answer to {code} “{by_code[code].text}”: "
                f"the agencies' answers differ ({answered})"
            )
    return kept, errors


@transaction.atomic
def moderation_record(
    *,
    case: CaseFile,
    values: Mapping[str, Any],
    rationales: Mapping[str, Any],
    user: User | None,
) -> Moderation:
    """Record the moderation meeting's agreed answers for a case file.

    Every contribution must be submitted. Where the contributions disagree on a question that
    the agreed answers still ask (show_if), the rationale is required. The agreed answers are
    submitted as one response (the case's reference and area, no agency) through the core's
    evidence services, which supersedes the contributions in scoring; recording again updates
    that same response. Errors: `extra["errors"]` by question code for the answers,
    `extra["rationale_errors"]` by question code for the rationales.
    """
    # Lock the case so two people recording at once are taken one after the other.
    case = CaseFile.objects.select_for_update().select_related("sample__scrutiny").get(pk=case.pk)
    sheet = moderation_sheet(case=case)
    if not sheet.contributions:
        raise ApplicationError(
            f"No agency is assigned to case file {case.case_ref} yet: assign the agencies, "
            "let them submit their audits, then moderate."
        )
    if sheet.outstanding:
        waiting = sheet.outstanding
        raise ApplicationError(
            f"Not every agency has submitted its audit of case file {case.case_ref}: still "
            f"waiting for {_and_list(waiting)}. Moderate once they have submitted.",
            extra={"outstanding": waiting},
        )
    compiled = sheet.compiled
    assert compiled is not None  # a submitted contribution has a version

    _, answer_errors = answers_clean(compiled, dict(values), complete=True)
    kept, rationale_errors = rationales_check(sheet=sheet, values=values, rationales=rationales)
    if answer_errors or rationale_errors:
        problems = len(answer_errors) + len(rationale_errors)
        raise ApplicationError(
            f"The agreed answers have {problems} problem{'s' if problems > 1 else ''}: "
            + "; ".join([*answer_errors.values(), *rationale_errors.values()]),
            extra={"errors": answer_errors, "rationale_errors": rationale_errors},
        )

    again = sheet.is_moderated
    existing = sheet.moderation.agreed_response if sheet.moderation is not None else None
    agreed = response_submit(
        compiled=compiled,
        values=dict(values),
        details=ResponseDetails(area_id=case.area_id, case_ref=case.case_ref),
        channel=Response.Channel.AUDIT,
        user=user,
        response=existing,
    )
    contributions = [c.response for c in sheet.contributions if c.response is not None]
    responses_supersede(agreed=agreed, contributions=contributions)
    moderation, _ = Moderation.objects.update_or_create(
        case=case,
        defaults={
            "agreed_response": agreed,
            "rationales": kept,
            "moderated_by": user,
            "moderated_at": timezone.now(),
        },
    )
    settled = [code for code in sheet.disagreements if code in kept]
    detail = "Agreed answers changed" if again else "Agreed answers recorded"
    if settled:
        detail += f"; disagreements settled on {', '.join(settled)}"
    audit_event_record(
        scrutiny=case.sample.scrutiny,
        action=AuditEvent.Action.MODERATED,
        user=user,
        case=case,
        detail=detail + ".",
    )
    return moderation


def _and_list(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------------------------
# Progress and the trail


@dataclass(frozen=True)
class ProgressCounts:
    assignments: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0  # submitted, not yet moderated
    moderated: int = 0
    overdue: int = 0  # due before today and not submitted (a subset of not started and draft)

    def __add__(self, other: ProgressCounts) -> ProgressCounts:
        return ProgressCounts(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )


@dataclass(frozen=True)
class CaseProgress:
    case_id: int
    position: int
    case_ref: str
    group: str
    area: str
    counts: ProgressCounts
    moderated_at: dt.datetime | None

    @property
    def status(self) -> str:
        """The case file's stage, in words."""
        counts = self.counts
        if self.moderated_at is not None:
            return "Moderated"
        if counts.assignments == 0:
            return "No agencies assigned"
        if counts.submitted + counts.moderated == counts.assignments:
            return "Ready to moderate"
        if counts.not_started == counts.assignments:
            return "Not started"
        return "In progress"


@dataclass(frozen=True)
class AuditProgress:
    cases: tuple[CaseProgress, ...]
    totals: ProgressCounts

    @property
    def cases_moderated(self) -> int:
        return sum(1 for case in self.cases if case.moderated_at is not None)


def audit_progress(*, scrutiny: Scrutiny, today: dt.date) -> AuditProgress:
    """Per case file of the scrutiny's sample, how many of its audits are in each state, and
    the totals. One query, however many case files and audits."""
    submitted = Q(assignments__response__status=Response.Status.SUBMITTED)
    superseded = Q(assignments__response__superseded_by__isnull=False)
    not_submitted = Q(assignments__response__isnull=True) | Q(
        assignments__response__status=Response.Status.DRAFT
    )
    rows = (
        CaseFile.objects.filter(sample__scrutiny=scrutiny)
        .annotate(
            n_all=Count("assignments", distinct=True),
            n_not_started=Count(
                "assignments", filter=Q(assignments__response__isnull=True), distinct=True
            ),
            n_draft=Count(
                "assignments",
                filter=Q(assignments__response__status=Response.Status.DRAFT),
                distinct=True,
            ),
            n_submitted=Count("assignments", filter=submitted & ~superseded, distinct=True),
            n_moderated=Count("assignments", filter=submitted & superseded, distinct=True),
            n_overdue=Count(
                "assignments",
                filter=not_submitted & Q(assignments__due__lt=today),
                distinct=True,
            ),
        )
        .select_related("area", "moderation")
        .order_by("position", "pk")
    )
    cases = tuple(
        CaseProgress(
            case_id=row.pk,
            position=row.position,
            case_ref=row.case_ref,
            group=row.group,
            area=row.area.code if row.area else "",
            counts=ProgressCounts(
                row.n_all,
                row.n_not_started,
                row.n_draft,
                row.n_submitted,
                row.n_moderated,
                row.n_overdue,
            ),
            moderated_at=_moderated_at(row),
        )
        for row in rows
    )
    return AuditProgress(cases=cases, totals=sum((c.counts for c in cases), ProgressCounts()))


def _moderated_at(case: CaseFile) -> dt.datetime | None:
    try:
        moderation = case.moderation
    except Moderation.DoesNotExist:
        return None
    return moderation.moderated_at if moderation.agreed_response_id else None


def audit_trail(*, case: CaseFile) -> list[AuditEvent]:
    """Who viewed, changed, submitted, reopened or moderated the case's audits, newest first
    (one query)."""
    return list(
        AuditEvent.objects.filter(case=case)
        .select_related("user", "assignment__agency")
        .order_by("-at", "-pk")
    )
