"""Big pages benchmark (issue 19): how long the pages that read a scrutiny's answers take, through
Django's test client, as the answers grow.

    .venv/bin/python bench/pages.py                        # 10k, 100k and 1M answers, SQLite
    .venv/bin/python bench/pages.py --sizes 10000 --runs 10
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench_v .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --sizes 100000 --profile workspace-factor

With no DATABASE_URL it uses a throwaway SQLite file, deleted afterwards; with one, that database
is migrated and filled (give it an empty database of its own).

Each size is its own scrutiny (6 factors, 8 agencies, 3 areas, 4 roles) with two instruments of
20 questions on one page: a case-file audit (19 graded questions and a free-text comment) and a
practitioner survey (19 five-point questions and a comment). About two responses in five leave a
comment, a third of those one of 40 common phrases (so that the evidence page folds them), the
rest their own words. A quarter of the responses are audits: every case file of the sample has
three agencies' submitted audits (the first agency's by a first and an independent second
auditor). Every survey response came from an invitation, and a fifth of the invitations are not
answered. Answers and responses are bulk-inserted (`bench/scoring.py`'s `insert`); instruments
and the scrutiny through the core services.

Pages, each signed in as the role that reads it (with the second factor's session): the
factor's evidence page (`workspace-factor`, the scrutineer; its first page, its last page and a
search), the moderation page of one case file (`audit-moderate`), the audits' overview
(`audit-overview`), the agreement statistics (`audit-agreement`) and the response rates
(`survey-rates`), the business unit. The floor is the signed-out accessibility statement through
the same client. Each page is asked once to warm up; then once with nothing kept (`first`: the
first request after the scrutiny's evidence changed, when scrutiny/kept.py works its aggregates
out again); then `--runs` times: p50 and p95 ms, and the queries of one request.

`--keep FILE` builds the SQLite database once and reuses it on later runs; `--pages` times only
the pages named (the floor always).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import importlib.util
import os
import pstats
import random
import shutil
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_scoring", HERE / "scoring.py")
assert _spec is not None and _spec.loader is not None
bench_scoring = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_scoring)

QUESTIONS = 19  # scored questions per instrument, and one comment
AGENCIES_PER_CASE = 3
WORDS = [
    *(
        [
            "plan",
            "review",
            "visit",
            "school",
            "health",
            "police",
            "referral",
            "strategy",
            "meeting",
            "family",
            "child",
        ]
    ),
    *(
        [
            "worker",
            "chronology",
            "assessment",
            "voice",
            "lived",
            "experience",
            "escalation",
            "neglect",
        ]
    ),
]
COMMON = [f"Common view {i}: the {WORDS[i % len(WORDS)]} was not shared in time" for i in range(40)]


def _instruments(scrutiny: Any, rng: random.Random, factor_codes: list[str]) -> list[Any]:
    from scrutiny.instruments import (
        FactorRef,
        InstrumentDefinition,
        OptionDef,
        QuestionDef,
        instrument_save,
        version_compile,
    )

    grade = (
        *(OptionDef(str(p), f"Grade {p}", p) for p in (4, 3, 2, 1)),
        OptionDef("na", "Not applicable"),
    )
    agree = (*(OptionDef(str(p), f"Point {p}", p) for p in range(5, 0, -1)),)
    compiled = []
    for code, kind, name, options in (
        ("A1", "file_audit", "grade", grade),
        ("PS1", "practitioner_survey", "agree", agree),
    ):
        questions = [
            QuestionDef(
                section="Main",
                code=f"Q{i}",
                type="single",
                text=f"Question {i}",
                options=name,
                factors=tuple(
                    FactorRef(f, 1.0) for f in sorted(rng.sample(factor_codes, rng.choice((1, 2))))
                ),
            )
            for i in range(QUESTIONS)
        ]
        questions.append(QuestionDef(section="Main", code="C", type="text", text="Your evidence"))
        definition = InstrumentDefinition(
            code=code,
            title=code,
            kind=kind,
            questions=tuple(questions),
            option_lists={name: options},
        )
        version = instrument_save(scrutiny=scrutiny, definition=definition).version
        compiled.append(version_compile(version))
    return compiled


def _comment(rng: random.Random, k: int) -> str:
    if rng.random() < 1 / 3:
        return rng.choice(COMMON)
    return f"Case {k}: " + " ".join(rng.choice(WORDS) for _ in range(12))


def _responses(scrutiny: Any, compiled: list[Any], n: int, rng: random.Random) -> int:
    """Bulk-insert `n` submitted responses and their answers; the first response's id."""
    from django.db import connection

    from scrutiny.models import Agency, Area, PractitionerRole, Response
    from scrutiny.models.evidence import random_number

    agencies = list(Agency.objects.filter(partnership_id=scrutiny.partnership_id))
    agency_ids = [a.pk for a in agencies]
    areas = list(
        Area.objects.filter(partnership_id=scrutiny.partnership_id).values_list("pk", flat=True)
    )
    roles = list(
        PractitionerRole.objects.filter(partnership_id=scrutiny.partnership_id).values_list(
            "pk", flat=True
        )
    )
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM scrutiny_response")
        first = cursor.fetchone()[0] + 1

    def version_of(k: int) -> Any:
        return compiled[0] if k % 4 == 0 else compiled[1]

    def response_rows() -> Iterator[tuple[object, ...]]:
        for k in range(n):
            version = version_of(k)
            audit = k % 4 == 0
            yield (
                first + k,
                scrutiny.pk,
                version.instrument_id,
                version.version_id,
                version.kind,
                Response.Status.SUBMITTED,
                Response.Channel.AUDIT if audit else Response.Channel.SURVEY,
                "",
                agency_ids[(k // 4) % 4 % AGENCIES_PER_CASE] if audit else rng.choice(agency_ids),
                rng.choice(areas),
                None if audit else rng.choice(roles),
                "",
                now - dt.timedelta(seconds=n - k),
                "cy" if k % 9 == 0 else "en",
                "",
                now,
                now,
                random_number(),
            )

    def answer_rows() -> Iterator[tuple[object, ...]]:
        for k in range(n):
            for question in version_of(k).questions.values():
                if question.type == "text":
                    if rng.random() < 0.4:
                        yield (first + k, question.id, None, _comment(rng, k), None, False)
                    continue
                option = rng.choice(list(question.options.values()))
                yield (first + k, question.id, option.id, "", option.score, False)

    columns = [
        *(
            [
                "id",
                "scrutiny_id",
                "instrument_id",
                "version_id",
                "source",
                "status",
                "channel",
                "ref",
            ]
        ),
        *(["agency_id", "area_id", "role_id", "case_ref", "submitted_at", "language"]),
        *(["fingerprint", "created_at", "updated_at", "pseudonym"]),
    ]
    bench_scoring.insert("scrutiny_response", columns, response_rows())
    bench_scoring.insert(
        "scrutiny_answer",
        ["response_id", "question_id", "option_id", "text", "score", "disclosure"],
        answer_rows(),
    )
    return int(first)


def _audits(scrutiny: Any, compiled: Any, first: int, n: int) -> Any:
    """A sample whose case files each have three agencies' audits; the first agency's audit of
    each is also done by an independent second auditor. Returns the first case file."""
    from audits.models import Assignment, CaseFile, Sample
    from scrutiny.models import Response

    audits = [first + k for k in range(0, n, 4)]
    sample = Sample.objects.create(
        scrutiny=scrutiny,
        instrument_id=compiled.instrument_id,
        file_name="cases.csv",
        file_sha256="0" * 64,
        by="team",
        per=1,
        seed=1,
        population=len(audits),
        drawn_at=dt.datetime.now(dt.UTC),
    )
    per_case, second = AGENCIES_PER_CASE + 1, Assignment.Role.SECOND
    cases = CaseFile.objects.bulk_create(
        CaseFile(sample=sample, position=i, case_ref=f"C{i:06d}", group="team")
        for i in range(len(audits) // per_case)
    )
    agency_of = dict(Response.objects.filter(pk__in=audits).values_list("pk", "agency_id"))
    assignments = []
    for i, case in enumerate(cases):
        ids = audits[i * per_case : (i + 1) * per_case]
        # The 4th audit is the first agency's independent second auditor's.
        for j, response_id in enumerate(ids):
            assignments.append(
                Assignment(
                    case=case,
                    agency_id=agency_of[response_id],
                    role=second if j == AGENCIES_PER_CASE else Assignment.Role.FIRST,
                    response_id=response_id,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    return cases[0]


def _survey(scrutiny: Any, compiled: Any, first: int, n: int) -> None:
    """The survey of the practitioner instrument: an invitation for each of its responses, and
    a quarter as many again not answered."""
    from scrutiny.models import Response
    from surveys.models import Invitation, Survey

    now = dt.datetime.now(dt.UTC)
    survey = Survey.objects.create(
        scrutiny=scrutiny,
        instrument_id=compiled.instrument_id,
        title="Practitioners",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=30),
        # Named: each invitation holds its response, as the rows below are made. (An anonymous
        # survey's invitation holds nothing of its answering: surveys.services.invited_drafts.)
        anonymous=False,
    )
    rows = Response.objects.filter(
        instrument_id=compiled.instrument_id, pk__gte=first, pk__lt=first + n
    ).values_list("pk", "agency_id", "role_id")

    def invitations() -> Iterator[Invitation]:
        for count, (pk, agency_id, role_id) in enumerate(rows.iterator(chunk_size=5000), 1):
            yield Invitation(
                survey=survey,
                email=f"p{pk}@bench.invalid",
                agency_id=agency_id,
                role_id=role_id,
                token_sha256=hashlib.sha256(f"{scrutiny.slug}-{pk}".encode()).hexdigest(),
                answered=True,
                response_id=pk,
                sent_at=now,
            )
            if count % 4 == 0:
                yield Invitation(
                    survey=survey,
                    email=f"q{pk}@bench.invalid",
                    agency_id=agency_id,
                    role_id=role_id,
                    token_sha256=hashlib.sha256(f"{scrutiny.slug}-q{pk}".encode()).hexdigest(),
                    sent_at=now,
                )

    batch: list[Invitation] = []
    for invitation in invitations():
        batch.append(invitation)
        if len(batch) >= 5000:
            Invitation.objects.bulk_create(batch)
            batch.clear()
    Invitation.objects.bulk_create(batch)


def build(slug: str, answers: int, rng: random.Random) -> tuple[Any, Any]:
    """The scrutiny of about `answers` answers, and the case file to moderate."""
    from django.db import connection, transaction

    from audits.models import CaseFile
    from scrutiny.models import Scrutiny

    kept = Scrutiny.objects.filter(slug=slug).first()
    if kept is not None:  # a kept database (--keep): built by an earlier run
        return kept, CaseFile.objects.filter(sample__scrutiny=kept).order_by("position").first()
    factor_codes = bench_scoring.FACTOR_CODES
    scrutiny = bench_scoring.bench_scrutiny_save("Bench Pages Partnership", slug, answers, roles=4)
    compiled = _instruments(scrutiny, rng, factor_codes)
    n = answers // (QUESTIONS + 1)
    with transaction.atomic():
        first = _responses(scrutiny, compiled, n, rng)
        case = _audits(scrutiny, compiled[0], first, n)
        _survey(scrutiny, compiled[1], first, n)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('scrutiny_response', 'id'), "
                "(SELECT MAX(id) FROM scrutiny_response))"
            )
        cursor.execute("ANALYZE")
    return Scrutiny.objects.get(pk=scrutiny.pk), case


def _people(partnership_id: int) -> dict[str, Any]:
    from scrutiny.models import User

    people: dict[str, Any] = {}
    for role in (User.Role.SCRUTINEER, User.Role.ADMINISTRATOR):
        people[role], _ = User.objects.get_or_create(
            email=f"{role}@bench.invalid",
            defaults={"partnership_id": partnership_id, "role": role, "full_name": str(role)},
        )
    return people


def client_for(user: Any) -> Any:
    """A client signed in as `user`, with the session a second factor gives."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages(scrutiny: Any, case: Any) -> list[tuple[str, str, str]]:
    """(name, role, url) of each page timed."""
    from django.urls import reverse

    slug = scrutiny.slug
    factor = reverse("workspace-factor", args=[slug, "SF1"])
    return [
        ("floor (accessibility)", "", reverse("accessibility")),
        ("workspace-factor", "scrutineer", factor),
        ("workspace-factor p.last", "scrutineer", f"{factor}?page=999999"),
        ("workspace-factor ?q=", "scrutineer", f"{factor}?q=shared+in+time&page=2"),
        (
            "audit-moderate",
            "administrator",
            reverse("audit-moderate", args=[scrutiny.slug, case.pk]),
        ),
        ("audit-overview", "administrator", reverse("audit-overview", args=[scrutiny.slug])),
        ("audit-agreement", "administrator", reverse("audit-agreement", args=[scrutiny.slug])),
        ("survey-rates", "administrator", reverse("survey-rates", args=[scrutiny.slug, "PS1"])),
    ]


def measure(client: Any, url: str, runs: int) -> tuple[float, float, float, int]:
    """The first request after the evidence changed (nothing kept), then p50 and p95 of `runs`
    requests, and the queries of one."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: the database's cache, templates, imports
    assert response.status_code == 200, (url, response.status_code)
    caches["evidence"].clear()  # as after any change to the scrutiny's evidence
    start = time.perf_counter()
    client.get(url)
    cold = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return cold, statistics.median(times), p95, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", help="a page's name: profile it (and list its queries)")
    parser.add_argument("--profile-size", type=int, default=-1, help="which size (an index)")
    parser.add_argument("--pages", nargs="+", help="time only these pages (their names)")
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="a SQLite file to keep between runs: built once, then reused (to work on a page)",
    )
    args = parser.parse_args()
    if args.keep:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.keep).resolve()}"
    folder = bench_scoring.setup_django()
    try:
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's templates, as tests use it
        rng = random.Random(args.seed)
        print(f"database: {connection.vendor}; {args.runs} runs a page after one warm-up")
        built = []
        for size in args.sizes:
            start = time.perf_counter()
            built.append((size, *build(f"pages-{size}", size, rng)))
            print(f"  built {size:>9,} answers in {time.perf_counter() - start:6.1f} s")
        print(
            f"\n{'answers':>10} | {'page':<24} | {'first ms':>8} | {'p50 ms':>8} | {'p95 ms':>8}"
            " | queries"
        )
        print(f"{'-' * 10}-+-{'-' * 24}-+-{'-' * 8}-+-{'-' * 8}-+-{'-' * 8}-+--------")
        for size, scrutiny, case in built:
            people = _people(scrutiny.partnership_id)
            clients = {role: client_for(user) for role, user in people.items()}
            from django.test import Client

            clients[""] = Client()
            for name, role, url in pages(scrutiny, case):
                if args.pages and name not in args.pages and role:
                    continue
                cold, p50, p95, queries = measure(clients[role], url, args.runs)
                print(
                    f"{size:>10,} | {name:<24} | {cold:>8.1f} | {p50:>8.1f} | {p95:>8.1f}"
                    f" | {queries:>7}"
                )
        if args.profile:
            size, scrutiny, case = built[args.profile_size]
            role, url = next((r, u) for n, r, u in pages(scrutiny, case) if n == args.profile)
            client = client_for(_people(scrutiny.partnership_id)[role])
            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
                print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
