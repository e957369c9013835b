"""CPU of answering a page against a bare page: one gunicorn sync worker, the production settings,
requests one after another from a plain HTTP client (http.client; no locust), on PostgreSQL and
on SQLite (issue 19).

    .venv/bin/python bench/answering_cpu.py --postgres postgresql://postgres@127.0.0.1:5434/bench_w
    .venv/bin/python bench/answering_cpu.py --journeys 100 --databases sqlite

Give PostgreSQL a database of its own (createdb); it is migrated. SQLite runs in a throwaway
file, inside the worker: its CPU is the worker's ("in the worker"). With
--conn-max-age 0 PostgreSQL's share is not measured (a server process a request).
For each database, in a process of its own, it builds a survey with personal links (as
bench/survey_load.py does, reusing its helpers) and a case-file audit with an auditor signed in
with a second factor (a database session holding django-otp's device, as tests' `client_for`),
starts gunicorn with 1 sync worker, and reads the worker's CPU time before and after every
request: /proc/<pid>/schedstat (nanoseconds on the CPU, every thread) and, as a cross-check over
the whole run, utime + stime of /proc/<pid>/stat (10 ms ticks). On PostgreSQL the worker keeps
its connection (DATABASE_CONN_MAX_AGE, default 600 here) so that the database's share is the CPU
of that one server process, read the same way.

The table: CPU ms per request (mean over every request of that kind), the ratio to the bare
page, and the database's ms. Then practitioners served at once by one 2-core machine at a page
every 20 s: (2 cores x 1000 ms/s) / (CPU ms of a page turn, worker + database) x 20 s, where a
page turn is what answering one page costs on average over a whole survey (start to submit).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import survey_load  # bench/ is not a package: its sibling, by path

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PRODUCTION = survey_load.PRODUCTION
BARE = ["/accessibility/", "/privacy/", "/"]


# ---------------------------------------------------------------------------------------------
# Reading CPU time


def _cpu_ns(pid: int) -> int:
    """Nanoseconds process `pid` has run on a CPU, all its threads."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError):  # a thread that just ended
            total += int((task / "schedstat").read_text().split()[0])
    return total


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def worker_pid(master: int) -> int:
    for _ in range(50):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


# ---------------------------------------------------------------------------------------------
# A browser: cookies, CSRF, no redirects followed (each request is counted on its own)


class Browser:
    def __init__(self, host: str, meter: Meter) -> None:
        parts = urlsplit(host)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.cookies: dict[str, str] = {}
        self.meter = meter
        self.text = ""

    def request(self, name: str, method: str, path: str, data: dict | None = None) -> str:
        """Sends one request, counted as `name`; returns the redirect's path, else ''."""
        headers = {"Host": self.address[0]}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        with self.meter.measure(name):
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            self.text = response.read().decode()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        if response.status not in (200, 302):
            raise RuntimeError(f"{name}: {method} {path} answered {response.status}")
        return urlsplit(response.headers.get("Location", "")).path

    def get(self, name: str, path: str) -> str:
        return self.request(name, "GET", path)

    def post(self, name: str, path: str, data: dict) -> str:
        token = CSRF.search(self.text)
        if token is None:
            raise RuntimeError(f"{name}: no CSRF token on the page before {path}")
        return self.request(name, "POST", path, {"csrfmiddlewaretoken": token.group(1), **data})


class Meter:
    """CPU of the worker (and of its database server process, if any) per request, by name."""

    def __init__(self, worker: int, database: int | None) -> None:
        self.worker = worker
        self.database = database
        self.on = True
        self.rows: dict[str, list[tuple[int, int]]] = {}

    def measure(self, name: str) -> _Measure:
        return _Measure(self, name)


class _Measure:
    def __init__(self, meter: Meter, name: str) -> None:
        self.meter, self.name = meter, name

    def _now(self) -> tuple[int, int]:
        database = self.meter.database
        return _cpu_ns(self.meter.worker), _cpu_ns(database) if database else 0

    def __enter__(self) -> None:
        self.start = self._now()

    def __exit__(self, *exc: object) -> None:
        # The worker's counters move when it goes back to waiting: wait for that.
        time.sleep(0.003)
        end = self._now()
        if self.meter.on:
            delta = (end[0] - self.start[0], end[1] - self.start[1])
            self.meter.rows.setdefault(self.name, []).append(delta)


# ---------------------------------------------------------------------------------------------
# The data and the journeys


def make_audits(count: int) -> tuple[int, list[int], dict[str, str]]:
    """A case-file audit tool, `count` case files each assigned to one auditor; returns the
    auditor's id, the assignments and the cookies of a session with a second factor proved."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audits.models import Assignment, CaseFile, Sample
    from scrutiny.instruments import InstrumentDefinition, instrument_save
    from scrutiny.models import Agency, Scrutiny, SuccessFactor, User

    agency = Agency.objects.get(code="BEN")
    scrutiny = Scrutiny.objects.create(
        partnership=agency.partnership, slug=f"bench-audit-{int(time.time())}", title="Audit"
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    survey_tool = scrutiny_survey_definition()
    definition = InstrumentDefinition(**{**survey_tool, "code": "AUDIT", "kind": "file_audit"})
    tool = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    now = timezone.now()
    sample = Sample.objects.create(
        scrutiny=scrutiny,
        instrument=tool,
        file_name="cases.csv",
        file_sha256="0" * 64,
        columns=["case_ref"],
        by="area",
        per=count,
        seed=1,
        population=count,
        drawn_at=now,
    )
    auditor = User.objects.create_user(
        f"auditor-{scrutiny.slug}@bench.invalid",
        partnership=agency.partnership,
        role=User.Role.AUDITOR,
        agency=agency,
    )
    device = TOTPDevice.objects.create(user=auditor, name="Bench phone", confirmed=True)
    cases = CaseFile.objects.bulk_create(
        CaseFile(sample=sample, position=i, case_ref=f"CF-{i:05}", group="ALL", data={})
        for i in range(count)
    )
    due = timezone.localdate() + dt.timedelta(days=14)
    assignments = Assignment.objects.bulk_create(
        Assignment(case=case, agency=agency, auditor=auditor, role=Assignment.Role.FIRST, due=due)
        for case in cases
    )
    from importlib import import_module

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(auditor.pk)
    session[BACKEND_SESSION_KEY] = "scrutiny.backends.PasswordBackend"  # as a sign-in stores
    session[HASH_SESSION_KEY] = auditor.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cookie = {settings.SESSION_COOKIE_NAME: session.session_key or ""}
    return auditor.pk, [a.pk for a in assignments], cookie


def scrutiny_survey_definition() -> dict[str, Any]:
    """bench/survey_load.py's two-page survey, as the audit tool's keyword arguments."""
    from scrutiny.instruments import FactorRef, OptionDef, QuestionDef

    grade = tuple(OptionDef(str(p), f"Grade {p}", p) for p in (4, 3, 2, 1))
    return {
        "title": "Case-file audit",
        "questions": (
            QuestionDef("About the case", "Q1", "single", "Was there a plan?", "yesno", True),
            QuestionDef("About the case", "Q2", "text", "What did it say?", show_if="Q1 = yes"),
            QuestionDef(
                "Practice", "Q6", "single", "How good?", "grade", True, factors=(FactorRef("SF1"),)
            ),
            QuestionDef("Practice", "Q7", "text", "Anything else?"),
        ),
        "option_lists": {"yesno": (OptionDef("yes", "Yes"), OptionDef("no", "No")), "grade": grade},
    }


def answer_survey(browser: Browser, token: str) -> None:
    """As a practitioner's phone: the personal link, each page shown and saved, the check
    page, the submit and the thanks page."""
    base = browser.get("survey: personal link (to a cookie)", f"/i/{token}/")
    browser.get("survey: start page", base)
    page = f"{base}0/"
    browser.get("survey: show a page", page)
    first = {"0-Q1": "yes", "0-Q2": "Weekly visits and a review.", "action": "continue"}
    page = browser.post("survey: save a page", page, first)
    browser.get("survey: show a page", page)
    last = {"1-Q6": "3", "1-Q7": "Supervision helped.", "action": "continue"}
    check = browser.post("survey: save a page", page, last)
    browser.get("survey: check page", check)
    thanks = browser.post("survey: submit", check, {"action": "submit"})
    browser.get("survey: thanks page", thanks)


def answer_audit(browser: Browser, assignment: int) -> None:
    """An auditor's audit: page 1 shown and saved, page 2 shown and saved, check, submit."""
    base = f"/audits/{assignment}/fill/"
    browser.get("audit: show a page", f"{base}0/")
    first = {"revision": "0", "action": "continue", "0-Q1": "yes", "0-Q2": "A plan."}
    page = browser.post("audit: save a page", f"{base}0/", first)
    browser.get("audit: show a page", page)
    last = {"revision": "1", "action": "continue", "1-Q6": "3", "1-Q7": "Thin notes."}
    check = browser.post("audit: save a page", page, last)
    browser.get("audit: check page", check)
    browser.post("audit: submit", check, {"revision": "2", "action": "submit"})


def database_backend(url: str) -> int | None:
    """The PostgreSQL server process of the worker's kept connection (not this process's)."""
    if not url.startswith("postgres"):
        return None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        pids = [row[0] for row in cursor.fetchall()]
    if len(pids) > 1:
        raise RuntimeError(f"expected the worker's one connection, found {pids}")
    return pids[0] if pids else None  # none kept (DATABASE_CONN_MAX_AGE=0): counted nowhere


# ---------------------------------------------------------------------------------------------
# One database: a process of its own (Django is set up once per process)


def measure_one(url: str, journeys: int, warm: int) -> dict[str, Any]:
    os.environ.update(PRODUCTION, DATABASE_URL=url)
    survey_load.setup_django()
    from django.db import connection

    _, tokens = survey_load.make_survey(f"bench-cpu-{int(time.time())}", journeys + warm)
    _, assignments, cookies = make_audits(journeys + warm)
    connection.close()
    server, host, log = survey_load.start_gunicorn(url, 1)
    try:
        meter = Meter(worker_pid(server.pid), None)
        meter.on = False
        bare = Browser(host, meter)
        for path in BARE:
            bare.get(f"bare: {path}", path)
        meter.database = database_backend(url)
        rounds = [
            _round(host, meter, tokens[i], assignments[i], cookies) for i in range(journeys + warm)
        ]
        meter.on = False
        for one in rounds[:warm]:
            one()
        meter.on = True
        ticks = _ticks(meter.worker)
        elapsed = time.perf_counter()
        for one in rounds[warm:]:
            one()
        elapsed = time.perf_counter() - elapsed
        ticks = _ticks(meter.worker) - ticks
    finally:
        server.terminate()
        server.wait(timeout=30)
    connection.close()
    return {
        "database": connection.vendor,
        "journeys": journeys,
        "rows": meter.rows,
        "stat_cpu_ms": ticks * 1000 / os.sysconf("SC_CLK_TCK"),
        "database_measured": meter.database is not None,
        "elapsed_s": elapsed,
        "log": str(log),
    }


def _round(
    host: str, meter: Meter, token: str, assignment: int, cookies: dict[str, str]
) -> Callable[[], None]:
    """One round: each bare page, one survey answered, one audit completed."""

    def run() -> None:
        bare = Browser(host, meter)
        for path in BARE:
            bare.get(f"bare: {path}", path)
        answer_survey(Browser(host, meter), token)
        auditor = Browser(host, meter)
        auditor.cookies.update(cookies)
        answer_audit(auditor, assignment)

    return run


# ---------------------------------------------------------------------------------------------
# The tables


def _ms(samples: list[list[int]], column: int) -> float:
    return statistics.fmean(s[column] for s in samples) / 1e6


def table(result: dict[str, Any]) -> list[str]:
    rows = result["rows"]
    bare_name = min((n for n in rows if n.startswith("bare")), key=lambda n: _ms(rows[n], 0))
    bare = _ms(rows[bare_name], 0)
    lines = [
        f"### {result['database']}: {result['journeys']} rounds, 1 gunicorn sync worker "
        f"(bare page: `{bare_name.split(': ')[1]}`, the cheapest signed-out page)",
        "",
        "| request | n | worker CPU ms (mean) | p50 | ratio to bare | database CPU ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    unmeasured = "in the worker" if result["database"] == "sqlite" else "not measured"
    for name, samples in rows.items():
        worker = _ms(samples, 0)
        p50 = statistics.median(s[0] for s in samples) / 1e6
        database = f"{_ms(samples, 1):.1f}" if result["database_measured"] else unmeasured
        lines.append(
            f"| {name} | {len(samples)} | {worker:.1f} | {p50:.1f} | {worker / bare:.2f}x "
            f"| {database} |"
        )
    total = sum(s[0] for samples in rows.values() for s in samples) / 1e6
    lines.append("")
    lines.append(
        f"Worker CPU over the measured rounds: schedstat {total:.0f} ms, /proc stat utime+stime "
        f"{result['stat_cpu_ms']:.0f} ms in "
        f"{result['elapsed_s']:.1f} s."
    )
    lines += served(rows, bare)
    return lines


def page_turn(rows: dict[str, list[list[int]]], channel: str) -> tuple[float, float]:
    """A channel's CPU ms per page turn (worker, database): every request of a whole survey or
    audit (start to submit) over its three page turns (two pages of questions and the check)."""
    samples = [s for name, kind in rows.items() if name.startswith(channel) for s in kind]
    journeys = len(rows[f"{channel}: submit"]) * 3
    return (
        sum(s[0] for s in samples) / 1e6 / journeys,
        sum(s[1] for s in samples) / 1e6 / journeys,
    )


def served(rows: dict[str, list[list[int]]], bare: float) -> list[str]:
    """How many answer at once on 2 cores at a page every 20 s, from a whole journey's cost."""
    answering = [n for n in rows if n.startswith(("survey", "audit"))]
    mean = statistics.fmean(_ms(rows[n], 0) + _ms(rows[n], 1) for n in answering)
    worst = max(_ms(rows[n], 0) for n in answering)
    lines = [
        "",
        f"Answering requests, mean of the kinds above: {mean:.1f} ms (worker + database), "
        f"{mean / bare:.2f}x the bare page; worst kind {worst / bare:.2f}x (worker).",
        f"By the brief's formula, one request a person every 20 s: 2000 / {mean:.1f} x 20 = "
        f"{2000 / mean * 20:.0f} at once.",
    ]
    for channel, who in (("survey", "practitioners"), ("audit", "auditors")):
        worker, database = page_turn(rows, channel)
        total = worker + database
        lines.append(
            f"A page turn of the {channel} (all its requests / 3): {worker:.1f} ms worker + "
            f"{database:.1f} ms database; at a page every 20 s one 2-core machine serves "
            f"2000 / {total:.1f} x 20 = **{2000 / total * 20:.0f} {who} answering at once**."
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--databases", nargs="+", default=["postgres", "sqlite"])
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--conn-max-age", default="600")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        os.environ["DATABASE_CONN_MAX_AGE"] = args.conn_max_age
        print(json.dumps(measure_one(args.one, args.journeys, args.warm)))
        return
    print(f"{os.cpu_count()} cores; DATABASE_CONN_MAX_AGE={args.conn_max_age}\n")
    for database in args.databases:
        if database == "postgres":
            if not args.postgres.startswith("postgres"):
                sys.exit("Give --postgres postgresql://... (an empty database).")
            url = args.postgres
        else:
            url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-cpu-')}/db.sqlite3"
        one = ["--one", url, "--journeys", str(args.journeys), "--warm", str(args.warm)]
        done = subprocess.run(
            [sys.executable, __file__, *one, "--conn-max-age", args.conn_max_age],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        print("\n".join(table(json.loads(done.stdout.strip().splitlines()[-1]))), "\n")


if __name__ == "__main__":
    main()
