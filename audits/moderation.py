"""Recording the moderation meeting (a service): the multi-agency meeting's agreed answers for
a case file, with a rationale for every disagreement, written as ONE agreed response through
`scrutiny.evidence` that then supersedes the agencies' contributions in scoring (SCORING.md §5).

A moderated case file counts once, through its agreed response: every submitted contribution of
it is superseded, those the meeting worked from when it records the agreed answers, and one that
arrives later at the moment it is submitted (`moderation_supersede_late`, called by
`audits.completion.audit_submit`). So the counting rule itself (`Response.objects.counting()`,
"submitted and not superseded") holds for every score and count without knowing about case
files. A late contribution makes the moderation stale (`ModerationSheet.stale`) until the
meeting records the agreed answers again, which takes it in.

What the meeting works from, each agency's answers side by side: audits/moderation_sheet.py.
The audits' progress: audits/progress.py; the trail: audits/trail.py; agreement between
auditors: audits/agreement.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audits.models import AuditEvent, CaseFile, Moderation
from audits.moderation_sheet import ModerationSheet, moderation_sheet
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.evidence import (
    EMPTY,
    ResponseDetails,
    answers_clean,
    response_submit,
    responses_supersede,
)
from scrutiny.instruments import CompiledVersion
from scrutiny.models import Question, Response, User
from scrutiny.prepared import Prepared


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
                f"{a.contribution.agency_name}: {a.display}" for a in by_code[code].answers
            )
            errors[code] = (
                f"Give the reason for the agreed answer to “{by_code[code].text}”: "
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
    # Lock the case: two recordings one after the other, and a submit (moderation_case_locked).
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
    late = sheet.late
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
    if late:
        detail += f"; took in the audits submitted since by {_and_list(late)}"
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


def moderation_case_locked(case_id: int) -> int | None:
    """Lock the case file as `moderation_record` does, so that a case file is never moderated
    while one of its audits is being submitted (the audit is either moderated or late), then
    give its agreed response's id, None before it is moderated. (SQLite has no row locks: its
    one writer already holds the whole database.)

    Two statements: PostgreSQL's statement that waits for a lock answers from what was
    committed when it began, so one that locked and read at once would miss a moderation
    committed while it waited. (Today no audit can be waiting then: the meeting refuses while
    one is a draft, and an assignment cannot be added while the case file is locked, its
    foreign key waiting for the lock; the second statement keeps this true whatever changes.)

    A submit holds its assignment and draft before it asks for this lock, where the meeting
    takes this lock, then the responses it agrees: no deadlock, as long as the meeting refuses
    while any contribution is a draft (`sheet.outstanding`) before it locks a response, and a
    submit refuses a submitted audit before it asks for the case file."""
    if connection.features.has_select_for_update:
        _CASE_FILE_LOCKED.one(pk=case_id)
    # Its id only: `responses_supersede` reads the agreed response itself, under its lock.
    agreed = _AGREED.rows(case=case_id)
    return agreed[0][0] if agreed else None


# Read by every audit's submit: their SQL made once a process (scrutiny.prepared).
_CASE_FILE_LOCKED = Prepared(
    lambda pk: CaseFile.objects.select_for_update().filter(pk=pk), pk=CaseFile._meta.pk
)
_AGREED = Prepared(
    lambda case: Moderation.objects.filter(case_id=case, agreed_response__isnull=False).values_list(
        "agreed_response_id"
    ),
    case=CaseFile._meta.pk,
)


def moderation_supersede_late(*, agreed_id: int | None, response: Response) -> bool:
    """A contribution submitted after its case file was moderated: the agreed response
    (`agreed_id`, as `moderation_case_locked` gave it) supersedes it at once, so it is kept but
    counts in no score, and the moderation is stale until recorded again. True when the case
    file was moderated. The caller holds the case file's lock (`moderation_case_locked`), so
    this and `moderation_record` are taken one after the other."""
    if agreed_id is None:
        return False
    responses_supersede(agreed=Response(pk=agreed_id), contributions=[response])
    return True


def _and_list(items: Sequence[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
