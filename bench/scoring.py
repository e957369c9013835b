"""Scoring benchmark: how long `scrutiny_scores` takes as the evidence grows.

    .venv/bin/python bench/scoring.py                    # 10k, 100k and 1M answers, SQLite
    .venv/bin/python bench/scoring.py --sizes 10000 100000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench .venv/bin/python bench/scoring.py

With no DATABASE_URL it uses a throwaway SQLite file in a temporary folder, deleted afterwards.
With one, that database is migrated and filled: give it an empty database of its own.

Each scrutiny has 6 success factors, 8 agencies, 3 areas and two instruments of 20 questions each
(a case-file audit on the four-point grade, a practitioner survey on a five-point scale), every
question linked to one or two factors; a quarter of the responses are audits. About one answer in
ten is "Not applicable" or "Don't know", one response in twenty a draft. Data is bulk-inserted (the
instruments themselves are saved through the core services). Each size is its own scrutiny in the
same database, so the smaller ones are scored among the bigger ones' rows.

It prints a table: answers; seconds (wall clock, best of three runs after one warm-up); cpu s, the
CPU time of this process in the same runs (on SQLite that is the query's own work, so it shows
what the machine can do when other work shares it; on PostgreSQL the query runs in the server and
this is only Python's part); queries; and the peak memory Python allocated during one run
(tracemalloc). Each of those runs starts with nothing kept (scrutiny/kept.py), so it works the
scores out; "kept s" is the best of three runs while the evidence is unchanged (its stamp, and
the small table read from the `evidence` cache).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_PER_INSTRUMENT = 20


def timed(work: Callable[[], object], *, memory: bool) -> tuple[float, int, float]:
    """Seconds of `work` (without tracemalloc, which slows Python down), its queries, and its
    peak MiB (a second run under tracemalloc, when `memory`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        work()
    seconds = time.perf_counter() - started
    peak = 0.0
    if memory:
        tracemalloc.start()
        work()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, len(queries), peak


def setup_django() -> str | None:
    """Configure Django; return the temporary folder to delete, if one was made."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-scoring-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return folder


FACTOR_CODES = [f"SF{i}" for i in range(1, 7)]


def bench_scrutiny_save(partnership_name: str, slug: str, answers: int, roles: int = 0) -> Any:
    """A scrutiny of six factors, 8 agencies, 3 areas and `roles` roles, in a partnership of
    its own name (the benches' common set-up)."""
    from scrutiny.models import Partnership
    from scrutiny.scrutinies import AgencyData, ScrutinyData, ScrutinySettings, scrutiny_save

    partnership, _ = Partnership.objects.get_or_create(name=partnership_name)
    return scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug=slug, title=f"Bench {answers}"),
            factors=tuple((code, f"Factor {code}") for code in FACTOR_CODES),
            source_weights={"file_audit": 2},
            agencies=tuple(AgencyData(f"AG{i}", f"Agency {i}") for i in range(8)),
            areas=tuple((f"AR{i}", f"Area {i}") for i in range(3)),
            roles=tuple((f"R{i}", f"Role {i}") for i in range(roles)),
        ),
    ).scrutiny


def build_scrutiny(slug: str, answers: int, rng: random.Random) -> object:
    from django.db import connection, transaction

    from scrutiny.instruments import (
        FactorRef,
        InstrumentDefinition,
        OptionDef,
        QuestionDef,
        instrument_save,
        version_compile,
    )
    from scrutiny.models import Agency, Area, Response, Scrutiny
    from scrutiny.models.evidence import random_number

    factor_codes = FACTOR_CODES
    scrutiny = bench_scrutiny_save("Bench Partnership", slug, answers)
    grade = (
        OptionDef("4", "Outstanding", 4),
        OptionDef("3", "Good", 3),
        OptionDef("2", "Requires improvement", 2),
        OptionDef("1", "Inadequate", 1),
        OptionDef("na", "Not applicable"),
    )
    agree = (
        *(OptionDef(str(p), f"Point {p}", p) for p in range(5, 0, -1)),
        OptionDef("dk", "Don't know"),
    )
    compiled = []
    for code, kind, options in (
        ("A1", "file_audit", ("grade", grade)),
        ("PS1", "practitioner_survey", ("agree", agree)),
    ):
        questions = []
        for i in range(QUESTIONS_PER_INSTRUMENT):
            linked = rng.sample(factor_codes, rng.choice((1, 2)))
            questions.append(
                QuestionDef(
                    section="Main",
                    code=f"Q{i}",
                    type="single",
                    text=f"Question {i}",
                    options=options[0],
                    factors=tuple(FactorRef(f, rng.choice((1.0, 2.0))) for f in sorted(linked)),
                )
            )
        definition = InstrumentDefinition(
            code=code,
            title=code,
            kind=kind,
            questions=tuple(questions),
            option_lists={options[0]: options[1]},
        )
        compiled.append(
            version_compile(instrument_save(scrutiny=scrutiny, definition=definition).version)
        )

    agencies = list(
        Agency.objects.filter(partnership_id=scrutiny.partnership_id).values_list("pk", flat=True)
    )
    areas = list(
        Area.objects.filter(partnership_id=scrutiny.partnership_id).values_list("pk", flat=True)
    )
    responses = answers // QUESTIONS_PER_INSTRUMENT
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM scrutiny_response")
        first_response = cursor.fetchone()[0] + 1

    def response_rows() -> Iterator[tuple[object, ...]]:
        for k in range(responses):
            version = compiled[0] if k % 4 == 0 else compiled[1]
            draft = k % 20 == 19
            yield (
                first_response + k,
                scrutiny.pk,
                version.instrument_id,
                version.version_id,
                version.kind,
                Response.Status.DRAFT if draft else Response.Status.SUBMITTED,
                Response.Channel.DEMO,
                "",
                rng.choice(agencies) if k % 10 else None,
                rng.choice(areas) if k % 7 else None,
                "",
                None if draft else now,
                "",  # language: not known
                "",
                now,
                now,
                random_number(),
            )

    def answer_rows() -> Iterator[tuple[object, ...]]:
        for k in range(responses):
            version = compiled[0] if k % 4 == 0 else compiled[1]
            for question in version.questions.values():
                options = list(question.options.values())
                option = rng.choice(options[:-1]) if rng.random() > 0.1 else options[-1]
                yield (first_response + k, question.id, option.id, "", option.score, False)

    with transaction.atomic():
        insert(
            "scrutiny_response",
            [
                "id",
                "scrutiny_id",
                "instrument_id",
                "version_id",
                "source",
                "status",
                "channel",
                "ref",
                "agency_id",
                "area_id",
                "case_ref",
                "submitted_at",
                "language",
                "fingerprint",
                "created_at",
                "updated_at",
                "pseudonym",
            ],
            response_rows(),
        )
        insert(
            "scrutiny_answer",
            ["response_id", "question_id", "option_id", "text", "score", "disclosure"],
            answer_rows(),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('scrutiny_response', 'id'), "
                "(SELECT MAX(id) FROM scrutiny_response))"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Scrutiny.objects.get(pk=scrutiny.pk)


def insert(table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany in batches on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed names
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        batch: list[tuple[object, ...]] = []
        for row in rows:
            batch.append(tuple(_sqlite(v) for v in row))
            if len(batch) >= 50_000:
                cursor.cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.cursor.executemany(sql, batch)


def _sqlite(value: object) -> object:
    # As Django stores an aware datetime in SQLite: naive UTC text.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return value


def measure(scrutiny: object) -> tuple[float, float, int, float, int, float]:
    """Scoring worked out (nothing kept: best of three, its CPU, queries, peak memory, n), and
    scoring while the evidence is unchanged (kept by scrutiny/kept.py: best of three)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scrutiny.scoring import scrutiny_scores

    def forget() -> None:
        caches["evidence"].clear()

    scrutiny_scores(scrutiny=scrutiny)  # warm-up: the database's cache, Python's imports
    times, cpu, kept = [], [], []
    for _ in range(3):
        forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        scores = scrutiny_scores(scrutiny=scrutiny)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        start = time.perf_counter()
        scrutiny_scores(scrutiny=scrutiny)
        kept.append(time.perf_counter() - start)
    forget()
    with CaptureQueriesContext(connection) as queries:
        scrutiny_scores(scrutiny=scrutiny)
    forget()
    tracemalloc.start()
    scrutiny_scores(scrutiny=scrutiny)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mib = peak / 1024 / 1024
    queries_n = len(queries.captured_queries)
    return min(times), min(cpu), queries_n, peak_mib, scores.factors[0].n, min(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = setup_django()
    try:
        from django.db import connection

        rng = random.Random(args.seed)
        print(f"database: {connection.vendor}")
        built = []
        for size in args.sizes:
            start = time.perf_counter()
            built.append((size, build_scrutiny(f"bench-{size}", size, rng)))
            print(f"  built {size:>9,} answers in {time.perf_counter() - start:6.1f} s")
        print()
        print(
            f"{'answers':>10} | {'seconds':>8} | {'cpu s':>6} | {'queries':>7} | {'peak MiB':>8}"
            " | n(SF1) | kept s"
        )
        print(f"{'-' * 10}-+-{'-' * 8}-+-{'-' * 6}-+-{'-' * 7}-+-{'-' * 8}-+--------+-------")
        for size, scrutiny in built:
            seconds, cpu, queries, peak, n, kept = measure(scrutiny)
            print(
                f"{size:>10,} | {seconds:>8.3f} | {cpu:>6.3f} | {queries:>7} | {peak:>8.2f}"
                f" | {n:>6} | {kept:.3f}"
            )
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
