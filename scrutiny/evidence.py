"""Evidence in: the one way every channel validates, saves and submits responses.

Workbook imports, the audit and survey wizards and the API all call these functions, so every
response is stored, validated and scored the same way:

- `answers_clean` checks raw answers (question code to value) against a compiled version: option
  values in their list, numbers and dates readable, required questions answered (on submit),
  and answers to questions whose show_if does not hold dropped, not stored;
- `response_save_draft` and `response_submit` write one response;
- `ResponseWriter` writes many (imports) in batches, inside the caller's transaction;
- `answer_values` turns a stored response's answers back into raw values (question code to
  value, as `answers_clean` takes them and the forms show them); `answer_values_by_response`
  does it for many responses in one query, and `answer_values_from` for rows already read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.instruments import CompiledQuestion, CompiledVersion
from scrutiny.models import Answer, Question, Response, User

EMPTY = (None, "", [], ())


@dataclass(frozen=True)
class CleanAnswer:
    question_id: int
    option_id: int | None = None
    text: str = ""
    number: Decimal | None = None
    date: dt.date | None = None
    score: float | None = None

    def key(self) -> tuple[Any, ...]:
        return (
            self.question_id,
            self.option_id,
            self.text,
            str(self.number or ""),
            str(self.date or ""),
        )


@dataclass(frozen=True)
class ResponseDetails:
    """Who and what a response is about: all optional."""

    agency_id: int | None = None
    area_id: int | None = None
    role_id: int | None = None
    case_ref: str = ""
    ref: str = ""
    submitted_at: dt.datetime | None = None


def _split_multiple(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value]
    else:
        items = str(value).split(";")
    return [item.strip() for item in items if item.strip()]


def _clean_one(question: CompiledQuestion, value: Any) -> tuple[list[CleanAnswer], str | None]:
    qid = question.id
    if question.type == Question.Type.SINGLE:
        option = question.options.get(str(value).strip())
        if option is None:
            allowed = ", ".join(question.options)
            return [], f"{value!r} is not an option of {question.code}; use one of: {allowed}"
        return [CleanAnswer(qid, option_id=option.id, score=option.score)], None
    if question.type == Question.Type.MULTIPLE:
        chosen = _split_multiple(value)
        unknown = [v for v in chosen if v not in question.options]
        if unknown:
            allowed = ", ".join(question.options)
            return [], (
                f"{', '.join(repr(u) for u in unknown)} "
                f"{'is not an option' if len(unknown) == 1 else 'are not options'} of "
                f"{question.code}; use values from: {allowed}, separated by ;"
            )
        return [
            CleanAnswer(qid, option_id=question.options[v].id) for v in dict.fromkeys(chosen)
        ], None
    if question.type == Question.Type.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return [], f"{value!r} is not a number"
        if not number.is_finite():
            return [], f"{value!r} is not a number"
        return [CleanAnswer(qid, number=number)], None
    if question.type == Question.Type.DATE:
        if isinstance(value, dt.datetime):
            return [CleanAnswer(qid, date=value.date())], None
        if isinstance(value, dt.date):
            return [CleanAnswer(qid, date=value)], None
        try:
            return [CleanAnswer(qid, date=dt.date.fromisoformat(str(value).strip()))], None
        except ValueError:
            return [], f"{value!r} is not a date; write it as YYYY-MM-DD"
    text = str(value).strip()
    limit = settings.ANSWER_TEXT_MAX_CHARS
    if len(text) > limit:
        return [], (
            f"the answer to {question.code} is {len(text):,} characters long: "
            f"shorten it to {limit:,} characters or fewer"
        )
    return [CleanAnswer(qid, text=text)], None


def _unstorable(value: Any) -> bool:
    """Whether a raw value holds what no database stores as text: a NUL character, or a lone
    surrogate (invalid Unicode, which a JSON body can carry as "\\ud800")."""
    if isinstance(value, list | tuple):
        return any(_unstorable(item) for item in value)
    if not isinstance(value, str):
        return False
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _printable(code: Any) -> str:
    """A question code as it can be shown back in a message, whatever it holds."""
    return str(code).encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def answers_clean(
    compiled: CompiledVersion, values: dict[str, Any], *, complete: bool
) -> tuple[list[CleanAnswer], dict[str, str]]:
    """Check raw answers; return the answers to store and the errors by question code.

    `complete` asks for every required question that is shown to be answered (submitting);
    a draft may leave them empty.
    """
    unstorable = {
        _printable(code): (
            f"the answer to {_printable(code)} holds a character that cannot be stored "
            "(a NUL character or invalid Unicode): remove it and send the answer again"
        )
        for code, value in values.items()
        if _unstorable(code) or _unstorable(value)
    }
    if unstorable:
        return [], unstorable
    errors: dict[str, str] = {}
    for code in values:
        if code not in compiled.questions:
            errors[code] = f"{code} is not a question of {compiled.instrument_code}"
    choice_answers: dict[str, Any] = {}
    for code, question in compiled.questions.items():
        value = values.get(code)
        if value not in EMPTY and question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            choice_answers[code] = (
                _split_multiple(value)
                if question.type == Question.Type.MULTIPLE
                else str(value).strip()
            )
    cleaned: list[CleanAnswer] = []
    for code, question in compiled.questions.items():
        value = values.get(code)
        if isinstance(value, str):
            value = value.strip()
        if not compiled.visible(code, choice_answers):
            continue  # the answer to a hidden question is not stored
        if value in EMPTY:
            if complete and question.required:
                errors[code] = f"{code} is required: answer “{question.text}”"
            continue
        answers, error = _clean_one(question, value)
        if error:
            errors[code] = error
        cleaned += answers
    return cleaned, errors


def _fingerprint(details: ResponseDetails, status: str, answers: Iterable[CleanAnswer]) -> str:
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
    """A row identifier that says nothing of when the row was written: random, below 2**52 so
    that every JSON reader keeps it exact, and above 2**40, clear of the sequence's own
    numbers. Anonymous responses and their answers take these, so that neither their ids nor
    their answers' ids order them (docs/surveys.md, "What anonymous means")."""
    return 2**40 + secrets.randbelow(2**52 - 2**40)


def _answer_rows(
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


@transaction.atomic
def _response_write(
    *,
    compiled: CompiledVersion,
    values: dict[str, Any],
    details: ResponseDetails,
    status: str,
    channel: str,
    user: User | None,
    response: Response | None,
    anonymous: bool = False,
) -> Response:
    answers, errors = answers_clean(compiled, values, complete=status == Response.Status.SUBMITTED)
    _raise_errors(compiled, errors)
    if anonymous and response is not None:
        raise ApplicationError(
            "An anonymous response is created whole when it is submitted, never from a draft."
        )
    if response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.status == Response.Status.SUBMITTED and status == Response.Status.DRAFT:
            raise ApplicationError("This response has been submitted; it can no longer be a draft.")
        if response.version_id != compiled.version_id:
            raise ApplicationError("This response belongs to another version of the instrument.")
    else:
        response = Response(
            scrutiny_id=compiled.scrutiny_id,
            instrument_id=compiled.instrument_id,
            version_id=compiled.version_id,
            source=compiled.kind,
            channel=channel,
            created_by=user,
        )
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
    response.fingerprint = _fingerprint(details, status, answers)
    if anonymous:
        response.created_by = None
        response.pk = random_id()
        response.save(force_insert=True)
        # No time finer than the day: the row's own timestamps are coarsened too.
        day = _day_start(timezone.now())
        Response.objects.filter(pk=response.pk).update(created_at=day, updated_at=day)
        response.created_at = response.updated_at = day
    else:
        response.save()
        response.answers.all().delete()
    Answer.objects.bulk_create(_answer_rows(response.pk, answers, random_ids=anonymous))
    return response


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
) -> Response:
    """Save what has been typed so far. Nothing typed is lost: values that are wrong are refused
    with their messages, and the rest of the draft stays as it was."""
    return _response_write(
        compiled=compiled,
        values=values,
        details=details,
        status=Response.Status.DRAFT,
        channel=channel,
        user=user,
        response=response,
    )


def response_submit(
    *,
    compiled: CompiledVersion,
    values: dict[str, Any],
    details: ResponseDetails = ResponseDetails(),
    channel: str,
    user: User | None = None,
    response: Response | None = None,
    anonymous: bool = False,
) -> Response:
    """Submit a response: every shown required question answered, every answer valid.

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


# ---------------------------------------------------------------------------------------------
# Stored answers back into values

# What an answer is read back from (`values_list`), in this order.
ANSWER_VALUE_FIELDS = (
    "question__code",
    "question__type",
    "option__value",
    "text",
    "number",
    "date",
)
# The order that lists a multiple-choice answer's options in their list's order.
ANSWER_VALUE_ORDER = ("question__position", "option__position")

AnswerRow = tuple[str, str, str | None, str, Decimal | None, dt.date | None]


def answer_values_from(rows: Iterable[AnswerRow]) -> dict[str, Any]:
    """One response's stored answers (rows of ANSWER_VALUE_FIELDS, in ANSWER_VALUE_ORDER) as
    raw values: a list of option values for multiple choice, the option's value for single
    choice, a number as plain decimal text, a date as ISO text, else the text."""
    values: dict[str, Any] = {}
    for code, type_, option, text, number, date in rows:
        if type_ == Question.Type.MULTIPLE:
            values.setdefault(code, [])
            if option is not None:
                values[code].append(option)
        elif type_ == Question.Type.SINGLE:
            values[code] = option or ""
        elif type_ == Question.Type.NUMBER:
            values[code] = format(number.normalize(), "f") if number is not None else ""
        elif type_ == Question.Type.DATE:
            values[code] = date.isoformat() if date else ""
        else:
            values[code] = text
    return values


def answer_values(*, response: Response) -> dict[str, Any]:
    """A stored response's answers as raw values, to fill its pages again (one query).

    Give the result as the forms' `initial` (and as the `answers` of the other pages).
    """
    return answer_values_from(
        Answer.objects.filter(response=response)
        .order_by(*ANSWER_VALUE_ORDER)
        .values_list(*ANSWER_VALUE_FIELDS)
    )


def answer_values_by_response(*, response_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each response's answers as `answer_values` gives them, for many responses in one query
    (none without ids); a response with no answers is left out."""
    ids = list(response_ids)
    if not ids:
        return {}
    rows = (
        Answer.objects.filter(response_id__in=ids)
        .order_by("response_id", *ANSWER_VALUE_ORDER)
        .values_list("response_id", *ANSWER_VALUE_FIELDS)
    )
    return {
        response_id: answer_values_from(row[1:] for row in group)
        for response_id, group in groupby(rows, key=itemgetter(0))
    }


class ResponseWriter:
    """Submits many responses in batches (imports). Use inside the caller's transaction.

    `add` validates one row and returns its errors by question code, writing nothing for a row
    with errors; the caller collects them and raises to roll everything back. A row whose ref
    was written before updates that response, and is skipped when nothing in it changed.
    """

    BATCH = 2000

    def __init__(
        self, *, compiled: CompiledVersion, channel: str, user: User | None = None
    ) -> None:
        self.compiled = compiled
        self.channel = channel
        self.user = user
        self.existing: dict[str, tuple[int, str, int]] = {
            ref: (pk, fingerprint, version_id)
            for ref, pk, fingerprint, version_id in Response.objects.filter(
                instrument_id=compiled.instrument_id
            )
            .exclude(ref="")
            .values_list("ref", "pk", "fingerprint", "version_id")
        }
        self.seen_refs: set[str] = set()
        self.pending: list[tuple[Response, list[CleanAnswer]]] = []
        self.replaced: list[int] = []
        self.created = 0
        self.updated = 0
        self.unchanged = 0

    def knows(self, ref: str) -> bool:
        return ref in self.existing

    def recognise(self, ref: str, *, response_id: int, fingerprint: str, version_id: int) -> None:
        """Treat `ref` as naming an existing response (one stored without a ref of its own)."""
        self.existing[ref] = (response_id, fingerprint, version_id)

    def add(self, *, values: dict[str, Any], details: ResponseDetails) -> dict[str, str]:
        compiled = self.compiled
        if details.ref in self.seen_refs:
            return {"ref": f"ref {details.ref!r} is used by an earlier row"}
        answers, errors = answers_clean(compiled, values, complete=True)
        if errors:
            return errors
        if details.ref:
            self.seen_refs.add(details.ref)
        fingerprint = _fingerprint(details, Response.Status.SUBMITTED, answers)
        response = Response(
            scrutiny_id=compiled.scrutiny_id,
            instrument_id=compiled.instrument_id,
            version_id=compiled.version_id,
            source=compiled.kind,
            status=Response.Status.SUBMITTED,
            channel=self.channel,
            ref=details.ref,
            agency_id=details.agency_id,
            area_id=details.area_id,
            role_id=details.role_id,
            case_ref=details.case_ref,
            submitted_at=details.submitted_at or timezone.now(),
            fingerprint=fingerprint,
            created_by=self.user,
        )
        previous = self.existing.get(details.ref) if details.ref else None
        if previous is not None:
            pk, old_fingerprint, version_id = previous
            if old_fingerprint == fingerprint and version_id == compiled.version_id:
                self.unchanged += 1
                return {}
            response.pk = pk
            self.replaced.append(pk)
            self.updated += 1
        else:
            self.created += 1
        self.pending.append((response, answers))
        if len(self.pending) >= self.BATCH:
            self.flush()
        return {}

    def flush(self) -> None:
        if not self.pending:
            return
        if self.replaced:
            replaced = set(self.replaced)
            Answer.objects.filter(response_id__in=replaced).delete()
            Response.objects.bulk_update(
                [r for r, _ in self.pending if r.pk in replaced],
                [
                    "version",
                    "agency",
                    "area",
                    "role",
                    "case_ref",
                    "submitted_at",
                    "fingerprint",
                    "status",
                    "channel",
                ],
            )
        new = [r for r, _ in self.pending if r.pk is None]
        Response.objects.bulk_create(new)
        rows: list[Answer] = []
        for response, answers in self.pending:
            rows += _answer_rows(response.pk, answers)
        Answer.objects.bulk_create(rows, batch_size=5000)
        self.pending.clear()
        self.replaced.clear()
