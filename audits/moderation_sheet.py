"""The moderation sheet (a selector): each question of the audit tool with each agency's
submitted answer side by side, whether they disagree, and the agreed answer once moderated.
Recording the meeting's agreed answers: audits/moderation.py.

Which answers disagree. Single and multiple choice, number and date answers are compared after
normalising (2 and 2.0 agree; choices in any order agree), and a question answered by some
agencies but not by others disagrees. Free text is not compared: each agency's own words differ,
which is not a disagreement about the case; the meeting writes the agreed text.

A contribution submitted after the case file was moderated (an agency or a second auditor
assigned later) is *late*: the agreed response supersedes it as soon as it arrives, so it counts
in no score (audits/completion.py, SCORING.md §5), and the moderation is *stale* until the
meeting records the agreed answers again, which takes it in. Derived from the times, never
stored: late means submitted after `Moderation.moderated_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_noop

from audits.models import Assignment, CaseFile, Moderation
from scrutiny.errors import ApplicationError
from scrutiny.evidence import EMPTY, answer_values_by_response
from scrutiny.instruments import (
    CompiledQuestion,
    CompiledVersion,
    instrument_current_version,
    version_compile,
)
from scrutiny.models import InstrumentVersion, Question, Response
from scrutiny.questionnaires import answer_display

NOT_STARTED, DRAFT, SUBMITTED, MODERATED = "not_started", "draft", "submitted", "moderated"
# In English, as the API's schema names them; marked (gettext_noop) so that the sheet says them
# in the active language (`Contribution.status_words`), as it says "Not answered".
STATUS_WORDS = {
    NOT_STARTED: gettext_noop("Not started"),
    DRAFT: gettext_noop("In draft"),
    SUBMITTED: gettext_noop("Submitted"),
    MODERATED: gettext_noop("Moderated"),
}
NOT_ANSWERED = gettext_noop("Not answered")
NOT_SUBMITTED = gettext_noop("Not submitted yet")


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
    late: bool = False  # submitted after the case file was moderated, not yet taken in

    @property
    def submitted(self) -> bool:
        return self.status in (SUBMITTED, MODERATED)

    @property
    def label(self) -> str:
        name = f"{self.agency_name} ({self.agency_code})"
        if self.role == Assignment.Role.SECOND:
            return gettext("%(agency)s, independent second auditor") % {"agency": name}
        return name

    @property
    def status_words(self) -> str:
        if self.late:
            return gettext("Submitted since moderation")
        return gettext(STATUS_WORDS[self.status])


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
    section: str = ""  # the title of the tool's section it is in

    @property
    def by_answer(self) -> list[tuple[str, list[str]]]:
        """Each answer given, in words, with the contributions that gave it, in the order first
        given: a disagreement read as its split (submitted contributions only)."""
        groups: dict[str, list[str]] = {}
        for answer in self.answers:
            if answer.contribution.submitted:
                groups.setdefault(answer.display, []).append(answer.contribution.label)
        return list(groups.items())

    @property
    def common_display(self) -> str:
        """The answer every agency gave, in words, when they agree."""
        given = [a for a in self.answers if a.contribution.submitted]
        return given[0].display if given else gettext(NOT_SUBMITTED)


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
    def late(self) -> list[str]:
        """The contributions submitted since the case file was moderated, named."""
        return [c.label for c in self.contributions if c.late]

    @property
    def stale(self) -> bool:
        """Moderated, and a contribution has arrived since: moderate again to take it in."""
        return self.is_moderated and any(c.late for c in self.contributions)

    @property
    def questions(self) -> list[SheetQuestion]:
        return [q for section in self.sections for q in section.questions]

    @property
    def disagreements(self) -> list[str]:
        return [q.code for q in self.questions if q.disagree]

    @property
    def disagreeing(self) -> list[SheetQuestion]:
        """The questions where the agencies' answers differ: what the meeting is for."""
        return [q for q in self.questions if q.disagree]

    @property
    def agreeing(self) -> list[SheetQuestion]:
        """The compared questions where every agency gave the same answer (or none did)."""
        return [q for q in self.questions if q.compared and not q.disagree]

    @property
    def written(self) -> list[SheetQuestion]:
        """The free-text questions: each agency's own words, not compared."""
        return [q for q in self.questions if not q.compared]

    def initial(self) -> dict[str, Any]:
        """What the agreed answers start as: the agreed ones once moderated, else the answers
        every agency gave alike."""
        if self.is_moderated:
            return dict(self.agreed_values)
        return {q.code: q.common for q in self.questions if q.common is not None}


def submitted_since(response: Response | None, moderation: Moderation | None) -> bool:
    """Was this response submitted after the case file was moderated (so the agreement was
    not made on it)?"""
    return (
        response is not None
        and response.status == Response.Status.SUBMITTED
        and response.submitted_at is not None
        and moderation is not None
        and moderation.agreed_response_id is not None
        and moderation.moderated_at is not None
        and response.submitted_at > moderation.moderated_at
    )


def _status(response: Response | None, moderation: Moderation | None) -> str:
    if response is None:
        return NOT_STARTED
    if response.status != Response.Status.SUBMITTED:
        return DRAFT
    if response.superseded_by_id is not None and not submitted_since(response, moderation):
        return MODERATED
    return SUBMITTED


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


def _contributions(case: CaseFile, moderation: Moderation | None) -> tuple[Contribution, ...]:
    """Each agency's audit of the case, by agency code and role (one query)."""
    assignments = (
        Assignment.objects.filter(case=case)
        .select_related("agency", "auditor", "response__version")
        .order_by("agency__code", "role")
    )
    return tuple(
        Contribution(
            assignment_id=a.pk,
            agency_code=a.agency.code,
            agency_name=a.agency.name,
            role=a.role,
            auditor=str(a.auditor) if a.auditor else "",
            status=_status(a.response, moderation),
            response=a.response,
            late=submitted_since(a.response, moderation),
        )
        for a in assignments
    )


@dataclass(frozen=True)
class _SheetAnswers:
    """What the sheet's questions are built from: the submitted contributions' answers and the
    agreed answers, raw and in words, and the rationales recorded."""

    compiled: CompiledVersion
    contributions: tuple[Contribution, ...]
    values: Mapping[int, Mapping[str, Any]]  # response id to raw answers
    shown: Mapping[int, Mapping[str, str]]  # assignment id to answers in words (submitted only)
    agreed: Mapping[str, Any]
    agreed_shown: Mapping[str, str]
    rationales: Mapping[str, Any]

    @classmethod
    def read(
        cls,
        compiled: CompiledVersion,
        contributions: tuple[Contribution, ...],
        values: Mapping[int, Mapping[str, Any]],
        moderation: Moderation | None,
    ) -> _SheetAnswers:
        agreed_response = moderation.agreed_response if moderation is not None else None
        agreed = values.get(agreed_response.pk, {}) if agreed_response else {}
        return cls(
            compiled=compiled,
            contributions=contributions,
            values=values,
            shown={
                c.assignment_id: _in_words(compiled, values.get(c.response.pk, {}))
                for c in contributions
                if c.submitted and c.response is not None
            },
            agreed=agreed,
            agreed_shown=_in_words(compiled, agreed),
            rationales=moderation.rationales if moderation is not None else {},
        )

    def answer(self, contribution: Contribution, code: str) -> SheetAnswer:
        """One contribution's answer to one question; drafts are not shown."""
        if not contribution.submitted or contribution.response is None:
            return SheetAnswer(contribution, None, gettext(NOT_SUBMITTED))
        raw = self.values.get(contribution.response.pk, {}).get(code)
        raw = None if raw in EMPTY else raw
        words = self.shown[contribution.assignment_id].get(code) or gettext(NOT_ANSWERED)
        return SheetAnswer(contribution, raw, words)

    def question(self, code: str, section: str = "") -> SheetQuestion:
        """One question with every contribution's answer, compared, and the agreed answer."""
        question = self.compiled.questions[code]
        answers = tuple(self.answer(c, code) for c in self.contributions)
        given = [a for a in answers if a.contribution.submitted]
        distinct = {_comparable(question, a.value) for a in given}
        compared = question.type != Question.Type.TEXT
        alike = bool(given) and len(distinct) == 1 and None not in distinct
        return SheetQuestion(
            code=code,
            text=question.text,
            type=question.type,
            answers=answers,
            compared=compared,
            disagree=compared and len(distinct) > 1,
            common=given[0].value if alike else None,
            agreed=self.agreed.get(code),
            agreed_display=self.agreed_shown.get(code) or gettext(NOT_ANSWERED),
            rationale=str(self.rationales.get(code, "")),
            section=section,
        )

    def sections(self) -> tuple[SheetSection, ...]:
        return tuple(
            SheetSection(
                section.title, tuple(self.question(code, section.title) for code in section.codes)
            )
            for section in self.compiled.sections
        )


def _in_words(compiled: CompiledVersion, values: Mapping[str, Any]) -> dict[str, str]:
    """Question code to the answer in words."""
    return {row["code"]: row["answer"] for row in answer_display(compiled, values)}


def moderation_sheet(*, case: CaseFile) -> ModerationSheet:
    """Each question with each agency's submitted answer side by side (drafts are not shown),
    whether they disagree, and the agreed answer once moderated. A fixed number of queries."""
    moderation = (
        Moderation.objects.filter(case=case)
        .select_related("agreed_response__version", "moderated_by")
        .first()
    )
    contributions = _contributions(case, moderation)
    version = _sheet_version(case, contributions, moderation)
    compiled = version_compile(version) if version is not None else None
    agreed_response = moderation.agreed_response if moderation is not None else None
    ids = [c.response.pk for c in contributions if c.submitted and c.response is not None]
    values = answer_values_by_response(
        response_ids=[*ids, *([agreed_response.pk] if agreed_response else [])]
    )
    answers = (
        _SheetAnswers.read(compiled, contributions, values, moderation)
        if compiled is not None
        else None
    )
    return ModerationSheet(
        case=case,
        compiled=compiled,
        contributions=contributions,
        sections=answers.sections() if answers is not None else (),
        moderation=moderation,
        agreed_values=dict(answers.agreed) if answers is not None else {},
    )
