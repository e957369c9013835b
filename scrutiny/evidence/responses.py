"""Writing one response: the one way every channel saves, submits, reopens and supersedes.

The audit and survey wizards, the moderation and the API all call these, so every response is
stored, validated (`scrutiny.evidence.cleaning.answers_clean`) and scored the same way:

- `response_save_draft` and `response_submit` write one response (`response_draft_check` checks
  a draft without storing it); `anonymous` submits with random ids and no time finer than the day;
- `response_reopen` makes a submitted response a draft again;
- `responses_supersede` lets one agreed response count in place of its contributions;
- `response_fingerprint` and `answer_rows` are shared with the batches of imports
  (`scrutiny.evidence.batches`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from scrutiny.disclosure.flagged import disclosure_told
from scrutiny.errors import ApplicationError
from scrutiny.evidence.cleaning import CleanAnswer, answers_clean
from scrutiny.evidence.stored import StoredAnswers, answers_disclose, answers_rewrite
from scrutiny.instruments import CompiledVersion
from scrutiny.models import Answer, Response, User
from scrutiny.models.evidence import random_number


@dataclass(frozen=True)
class ResponseDetails:
    """Who and what a response is about: all optional."""

    agency_id: int | None = None
    area_id: int | None = None
    role_id: int | None = None
    case_ref: str = ""
    ref: str = ""
    submitted_at: dt.datetime | None = None
    language: str = ""  # the language the questions were shown in (en, cy); "" not known


def response_fingerprint(
    details: ResponseDetails, status: str, answers: Iterable[CleanAnswer]
) -> str:
    content = [
        details.agency_id,
        details.area_id,
        details.role_id,
        details.case_ref,
        details.submitted_at.isoformat() if details.submitted_at else None,
        status,
        sorted(a.key() for a in answers),
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def random_id() -> int:
    """A row identifier that says nothing of when the row was written (`random_number`).
    Anonymous responses and their answers take these, so that neither their ids nor their
    answers' ids order them (docs/surveys.md, "What anonymous means")."""
    return random_number()


def answer_rows(
    response_id: int, answers: Iterable[CleanAnswer], *, random_ids: bool = False
) -> list[Answer]:
    return [
        Answer(
            id=random_id() if random_ids else None,
            response_id=response_id,
            question_id=a.question_id,
            option_id=a.option_id,
            text=a.text,
            number=a.number,
            date=a.date,
            score=a.score,
        )
        for a in answers
    ]


def _raise_errors(compiled: CompiledVersion, errors: dict[str, str]) -> None:
    if errors:
        raise ApplicationError(
            f"The answers to {compiled.instrument_code} have {len(errors)} problem"
            f"{'s' if len(errors) > 1 else ''}: " + "; ".join(errors.values()),
            extra={"errors": errors},
        )


def _response_write(
    *,
    compiled: CompiledVersion,
    values: dict[str, Any],
    details: ResponseDetails,
    status: str,
    channel: str,
    user: User | None,
    response: Response | None,
    locked: bool = False,
    stored: StoredAnswers | None = None,
    anonymous: bool = False,
) -> Response:
    if stored is not None and not locked:
        raise ValueError("stored answers are given only as read under the response's lock")
    answers, errors = answers_clean(compiled, values, complete=status == Response.Status.SUBMITTED)
    _raise_errors(compiled, errors)
    if anonymous and response is not None:
        raise ApplicationError(
            "An anonymous response is created whole when it is submitted, never from a draft."
        )
    if response is not None and locked:
        _check_writable(response, compiled=compiled, status=status)
    # No savepoint inside a caller's transaction (an audit's, an invitation's): every caller
    # lets a failure end its own, and a savepoint is two round trips more a save.
    with transaction.atomic(savepoint=False):
        if response is not None and not locked:
            response = _locked(response)
            _check_writable(response, compiled=compiled, status=status)
        return _response_store(
            compiled=compiled,
            answers=answers,
            details=details,
            status=status,
            channel=channel,
            user=user,
            response=response,
            stored=stored,
            anonymous=anonymous,
        )


def _response_store(
    *,
    compiled: CompiledVersion,
    answers: list[CleanAnswer],
    details: ResponseDetails,
    status: str,
    channel: str,
    user: User | None,
    response: Response | None,
    stored: StoredAnswers | None,
    anonymous: bool,
) -> Response:
    """`_response_write`'s writing, the response (if stored before) read under its lock."""
    new = response is None
    if response is None:
        response = Response(
            scrutiny_id=compiled.scrutiny_id,
            instrument_id=compiled.instrument_id,
            version_id=compiled.version_id,
            source=compiled.kind,
            channel=channel,
            created_by=user,
        )
    if details.language:
        response.language = details.language
    submitted_at = details.submitted_at
    if status == Response.Status.SUBMITTED and submitted_at is None:
        submitted_at = response.submitted_at or timezone.now()
    if anonymous and submitted_at is not None:
        submitted_at = _day_start(submitted_at)
    details = ResponseDetails(
        details.agency_id,
        details.area_id,
        details.role_id,
        details.case_ref,
        details.ref,
        submitted_at,
    )
    response.status = status
    response.agency_id = details.agency_id
    response.area_id = details.area_id
    response.role_id = details.role_id
    response.case_ref = details.case_ref
    response.ref = details.ref or response.ref
    response.submitted_at = submitted_at if status == Response.Status.SUBMITTED else None
    response.fingerprint = response_fingerprint(details, status, answers)
    if anonymous:
        response.created_by = None
        response.pk = random_id()
        # No time finer than the day, in any version of the row: its own timestamps are the
        # day's from the insert on. `raw` writes them as given, where `save` would put the
        # exact time first (auto_now) and leave it behind in the old row version an update
        # makes, and in a log of statements.
        response.created_at = response.updated_at = _day_start(timezone.now())
        response.save_base(raw=True, force_insert=True)
    else:
        response.save()
    rows = answer_rows(response.pk, answers, random_ids=anonymous)
    if new:
        waiting = answers_disclose(compiled, rows) > 0
        Answer.objects.bulk_create(rows)
    else:
        waiting = answers_rewrite(compiled, [(response.pk, rows)], stored=stored)
    if waiting and response.status == Response.Status.SUBMITTED:
        # The lead told of a possible disclosure waiting to be looked at.
        disclosure_told(scrutiny_id=compiled.scrutiny_id)
    return response


def _locked(response: Response) -> Response:
    """The stored response read again and locked until the transaction ends."""
    return Response.objects.select_for_update().get(pk=response.pk)


def _check_writable(response: Response, *, compiled: CompiledVersion, status: str) -> None:
    """Refused unless the stored response, as read under its lock, may take this write."""
    if response.status == Response.Status.SUBMITTED and status == Response.Status.DRAFT:
        raise ApplicationError("This response has been submitted; it can no longer be a draft.")
    if response.version_id != compiled.version_id:
        raise ApplicationError("This response belongs to another version of the instrument.")


def _day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight UTC of the moment's day (UTC)."""
    day = moment.astimezone(dt.UTC).date()
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def response_draft_check(*, compiled: CompiledVersion, values: dict[str, Any]) -> None:
    """Check answers so far as `response_save_draft` would, storing nothing: for a channel that
    keeps its drafts apart from responses (an anonymous survey's invitation)."""
    _, errors = answers_clean(compiled, values, complete=False)
    _raise_errors(compiled, errors)


def response_save_draft(
    *,
    compiled: CompiledVersion,
    values: dict[str, Any],
    details: ResponseDetails = ResponseDetails(),
    channel: str,
    user: User | None = None,
    response: Response | None = None,
    locked: bool = False,
) -> Response:
    """Save what has been typed so far. Nothing typed is lost: values that are wrong are refused
    with their messages, and the rest of the draft stays as it was.

    `locked`: the caller read `response` under its row lock in the transaction it holds now
    (an audit, with its assignment), so it is not read again."""
    return _response_write(
        compiled=compiled,
        values=values,
        details=details,
        status=Response.Status.DRAFT,
        channel=channel,
        user=user,
        response=response,
        locked=locked,
    )


def response_submit(
    *,
    compiled: CompiledVersion,
    values: dict[str, Any],
    details: ResponseDetails = ResponseDetails(),
    channel: str,
    user: User | None = None,
    response: Response | None = None,
    locked: bool = False,
    stored: StoredAnswers | None = None,
    anonymous: bool = False,
) -> Response:
    """Submit a response: every shown required question answered, every answer valid.

    `locked`, as for `response_save_draft`; `stored`, the locked response's answers as the
    caller read them under that lock (`answers_stored`: an audit submits its draft as saved),
    so that they are not read again to be compared with those submitted.

    `anonymous` creates the response whole (never from a draft) with random identifiers for it
    and its answers, no time finer than the day (submitted_at, created_at and updated_at at
    midnight UTC of the day) and no user; the caller keeps no link of its own to the response.
    """
    return _response_write(
        compiled=compiled,
        values=values,
        details=details,
        status=Response.Status.SUBMITTED,
        channel=channel,
        user=user,
        response=response,
        locked=locked,
        stored=stored,
        anonymous=anonymous,
    )


@transaction.atomic
def response_reopen(*, response: Response) -> Response:
    """Make a submitted response a draft again, so that it can be corrected and resubmitted.

    The caller checks who may reopen and records why; a response that a moderated, agreed
    response has superseded stays as it is, because the agreement was made on it.
    """
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.SUBMITTED:
        raise ApplicationError("Only a submitted response can be reopened; this one is a draft.")
    if response.superseded_by_id is not None:
        raise ApplicationError(
            "This response has been moderated into an agreed response and cannot be reopened."
        )
    response.status = Response.Status.DRAFT
    response.submitted_at = None
    response.fingerprint = ""
    response.save(update_fields=["status", "submitted_at", "fingerprint", "updated_at"])
    return response


@transaction.atomic
def responses_supersede(*, agreed: Response, contributions: Iterable[Response]) -> int:
    """Let one agreed response count in place of the contributions it was moderated from
    (SCORING.md §5). Returns how many contributions it now supersedes."""
    agreed = Response.objects.select_for_update().get(pk=agreed.pk)
    if agreed.status != Response.Status.SUBMITTED:
        raise ApplicationError("The agreed response must be submitted before it supersedes.")
    ids = [c.pk for c in contributions]
    if agreed.pk in ids:
        raise ApplicationError("An agreed response cannot supersede itself.")
    rows = list(Response.objects.select_for_update().filter(pk__in=ids))
    for row in rows:
        if row.instrument_id != agreed.instrument_id:
            raise ApplicationError(
                f"Response {row.pk} answers another instrument than the agreed response."
            )
        if row.status != Response.Status.SUBMITTED:
            raise ApplicationError(f"Response {row.pk} is a draft: only submitted ones are agreed.")
    Response.objects.filter(pk__in=ids).update(superseded_by=agreed)
    return len(rows)
