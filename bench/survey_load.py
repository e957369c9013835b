"""Load benchmark: practitioners answering a survey through their personal links, many at once,
against gunicorn and PostgreSQL on 127.0.0.1, with locust.

    .venv/bin/pip install -e '.[bench]'                  # locust
    .venv/bin/python bench/survey_load.py                # 10 and 50 concurrent respondents
    .venv/bin/python bench/survey_load.py --users 50 --surveys-per-user 20 --workers 4

With no DATABASE_URL it starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (as RECIPES.md:
`initdb` and `pg_ctl` as the `postgres` user when run as root) and deletes it afterwards; with
one (postgresql://...), that database is migrated and used: give it an empty database of its
own. gunicorn runs the production settings (DEBUG=false) with sync workers, as
docker-compose.yml does, on a free port of 127.0.0.1.

For each number of users it makes a survey with users x surveys-per-user invitations; every
simulated respondent answers one invitation after another (start page, two pages, check your
answers, submit, and a second submit that must be refused) until none is left. It prints a
table: concurrent respondents, responses, requests, failed requests, p50 and p95 latency over
every request, requests and responses a second; then checks in the database that every
submitted response is stored exactly once (responses stored = invitations used = submissions
locust saw, and none left in draft), and exits non-zero if not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1, for this run only."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, cwd=self.folder, capture_output=True)

    def start(self) -> str:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        data = str(self.folder / "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += " -c fsync=off -c synchronous_commit=off -c max_connections=200"
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench")
        return f"postgresql://postgres@127.0.0.1:{self.port}/bench"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_survey(slug: str, invitations: int) -> tuple[object, list[str]]:
    """A scrutiny with a two-page practitioner survey and `invitations` people invited, their
    emails as if sent; returns the survey and the plain tokens (the respondents' links)."""
    import datetime as dt

    from django.utils import timezone

    from scrutiny.instruments import (
        FactorRef,
        InstrumentDefinition,
        OptionDef,
        QuestionDef,
        instrument_save,
    )
    from scrutiny.models import Agency, Partnership, Scrutiny, SuccessFactor
    from surveys.models import Invitation, Survey, token_hash
    from surveys.services.invitations import invitation_token

    partnership, _ = Partnership.objects.get_or_create(name="Bench Partnership")
    agency, _ = Agency.objects.get_or_create(partnership=partnership, code="BEN", name="Bench")
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug=slug, title=slug)
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    grade = tuple(
        OptionDef(str(p), label, p)
        for p, label in (
            (4, "Outstanding"),
            (3, "Good"),
            (2, "Requires improvement"),
            (1, "Inadequate"),
        )
    )
    definition = InstrumentDefinition(
        code="PS",
        title="Practitioner survey",
        kind="practitioner_survey",
        questions=(
            QuestionDef("About you", "Q1", "single", "Was there a plan?", "yesno", True),
            QuestionDef("About you", "Q2", "text", "What did it say?", show_if="Q1 = yes"),
            QuestionDef(
                "Practice", "Q6", "single", "How good?", "grade", True, factors=(FactorRef("SF1"),)
            ),
            QuestionDef("Practice", "Q7", "text", "Anything else?"),
        ),
        option_lists={"yesno": (OptionDef("yes", "Yes"), OptionDef("no", "No")), "grade": grade},
    )
    instrument = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    now = timezone.now()
    survey = Survey.objects.create(
        scrutiny=scrutiny,
        instrument=instrument,
        title="Practitioners' views",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            email=f"p{i}@{slug}.invalid",
            agency=agency,
            token_sha256=f"placeholder-{slug}-{i}",
        )
        for i in range(invitations)
    )
    invited = list(Invitation.objects.filter(survey=survey).order_by("pk"))
    tokens = []
    for invitation in invited:
        token = invitation_token(invitation)
        invitation.token_sha256 = token_hash(token)
        invitation.sent_at = now
        tokens.append(token)
    Invitation.objects.bulk_update(invited, ["token_sha256", "sent_at"], batch_size=500)
    return survey, tokens


# The production settings the benches' gunicorn runs with (bench/answering_cpu.py too: its own
# process signs the auditor's session, so both must have the same SECRET_KEY).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "LOG_LEVEL": "WARNING",
}


def start_gunicorn(database_url: str, workers: int) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        **PRODUCTION,
    }
    env.pop("REDIS_URL", None)
    # The production settings serve static files from whitenoise's manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    host = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{host}/health/", timeout=2) as response:
                if response.status == 200:
                    return process, host, log
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not answer /health/: see {log}")


def run(users: int, per_user: int, database_url: str, workers: int) -> dict:
    from scrutiny.models import Response
    from surveys.models import Invitation
    from surveys.services.invited_drafts import invitations_answered

    slug = f"bench-load-{users}-{int(time.time())}"
    survey, tokens = make_survey(slug, users * per_user)
    tokens_file = Path(tempfile.mkstemp(prefix="bench-tokens-")[1])
    tokens_file.write_text("\n".join(tokens), encoding="utf-8")
    server, host, log = start_gunicorn(database_url, workers)
    try:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "survey_load_users.py"),
                host,
                str(users),
                str(tokens_file),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        tokens_file.unlink()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    responses = Response.objects.filter(instrument=survey.instrument)  # type: ignore[attr-defined]
    stored = responses.filter(status=Response.Status.SUBMITTED).count()
    # An anonymous survey's invitation holds nothing of its answering: its keyed draft does.
    invited = Invitation.objects.filter(survey=survey).select_related("survey")
    used = len(invitations_answered(invited))
    seen = len(result["submitted"])
    result.update(
        stored=stored,
        used=used,
        drafts=responses.filter(status=Response.Status.DRAFT).count(),
        once=stored == used == seen == len(set(result["submitted"])) == len(tokens),
        log=str(log),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--surveys-per-user", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()

    cluster = None
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        cluster = ThrowawayPostgres()
        database_url = cluster.start()
        os.environ["DATABASE_URL"] = database_url
    if not database_url.startswith("postgres"):
        sys.exit("Give a PostgreSQL DATABASE_URL, or none for a throwaway cluster.")
    try:
        setup_django()
        rows = [
            run(users, args.surveys_per_user, database_url, args.workers) for users in args.users
        ]
    finally:
        if cluster is not None:
            cluster.stop()

    print(
        f"gunicorn {args.workers} sync workers, PostgreSQL, {os.cpu_count()} cores; "
        f"{args.surveys_per_user} surveys per respondent"
    )
    print(
        "| respondents at once | responses | requests | failed | p50 ms | p95 ms "
        "| requests/s | responses/s | stored exactly once |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        seconds = row["elapsed_s"]
        print(
            f"| {row['users']} | {row['stored']} | {row['requests']} | {row['failures']} "
            f"| {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['requests'] / seconds:.1f} "
            f"| {row['stored'] / seconds:.1f} | "
            f"{'yes' if row['once'] else 'NO'} ({row['used']} invitations used, "
            f"{len(row['submitted'])} submissions seen, {row['drafts']} drafts) |"
        )
    worst = rows[-1]
    print("\nBy request, at", worst["users"], "respondents:")
    for name, entry in worst["by_name"].items():
        print(
            f"  {name:<28} {entry['requests']:>6} requests, {entry['failures']} failed, "
            f"p50 {entry['p50_ms']:.0f} ms, p95 {entry['p95_ms']:.0f} ms"
        )
    for row in rows:
        for error in row["errors"]:
            print(f"  error at {row['users']} respondents: {error}")
    if not all(row["once"] for row in rows) or any(row["failures"] for row in rows):
        sys.exit("Some responses were not stored exactly once, or requests failed.")


if __name__ == "__main__":
    main()
