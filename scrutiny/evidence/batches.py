"""Many responses submitted in batches, inside the caller's transaction: the workbook import of
responses and the demo's evidence (`ResponseWriter`). Each row is checked as a single response is
(`scrutiny.evidence.cleaning.answers_clean`) and stored as one is, in bulk.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from scrutiny.disclosure.flagged import disclosure_told
from scrutiny.disclosure.harm import DISCLOSURE_SOURCES
from scrutiny.evidence.bulk_write import BatchRows, BatchWrites, batch_write
from scrutiny.evidence.cleaning import CleanAnswer, answer_clean_alone, answers_clean
from scrutiny.evidence.responses import ResponseDetails, answer_rows, response_fingerprint
from scrutiny.evidence.stored import answers_disclose, answers_rewrite
from scrutiny.instruments import CompiledVersion
from scrutiny.models import Answer, Question, Response, User
from scrutiny.models.evidence import random_number


class Pending(NamedTuple):
    """A response checked and waiting for its batch: what varies from one to the next (the rest
    is the writer's), and the pk of the stored response it replaces (None for a new one)."""

    pk: int | None
    details: ResponseDetails
    submitted_at: dt.datetime
    fingerprint: str
    answers: list[CleanAnswer]


class ResponseWriter:
    """Submits many responses in batches (imports). Use inside the caller's transaction.

    `add` validates one row and returns its errors by question code, writing nothing for a row
    with errors; the caller collects them and raises to roll everything back. A row whose ref
    was written before updates that response, and is skipped when nothing in it changed.

    Used as a context manager (`with ResponseWriter(...) as writer:`, inside the transaction),
    it writes each batch's new rows on a thread of its own while the caller reads and checks
    the next (`bulk_write.BatchWrites`), and leaving the `with` waits for the last write.
    Without it, each batch is written before `add` or `flush` returns.
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
        self.cleaner = BulkCleaner(compiled)
        self.seen_refs: set[str] = set()
        self.pending: list[Pending] = []
        self.replaced: list[int] = []
        self.created = 0
        self.updated = 0
        self.unchanged = 0
        self.writes: BatchWrites | None = None

    def __enter__(self) -> ResponseWriter:
        self.writes = BatchWrites().__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        writes, self.writes = self.writes, None
        assert writes is not None
        writes.__exit__(*exc_info)

    def knows(self, ref: str) -> bool:
        return ref in self.existing

    def recognise(self, ref: str, *, response_id: int, fingerprint: str, version_id: int) -> None:
        """Treat `ref` as naming an existing response (one stored without a ref of its own)."""
        self.existing[ref] = (response_id, fingerprint, version_id)

    def add(self, *, values: dict[str, Any], details: ResponseDetails) -> dict[str, str]:
        compiled = self.compiled
        if details.ref in self.seen_refs:
            return {"ref": f"ref {details.ref!r} is used by an earlier row"}
        answers, errors = self.cleaner.clean(values)
        if errors:
            return errors
        if details.ref:
            self.seen_refs.add(details.ref)
        fingerprint = response_fingerprint(details, Response.Status.SUBMITTED, answers)
        previous = self.existing.get(details.ref) if details.ref else None
        if previous is not None:
            pk, old_fingerprint, version_id = previous
            if old_fingerprint == fingerprint and version_id == compiled.version_id:
                self.unchanged += 1
                return {}
            self.replaced.append(pk)
            self.updated += 1
        else:
            self.created += 1
        self.pending.append(
            Pending(
                previous[0] if previous is not None else None,
                details,
                details.submitted_at or timezone.now(),
                fingerprint,
                answers,
            )
        )
        if len(self.pending) >= self.BATCH:
            self.flush()
        return {}

    def template(self) -> Response:
        """A response with what every one this writer stores shares (scrutiny, version,
        source, status, channel, author)."""
        compiled = self.compiled
        return Response(
            scrutiny_id=compiled.scrutiny_id,
            instrument_id=compiled.instrument_id,
            version_id=compiled.version_id,
            source=compiled.kind,
            status=Response.Status.SUBMITTED,
            channel=self.channel,
            created_by=self.user,
        )

    def flush(self) -> None:
        if not self.pending:
            return
        if self.replaced:
            Response.objects.bulk_update(
                [self.rewritten(p) for p in self.pending if p.pk is not None],
                [
                    "updated_at",
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
        new = [p for p in self.pending if p.pk is None]
        if new:
            batch = BatchRows(
                *responses_rows(self.template(), new),
                *answers_rows(self.compiled, [p.answers for p in new]),
            )
            if self.writes is not None:
                self.writes.write(batch)
            else:
                batch_write(connection, batch)
        # A response imported again with something changed keeps its answers that did not
        # change, and the quotes and reviews made of them (`answers_replace`). Rare: as model
        # instances, flagged as a single response's are.
        replacing = [(p.pk, answer_rows(p.pk, p.answers)) for p in self.pending if p.pk is not None]
        if replacing and answers_rewrite(self.compiled, replacing):
            disclosure_told(scrutiny_id=self.compiled.scrutiny_id)
        self.pending.clear()
        self.replaced.clear()

    def rewritten(self, pending: Pending) -> Response:
        response = self.template()
        response.pk = pending.pk
        response.updated_at = timezone.now()  # moves its scrutiny's evidence stamp (scrutiny.kept)
        response.agency_id = pending.details.agency_id
        response.area_id = pending.details.area_id
        response.role_id = pending.details.role_id
        response.case_ref = pending.details.case_ref
        response.submitted_at = pending.submitted_at
        response.fingerprint = pending.fingerprint
        return response


class BulkCleaner:
    """`answers_clean(compiled, values, complete=True)` for many rows, each distinct answer
    checked once.

    Where no question has a show_if, whether an answer is shown does not depend on the others,
    so answers_clean checks each answer alone: the row's clean answers are then those of each
    (question, value), checked once (`answer_clean_alone`, answers_clean's own check of an
    answer) and remembered. A row with anything wrong
    (an error, a required question unanswered), a value that cannot be remembered (a list) or
    an instrument with conditions is checked whole by answers_clean, so the answers and the
    errors are always exactly what answers_clean gives. A free-text answer is checked each time
    and not remembered: it rarely repeats, and remembering every comment would make memory grow
    with the rows.
    """

    KINDS = (str, int, float, Decimal, bool, dt.date, dt.datetime)
    LIMIT = 100_000  # distinct answers remembered at most (free text is not)

    def __init__(self, compiled: CompiledVersion) -> None:
        self.compiled = compiled
        self.order = {code: n for n, code in enumerate(compiled.questions)}
        self.separable = all(q.show_if is None for q in compiled.questions.values())
        self.required = set(answers_clean(compiled, {}, complete=True)[1])
        self.known: dict[tuple[str, type, str], list[CleanAnswer] | None] = {}
        self.free_text = {c for c, q in compiled.questions.items() if q.type == Question.Type.TEXT}

    def one(self, code: str, value: Any) -> list[CleanAnswer] | None:
        if code in self.free_text:
            return answer_clean_alone(self.compiled, code, value)
        # Text is its own key; other values by their repr, which tells apart what compares
        # equal but is stored or fingerprinted differently (1 and True, Decimal 1 and 1.0,
        # the same moment in two time zones).
        key = (code, value.__class__, value if value.__class__ is str else repr(value))
        found = self.known.get(key, self)
        if found is self:
            found = answer_clean_alone(self.compiled, code, value)
            if len(self.known) < self.LIMIT:
                self.known[key] = found
        return found  # type: ignore[return-value]

    def clean(self, values: dict[str, Any]) -> tuple[list[CleanAnswer], dict[str, str]]:
        if self.separable and self.required <= values.keys():
            cleaned: list[tuple[int, list[CleanAnswer]]] = []
            for code, value in values.items():
                answers = self.one(code, value) if value.__class__ in self.KINDS else None
                if answers is None or code not in self.order:
                    break
                cleaned.append((self.order[code], answers))
            else:
                cleaned.sort(key=lambda item: item[0])
                return [a for _, answers in cleaned for a in answers], {}
        return answers_clean(self.compiled, values, complete=True)


# What varies from one response of a writer to the next: Pending holds it, or each row draws it.
_VARYING = frozenset(
    {
        "ref",
        "agency_id",
        "area_id",
        "role_id",
        "case_ref",
        "fingerprint",
        "submitted_at",
        "pseudonym",
    }
)


def responses_rows(
    template: Response, responses: list[Pending]
) -> tuple[list[str], list[list[Any]]]:
    """New responses' columns and each one's values, each `template` but for what its Pending
    holds, without a model instance a response or Django preparing each field of each."""
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    constant = {
        f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection)
        for f in fields
        if f.attname not in _VARYING
    }
    submitted = _field(Response, "submitted_at")

    def row(pending: Pending) -> list[Any]:
        details = pending.details
        varying = {
            "ref": details.ref,
            "agency_id": details.agency_id,
            "area_id": details.area_id,
            "role_id": details.role_id,
            "case_ref": details.case_ref,
            "fingerprint": pending.fingerprint,
            "submitted_at": submitted.get_db_prep_save(pending.submitted_at, connection),
            "pseudonym": random_number(),  # each its own (the field's default, once a row)
        }
        return [varying[name] if name in _VARYING else constant[name] for name in names]

    return [f.column for f in fields], [row(p) for p in responses]


_ANSWER_COLUMNS = ("response", "question", "option", "text", "number", "date", "score")


def answers_rows(
    compiled: CompiledVersion, answers_by_response: list[list[CleanAnswer]]
) -> tuple[list[str], list[list[tuple[Any, ...]]]]:
    """The answers' columns and, for each new response, its answers' values without their
    response (which the write fills in), without a model instance an answer. Free text goes
    through the disclosure rule (`answers_disclose`) as model instances first."""
    # Free text as model instances only for the sources the harm rule reads.
    texts = [
        (index, a)
        for index, answers in enumerate(
            answers_by_response if compiled.kind in DISCLOSURE_SOURCES else ()
        )
        for a in answers
        if a.text
    ]
    text_rows = [Answer(question_id=a.question_id, text=a.text) for _, a in texts]
    if answers_disclose(compiled, text_rows):
        disclosure_told(scrutiny_id=compiled.scrutiny_id)
    flagged = {
        (index, a.question_id)
        for (index, a), row in zip(texts, text_rows, strict=True)
        if row.disclosure
    }
    fields = [_field(Answer, name) for name in _ANSWER_COLUMNS]
    number, date = fields[4], fields[5]
    rows = [
        [
            (
                a.question_id,
                a.option_id,
                a.text,
                None if a.number is None else number.get_db_prep_save(a.number, connection),
                None if a.date is None else date.get_db_prep_save(a.date, connection),
                a.score,
                (index, a.question_id) in flagged if a.text else False,
            )
            for a in answers
        ]
        for index, answers in enumerate(answers_by_response)
    ]
    return [f.column for f in fields] + ["disclosure"], rows


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field
