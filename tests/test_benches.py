"""Every bench under bench/ still runs, at its smallest size.

The figures in bench/RESULTS.md are only worth what the benches that made them are: a bench
that no longer runs cannot show that a target still holds or that nothing got slower. Four of
them stopped running when responses gained their random pseudonym (a column the benches' own
bulk inserts did not fill), and nothing said so until the next measurement. Each bench here
runs as a person runs it, in a process of its own on a throwaway SQLite database (no
DATABASE_URL, no Redis), with sizes small enough to take seconds.

`bench/survey_load.py` is left out: it needs the optional `bench` extra (locust) and a
PostgreSQL cluster of its own. The benches' PostgreSQL branches (COPY, the import's database
floor) run only when a bench is pointed at PostgreSQL by hand: pointed at the suite's own test
database, a bench's committed rows would meet the tests'.

Each bench gets a static folder of its own (`STATIC_ROOT`): `bench/answering_cpu.py` runs
`collectstatic`, and CI runs the suite on SQLite and on PostgreSQL at once. A bench that runs
too long is stopped with every process it started (its gunicorn, its child processes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(("bench", "arguments", "row"), BENCHES, ids=[b[0] for b in BENCHES])
def test_bench_runs(bench: str, arguments: list[str], row: str, tmp_path: Path) -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in SERVICES and name != "DJANGO_SETTINGS_MODULE"
    }
    environment["STATIC_ROOT"] = str(tmp_path / "static")
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
    assert row in stdout, stdout[-4000:]
