"""Every bench under bench/ still runs, at its smallest size.

The figures in bench/RESULTS.md are only worth what the benches that made them are: a bench
that no longer runs cannot show that a target still holds or that nothing got slower. Four of
them stopped running when responses gained their random pseudonym (a column the benches' own
bulk inserts did not fill), and nothing said so until the next measurement. Each bench here
runs as a person runs it, in a process of its own on a throwaway SQLite database (no
DATABASE_URL, no Redis), with sizes small enough to take seconds.

`bench/survey_load.py` is left out: it needs the optional `bench` extra (locust) and a
PostgreSQL cluster of its own.

When the suite runs on PostgreSQL (CI does), the benches with a PostgreSQL branch of their own
(COPY, the import's database floor) run there too, each in a database of its own on the suite's
server, made for it and dropped after: never the suite's test database, where a bench's
committed rows would meet the tests'.

Each bench gets a static folder of its own (`STATIC_ROOT`): `bench/answering_cpu.py` runs
`collectstatic`, and CI runs the suite on SQLite and on PostgreSQL at once. A bench that runs
too long is stopped with every process it started (its gunicorn, its child processes).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]

# Each bench, the arguments of its smallest run, and a piece of the table row that run prints.
BENCHES = [
    ("scoring.py", ["--sizes", "1000"], "1,000 |"),
    ("pack.py", ["--sizes", "1000"], "1,000 |"),
    ("pages.py", ["--sizes", "1000", "--runs", "2"], "1,000 |"),
    ("plan.py", ["--sizes", "10"], "10 |"),
    ("redaction.py", ["--sizes", "1000"], "Ms then spaces"),
    ("export_responses.py", ["--scale", "0.001", "--formats", "xlsx", "csv"], "| csv  |"),
    ("import_responses.py", ["--sizes", "1000", "--no-trace"], "csv"),
    ("answering_cpu.py", ["--databases", "sqlite", "--journeys", "1", "--warm", "1"], "at once"),
]
# What would point a bench at the suite's own services instead of a throwaway database.
SERVICES = ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")


def test_every_bench_is_listed() -> None:
    runnable = {path.name for path in (ROOT / "bench").glob("*.py")}
    helpers = {"survey_load.py", "survey_load_users.py"}  # need the `bench` extra (locust)
    assert runnable - helpers == {name for name, _, _ in BENCHES}


# The benches with a PostgreSQL branch of their own, and what their run there must print.
POSTGRES_BENCHES = [
    ("scoring.py", ["--sizes", "1000"], "1,000 |"),
    ("pack.py", ["--sizes", "1000"], "1,000 |"),
    ("pages.py", ["--sizes", "1000", "--runs", "2"], "1,000 |"),
    ("export_responses.py", ["--scale", "0.001", "--formats", "csv"], "| csv  |"),
    # The database's floor ("db s") is a number of seconds on PostgreSQL, "-" on SQLite.
    ("import_responses.py", ["--sizes", "1000", "--no-trace"], re.compile(r"\d\.\d\d +\d+\.\d \|")),
]


def bench_run(
    bench: str, arguments: list[str], row: str | re.Pattern[str], static: Path, database: str = ""
) -> None:
    """Run `bench` as a person would, on a throwaway SQLite database or on `database`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in SERVICES and name != "DJANGO_SETTINGS_MODULE"
    }
    environment["STATIC_ROOT"] = str(static)
    if database:
        environment["DATABASE_URL"] = database
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / bench), *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, to be stopped whole
    )
    try:
        stdout, stderr = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"bench/{bench} ran for more than 300 s")
    assert process.returncode == 0, stderr[-4000:]
    if isinstance(row, str):
        assert row in stdout, stdout[-4000:]
    else:
        assert row.search(stdout), stdout[-4000:]


@pytest.mark.parametrize(("bench", "arguments", "row"), BENCHES, ids=[b[0] for b in BENCHES])
def test_bench_runs(bench: str, arguments: list[str], row: str, tmp_path: Path) -> None:
    bench_run(bench, arguments, row, tmp_path / "static")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """The address of a new, empty database on the suite's PostgreSQL server, dropped after."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; on PostgreSQL (CI) these benches run there too")
    given = connection.settings_dict
    name = f"bench_smoke_{os.getpid()}"
    server = {
        "host": given["HOST"] or "127.0.0.1",
        "port": given["PORT"] or 5432,
        "user": given["USER"],
        "password": given["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{quote(given['PASSWORD'], safe='')}" if given["PASSWORD"] else ""
    try:
        yield (
            f"postgresql://{quote(given['USER'], safe='')}{password}"
            f"@{server['host']}:{server['port']}/{name}"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.parametrize(
    ("bench", "arguments", "row"), POSTGRES_BENCHES, ids=[b[0] for b in POSTGRES_BENCHES]
)
def test_bench_runs_on_postgresql(
    bench: str,
    arguments: list[str],
    row: str | re.Pattern[str],
    tmp_path: Path,
    postgres_database: str,
) -> None:
    bench_run(bench, arguments, row, tmp_path / "static", postgres_database)
