"""New responses and their answers written in bulk, straight to the database driver
(PostgreSQL's COPY, SQLite's inserts of thousands of rows), for `ResponseWriter`; inside its
`with`, on a thread of its own while the caller reads and checks the next batch.

Why a thread: most of a batch's write is the database's own work (SQLite's b-trees, a
PostgreSQL server's COPY), during which the driver lets go of Python's lock. A million answers
spend about a third of their import there (bench/RESULTS.md), time the reading and checking of
the next rows can use.

What keeps it safe (`BatchWrites`):
- one write at a time, in the caller's transaction, on the caller's own connection: the thread
  is handed that connection's wrapper and never touches Django's `connection`, which in another
  thread is another connection, outside the transaction;
- whatever the caller's thread asks of the database through Django first waits for the write
  to end (an execute wrapper), so it sees the rows written and never runs beside them;
- leaving the `with` waits for the write, whether the caller ends or fails, and even when a
  signal (celery's time limit, Ctrl-C) breaks into the wait, so the transaction commits or
  rolls back only once nothing is being written;
- a write's error is raised in the caller's thread at its next wait, and at every wait after
  (a query, the next batch, the end of the `with`), and marks the transaction to roll back;
- a query's rows fetched lazily (`.iterator()`) would bypass the wait: the import uses none
  between its batches, and must not;
- outside a transaction it refuses to start (`TransactionManagementError`), as a row lock does.

Its statements go to the driver's own cursor, with the driver's own placeholders, so Django's
query log does not list them; their errors are still Django's (`IntegrityError`).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

from scrutiny.models import Answer, Response

# Values an insert binds at most: SQLite's own limit since 3.32 (a build may set it lower, which
# `rows_write` reads from the connection).
MAX_PARAMETERS = 32766


class BatchRows(NamedTuple):
    """A batch of new responses ready for the database: each response's values column by
    column (`response_columns`, its id left out), and each one's answers' values
    (`answer_columns` after the first, "response_id", which the write fills in)."""

    response_columns: list[str]
    responses: list[list[Any]]
    answer_columns: list[str]
    answers: list[list[tuple[Any, ...]]]


def batch_write(db: BaseDatabaseWrapper, batch: BatchRows) -> None:
    """Store a batch's responses, then their answers, on `db`'s connection."""
    ids = responses_write(db, batch.response_columns, batch.responses)
    answers = [
        (pk, *values) for pk, rows in zip(ids, batch.answers, strict=True) for values in rows
    ]
    if answers:
        rows_write(db, Answer._meta.db_table, batch.answer_columns, answers)


def responses_write(
    db: BaseDatabaseWrapper, columns: list[str], rows: list[list[Any]]
) -> list[int]:
    """Store new responses' rows and give their ids, in order."""
    if not rows:
        return []
    table = Response._meta.db_table
    if db.vendor == "postgresql":
        with db.wrap_database_errors, db.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        rows_write(
            db, table, ["id", *columns], [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
        )
        return ids
    rows_write(db, table, columns, rows)
    # One writer holds SQLite's lock for the transaction: the ids are consecutive.
    last = db.connection.execute("SELECT last_insert_rowid()").fetchone()[0]
    return list(range(last - len(rows) + 1, last + 1))


def rows_write(db: BaseDatabaseWrapper, table: str, columns: list[str], rows: list[Any]) -> None:
    """Insert `rows` (each a sequence of a value a column) into `table`: one COPY on
    PostgreSQL; on SQLite as many rows a statement as it binds values at once, which takes a
    seventh off a million answers' import against one statement a row (executemany), and
    with "?" as placeholders (Django's cursor turning thousands of "%s" into "?" a statement
    cost a tenth of it)."""
    if not rows:
        return
    quote = db.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    if db.vendor == "postgresql":
        with (
            db.wrap_database_errors,
            db.connection.cursor() as cursor,
            cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    # Names from the models' own meta, quoted; the values are parameters.
    head = f"INSERT INTO {quote(table)} ({names}) VALUES "  # noqa: S608
    limit = db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(limit, MAX_PARAMETERS) // len(columns))
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    full = head + ", ".join([one] * per)
    cursor = db.connection.cursor()
    try:
        with db.wrap_database_errors:
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                statement = full if len(chunk) == per else head + ", ".join([one] * len(chunk))
                cursor.execute(statement, [value for row in chunk for value in row])
    finally:
        cursor.close()


class BatchWrites(AbstractContextManager["BatchWrites"]):
    """Each batch written (`batch_write`) on a thread of its own, one at a time, while the
    caller goes on: see the module's docstring for what keeps it safe."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.db = connections[using]
        self.thread: threading.Thread | None = None
        self.written = threading.Event()
        self.error: BaseException | None = None
        self.guard: AbstractContextManager[None] | None = None

    def __enter__(self) -> BatchWrites:
        if not self.db.in_atomic_block:
            raise TransactionManagementError(
                "Batches are written beside the caller only inside its transaction."
            )
        self.db.ensure_connection()
        self.guard = self.db.execute_wrapper(self._first_wait)
        self.guard.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            interrupt = self._ended()
        finally:
            assert self.guard is not None
            self.guard.__exit__(None, None, None)
            self.guard = None
        if interrupt is not None:
            raise interrupt  # a time limit or Ctrl-C, once nothing is being written
        if exc_type is None and self.error is not None:
            transaction.set_rollback(True, using=self.db.alias)
            raise self.error  # else the caller's own error goes on, and the transaction rolls back

    def write(self, batch: BatchRows) -> None:
        """Start writing `batch` once the last batch is written (raising its error, if any)."""
        self.wait()
        self.written = threading.Event()
        thread = threading.Thread(target=self._run, args=(batch,), name="batch-write")
        thread.start()  # kept once started: a thread that could not start is never waited for
        self.thread = thread

    def wait(self) -> None:
        """Wait for the batch being written, and raise its error, if any. A write's error is
        raised again at every wait after it, and marks the transaction to roll back, so that
        catching it once cannot let the import go on and commit what was written."""
        interrupt = self._ended()
        if interrupt is not None:
            raise interrupt
        if self.error is not None:
            transaction.set_rollback(True, using=self.db.alias)
            raise self.error

    def _ended(self) -> BaseException | None:
        """Wait until the write has ended, whatever breaks into the wait: an exception a signal
        raises (celery's time limit, Ctrl-C) is kept and given back, never let the transaction
        end while its rows are still being written."""
        interrupt: BaseException | None = None
        while self.thread is not None:
            try:
                # An event, not the thread's join: on Python 3.11 a join broken into by a
                # signal marks the thread ended while it still runs.
                self.written.wait()
                self.thread = None
            except BaseException as exc:  # given back once the write has ended
                interrupt = interrupt or exc
        return interrupt

    def _run(self, batch: BatchRows) -> None:
        try:
            batch_write(self.db, batch)
        except BaseException as exc:  # raised again in the caller's thread (`wait`)
            self.error = exc
        finally:
            self.written.set()

    def _first_wait(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.wait()
        return execute(sql, params, many, context)
