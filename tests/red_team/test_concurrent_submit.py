"""Ten submits of one invitation at the same moment: one is stored, nine answer 409, none 500.

Attack (issue 12): on SQLite, parallel submits of one token gave 500 "database is locked". SQLite
now begins each transaction IMMEDIATE and waits for the writer before it (config/settings.py);
a writer still locked out past the timeout is a 503 to try again (scrutiny.errors).

Real threads, each with its own database connection, through the real API. pytest-django's
SQLite test database lives in memory with a shared cache, where a second writer fails at once
("database table is locked") whatever the timeout, unlike the file a deployment uses: on SQLite
the test copies the database to a file and points every new connection at it. On PostgreSQL
(CI runs the suite there too) the threads use the test database as it is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny.errors import DATABASE_BUSY, is_database_busy
from scrutiny.models import Response
from tests.surveys.conftest import COMPLETE, make_invitation
from tests.surveys.conftest import survey as survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.conftest import survey_tool as survey_tool

THREADS = 10
T = TypeVar("T")


@contextmanager
def database_on_file(tmp_path: Path) -> Iterator[None]:
    """On SQLite, the test database as it is now, as a file, for every new connection opened
    inside (each thread opens its own); the in-memory one stays open, untouched, for
    pytest-django."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "test.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    dicts = {id(d): d for d in (connection.settings_dict, connections.settings["default"])}
    names = {key: d["NAME"] for key, d in dicts.items()}
    for d in dicts.values():
        d["NAME"] = str(path)
    try:
        yield
    finally:
        for key, d in dicts.items():
            d["NAME"] = names[key]


def in_a_thread(work: Callable[[], T]) -> T:
    """`work` on a connection of its own (the file, on SQLite), closed afterwards."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # handed back to the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def submit_at_once(url: str, body: dict[str, Any], times: int) -> list[tuple[int, dict]]:
    start = threading.Barrier(times)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            start.wait()
            answer = APIClient().post(url, body, format="json")
            with lock:
                answers.append((answer.status_code, answer.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_ten_submits_of_one_invitation_store_one(tmp_path, survey, council):
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")

    with database_on_file(tmp_path):
        answers = submit_at_once(url, {"token": token, "answers": COMPLETE}, THREADS)
        stored = in_a_thread(lambda: Response.objects.filter(scrutiny=survey.scrutiny).count())

    codes = sorted(code for code, _ in answers)
    assert codes == [201] + [409] * (THREADS - 1), answers
    for code, body in answers:
        if code == 409:
            assert "already been submitted" in body["detail"]
    assert stored == 1


@pytest.mark.django_db(transaction=True)
def test_a_writer_waits_for_another_instead_of_failing(tmp_path, survey, council):
    """The setting underneath: a transaction holding the write lock makes another that reads
    and then writes wait (SQLite: IMMEDIATE and the timeout), and the second goes through once
    the first commits."""
    from django.db import transaction

    from surveys.models import Invitation

    invitation, _ = make_invitation(survey, "ash@fernhill.invalid", council)
    holding = threading.Event()
    release = threading.Event()

    def first() -> None:
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(email="first@fernhill.invalid")
            holding.set()
            release.wait(timeout=10)

    def second() -> str:
        holding.wait(timeout=10)
        threading.Timer(0.3, release.set).start()
        with transaction.atomic():
            # Read, then write, as a submit does: without IMMEDIATE, SQLite cannot upgrade the
            # read lock while the other holds the write lock, and fails at once without waiting.
            seen = Invitation.objects.get(pk=invitation.pk)
            seen.email = "second@fernhill.invalid"
            seen.save(update_fields=["email"])
        return "written"

    with database_on_file(tmp_path):
        holder = threading.Thread(target=lambda: in_a_thread(first))
        holder.start()
        assert in_a_thread(second) == "written"
        holder.join()
        email = in_a_thread(lambda: Invitation.objects.get(pk=invitation.pk).email)
    assert email == "second@fernhill.invalid"


@pytest.mark.django_db
def test_a_locked_database_is_a_503_to_try_again_on_the_api(survey, council, monkeypatch):
    """Past the timeout the API and the pages say to try again, never a 500."""
    from django.db import OperationalError

    from surveys.services import answering as services

    def locked(**kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "survey_submit", locked)
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")
    answer = APIClient().post(url, {"token": token, "answers": COMPLETE}, format="json")
    assert answer.status_code == 503
    assert answer.json() == {"detail": DATABASE_BUSY}
    assert answer["Retry-After"]


def test_a_locked_database_is_a_503_to_try_again_on_a_page(client, monkeypatch):
    from django.db import OperationalError

    from scrutiny.views import core

    def locked(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(core, "health_check", locked)
    answer = client.get(reverse("health"))
    assert answer.status_code == 503
    assert DATABASE_BUSY in answer.content.decode()


def test_only_a_locked_database_counts_as_busy():
    from django.db import OperationalError

    assert is_database_busy(OperationalError("database is locked"))
    assert is_database_busy(OperationalError("database table is locked"))
    assert not is_database_busy(OperationalError("no such table: scrutiny_response"))
    assert not is_database_busy(ValueError("database is locked"))


def test_a_reader_never_holds_up_a_writers_commit_on_a_sqlite_file(tmp_path):
    """A deployment's SQLite file runs in WAL mode (config.env.sqlite_options): while a long
    read (a pack, an export) keeps its snapshot open, a submit still commits at once. In the
    default rollback journal the commit waits for the reader, here past a 0.2 s timeout."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from config.env import sqlite_options

    def opened(alias: str) -> Any:
        options = {**sqlite_options(), "timeout": 0.2}
        wrapper = DatabaseWrapper(
            {
                **connections.settings["default"],
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": options,
            },
            alias=alias,
        )
        # The backend's own new connection, as Django opens one (its init_command run), in
        # autocommit as Django sets it.
        opened = wrapper.get_new_connection(wrapper.get_connection_params())
        opened.isolation_level = None
        return opened

    writer, reader = opened("writer"), opened("reader")
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    writer.execute("CREATE TABLE answer (text TEXT)")
    writer.execute("INSERT INTO answer VALUES ('first')")
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM answer").fetchone() == (1,)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO answer VALUES ('second')")
    writer.execute("COMMIT")  # in a rollback journal: "database is locked"
    assert reader.execute("SELECT count(*) FROM answer").fetchone() == (1,)  # its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM answer").fetchone() == (2,)
    writer.close()
    reader.close()
