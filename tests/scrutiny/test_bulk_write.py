"""Batches written on a thread beside the import (`scrutiny.evidence.bulk_write.BatchWrites`):
in the import's transaction, never beside a query of the import's own thread, never past the
end of the `with`, and all or nothing with the rest of the import.

A write is slowed (a pause before the real one) where a test needs it still running when the
importing thread goes on: the rows are still written to the real database.
"""

from __future__ import annotations

import signal
import threading
import time

import pytest
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from scrutiny.errors import ApplicationError
from scrutiny.evidence import bulk_write
from scrutiny.evidence.batches import ResponseWriter
from scrutiny.models import Answer, Response
from scrutiny.workbooks import responses_import
from tests.scrutiny.test_import_speed import ROWS, plain_fixture  # noqa: F401 - fixtures
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    audit_fixture,
    lists_fixture,
    responses_file,
    scrutiny_fixture,
)


@pytest.fixture(name="slow_writes")
def slow_writes_fixture(monkeypatch):
    """Each batch's write starts 0.3 s late, on the writing thread; the threads that wrote."""
    real = bulk_write.batch_write
    threads: list[str] = []

    def late(db, batch):
        threads.append(threading.current_thread().name)
        time.sleep(0.3)
        real(db, batch)

    monkeypatch.setattr(bulk_write, "batch_write", late)
    return threads


def _batch(plain, answers: int = 1) -> bulk_write.BatchRows:
    """One new response of `plain`, like the import's, with `answers` answers to one question
    (more than one: the same answer twice, which the database refuses)."""
    template = Response.objects.get(instrument=plain)
    answer = Answer.objects.filter(response=template, option__isnull=False).first()
    columns = [f.column for f in Response._meta.concrete_fields if not f.primary_key]
    values = [getattr(template, f.attname) for f in Response._meta.concrete_fields[1:]]
    values[columns.index("ref")] = "NEW"
    values[columns.index("pseudonym")] = template.pseudonym + 1
    row = (answer.question_id, answer.option_id, "", None, None, None, False)
    answer_columns = ["response_id", "question_id", "option_id", "text", "number", "date"]
    return bulk_write.BatchRows(
        columns, [values], [*answer_columns, "score", "disclosure"], [[row] * answers]
    )


def test_a_query_of_the_importing_thread_waits_for_the_write(plain, slow_writes):
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    slow_writes.clear()
    answers = Answer.objects.count()
    with transaction.atomic(), bulk_write.BatchWrites() as writes:
        writes.write(_batch(plain))
        # The write is still pausing on its thread: the count waits for it, and sees its row.
        assert Answer.objects.count() == answers + 1
    assert slow_writes == ["batch-write"]


def test_leaving_the_with_waits_for_the_write_and_the_callers_error_wins(plain, slow_writes):
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    responses = Response.objects.count()
    with pytest.raises(ValueError, match="the caller's"), transaction.atomic():
        writes = bulk_write.BatchWrites()
        with writes:
            writes.write(_batch(plain, answers=2))  # refused by the database, on its thread
            raise ValueError("the caller's")
    assert writes.thread is None
    assert Response.objects.count() == responses


def test_a_write_the_database_refuses_is_raised_in_the_caller_and_nothing_is_kept(plain):
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    responses = Response.objects.count()
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        bulk_write.BatchWrites() as writes,
    ):
        writes.write(_batch(plain, answers=2))
    assert Response.objects.count() == responses


def test_a_write_error_caught_once_is_raised_again_and_rolls_back(plain):
    """Catching the write's error at one query cannot let the import go on: the next query
    raises it again, so does the end of the `with`, and the transaction rolls back."""
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    responses = Response.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk_write.BatchWrites() as writes:
        writes.write(_batch(plain, answers=2))
        for _ in range(2):
            with pytest.raises(IntegrityError):
                Response.objects.count()
        with pytest.raises(IntegrityError):
            writes.write(_batch(plain))
    assert Response.objects.count() == responses


class Interrupt(BaseException):
    """What a signal's handler raises in the importing thread (celery's SoftTimeLimitExceeded,
    KeyboardInterrupt)."""


@pytest.fixture(name="interrupt_soon")
def interrupt_soon_fixture():
    """Interrupt the test's thread 0.1 s after it is called, by a real signal (SIGALRM)."""

    def handler(signum, frame):
        raise Interrupt

    old = signal.signal(signal.SIGALRM, handler)
    yield lambda: signal.setitimer(signal.ITIMER_REAL, 0.1)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("caller_fails", [False, True])
@pytest.mark.django_db(transaction=True)
def test_an_interrupt_while_leaving_waits_for_the_write_and_is_not_lost(
    plain, slow_writes, interrupt_soon, caller_fails
):
    """A time limit or Ctrl-C breaking into the wait at the end of the `with`: the write still
    ends before the transaction rolls back (nothing written is committed on its own, in
    autocommit), and the interrupt goes on, even past the caller's own error."""
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    responses, answers = Response.objects.count(), Answer.objects.count()
    with pytest.raises(Interrupt), transaction.atomic(), bulk_write.BatchWrites() as writes:
        writes.write(_batch(plain))
        interrupt_soon()
        if caller_fails:
            raise ValueError("the caller's")
    assert writes.thread is None and writes.written.is_set()
    time.sleep(0.4)  # longer than the write's pause: had it still been running, it would be done
    assert (Response.objects.count(), Answer.objects.count()) == (responses, answers)


def test_a_write_whose_thread_cannot_start_is_refused_and_never_waited_for(plain, monkeypatch):
    """Out of threads ("can't start new thread"): the write is refused at once, and leaving
    the `with` does not wait for ever for a thread that never ran."""
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    responses = Response.objects.count()

    def cannot_start(thread):
        raise RuntimeError("can't start new thread")

    with transaction.atomic():
        writes = bulk_write.BatchWrites().__enter__()
        monkeypatch.setattr(threading.Thread, "start", cannot_start)
        with pytest.raises(RuntimeError):
            writes.write(_batch(plain))
        monkeypatch.undo()
        kept = writes.thread  # a thread that never ran: waiting for it would never end
        writes.thread = None
        writes.__exit__(None, None, None)
    assert kept is None
    assert Response.objects.count() == responses


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_to_start(plain):
    with pytest.raises(TransactionManagementError), bulk_write.BatchWrites():
        pass


def test_an_import_refused_after_batches_were_written_keeps_nothing(
    plain, slow_writes, monkeypatch
):
    """Two batches of two rows go to the writing thread; the fifth row is wrong. The import is
    refused with the row's problem, and none of the four rows written is kept."""
    monkeypatch.setattr(ResponseWriter, "BATCH", 2)
    wrong = ["A5", None, None, None, None, None, "not a grade", None, None, None, None]
    with pytest.raises(ApplicationError, match="row 6"), transaction.atomic():
        responses_import(instrument=plain, file=responses_file([*ROWS, wrong]))
    assert slow_writes == ["batch-write", "batch-write"]
    assert not Response.objects.filter(instrument=plain).exists()


def test_an_import_in_batches_on_the_thread_stores_what_one_write_does(plain, monkeypatch):
    responses_import(instrument=plain, file=responses_file(ROWS))
    whole = _stored_rows(plain)
    Response.objects.filter(instrument=plain).delete()
    monkeypatch.setattr(ResponseWriter, "BATCH", 1)
    assert responses_import(instrument=plain, file=responses_file(ROWS)).created == len(ROWS)
    assert _stored_rows(plain) == whole


def _stored_rows(instrument) -> list[tuple]:
    responses = Response.objects.filter(instrument=instrument).values_list(
        "ref", "agency__code", "case_ref", "submitted_at", "fingerprint", "status", "channel"
    )
    answers = Answer.objects.filter(response__instrument=instrument).values_list(
        "response__ref", "question__code", "option__value", "text", "number", "date", "score",
        "disclosure",
    )  # fmt: skip
    return [sorted(responses), sorted(answers)]
