"""Responses export benchmark (issue 19): an instrument's responses for analysts, one row a
response and one column a question (`scrutiny.exports.responses.responses_export`, as the job
and `manage.py export_responses` call it), as XLSX and as CSV, as the responses grow.

    .venv/bin/python bench/export_responses.py                  # 10%, 50%, 100% of 13,200 x 510
    .venv/bin/python bench/export_responses.py --scale 0.01 0.02
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench_t \
        .venv/bin/python bench/export_responses.py

Each size is a scrutiny of its own with one practitioner survey of 510 questions (400 single
choice on a five-point scale, 40 multiple choice, 40 numbers, 30 texts, about one in ten left
unanswered), 8 agencies, 3 areas and 4 roles; data bulk-inserted as bench/scoring.py does. With no
DATABASE_URL it uses a throwaway SQLite file. For each size and format it prints: rows, answers,
wall seconds, the queries, and the peak resident memory of a child process that does the export
alone (ru_maxrss, so that what the database driver and XlsxWriter hold counts too). Beside them,
the floor: XlsxWriter alone (constant memory) writing as many cells of the same kinds, in the
same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import insert, setup_django

FULL_ROWS, QUESTIONS = 13_200, 510
KINDS = (("single", 400), ("multiple", 40), ("number", 40), ("text", 30))
WORDS = ("the", "plan", "was", "reviewed", "with", "the", "family", "at", "the", "meeting")


def build(slug: str, rows: int, rng: random.Random) -> tuple[int, int]:
    """A scrutiny of `rows` submitted responses to a 510-question survey; (instrument, answers)."""
    from django.db import connection, transaction

    from scrutiny.instruments import (
        InstrumentDefinition,
        OptionDef,
        QuestionDef,
        instrument_save,
        version_compile,
    )
    from scrutiny.models import Agency, Area, Partnership, PractitionerRole
    from scrutiny.models.evidence import random_number
    from scrutiny.scrutinies import AgencyData, ScrutinyData, ScrutinySettings, scrutiny_save

    partnership, _ = Partnership.objects.get_or_create(name="Bench Partnership")
    scrutiny = scrutiny_save(
        partnership=partnership,
        data=ScrutinyData(
            settings=ScrutinySettings(slug=slug, title=f"Bench {rows}"),
            factors=(("SF1", "Factor one"),),
            agencies=tuple(AgencyData(f"AG{i}", f"Agency {i}") for i in range(8)),
            areas=tuple((f"AR{i}", f"Area {i}") for i in range(3)),
        ),
    ).scrutiny
    for i in range(4):
        PractitionerRole.objects.get_or_create(
            partnership=partnership, code=f"R{i}", defaults={"name": f"Role {i}"}
        )
    agree = tuple(OptionDef(str(p), f"Point {p}", p) for p in range(5, 0, -1))
    routes = tuple(OptionDef(f"r{i}", f"Route {i}") for i in range(6))
    questions: list[QuestionDef] = []
    for kind, count in KINDS:
        for _ in range(count):
            lists = {"single": "agree", "multiple": "routes"}
            questions.append(
                QuestionDef("Main", f"Q{len(questions) + 1}", kind, f"Question {len(questions)}")
            )
            if kind in lists:
                questions[-1] = QuestionDef(
                    "Main", questions[-1].code, kind, questions[-1].text, lists[kind]
                )
    definition = InstrumentDefinition(
        code="PS",
        title="Survey",
        kind="practitioner_survey",
        questions=tuple(questions),
        option_lists={"agree": agree, "routes": routes},
    )
    compiled = version_compile(instrument_save(scrutiny=scrutiny, definition=definition).version)
    agencies = list(Agency.objects.filter(partnership=partnership).values_list("pk", flat=True))
    areas = list(Area.objects.filter(partnership=partnership).values_list("pk", flat=True))
    roles = list(
        PractitionerRole.objects.filter(partnership=partnership).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM scrutiny_response")
        first = cursor.fetchone()[0] + 1
    now = dt.datetime.now(dt.UTC)

    def responses() -> Iterator[tuple[object, ...]]:
        for k in range(rows):
            day = now - dt.timedelta(days=k % 30)
            yield (
                first + k, scrutiny.pk, compiled.instrument_id, compiled.version_id,
                compiled.kind, "submitted", "demo", "", rng.choice(agencies),
                rng.choice(areas), rng.choice(roles), "", day, "", "en", now, now, random_number(),
            )  # fmt: skip

    answers = 0

    def answer_rows() -> Iterator[tuple[object, ...]]:
        nonlocal answers
        listed = list(compiled.questions.values())
        for k in range(rows):
            for question in listed:
                if rng.random() < 0.1:
                    continue
                answers += 1
                options = list(question.options.values())
                if question.type == "single":
                    option = rng.choice(options)
                    yield (first + k, question.id, option.id, "", None, option.score, False)
                elif question.type == "multiple":
                    for option in rng.sample(options, 2):
                        yield (first + k, question.id, option.id, "", None, None, False)
                elif question.type == "number":
                    yield (first + k, question.id, None, "", rng.randrange(40), None, False)
                else:
                    text = " ".join(rng.choices(WORDS, k=12))
                    yield (first + k, question.id, None, text, None, None, False)

    with transaction.atomic():
        insert(
            "scrutiny_response",
            ["id", "scrutiny_id", "instrument_id", "version_id", "source", "status", "channel",
             "ref", "agency_id", "area_id", "role_id", "case_ref", "submitted_at", "fingerprint",
             "language", "created_at", "updated_at", "pseudonym"],
            responses(),
        )  # fmt: skip
        insert(
            "scrutiny_answer",
            ["response_id", "question_id", "option_id", "text", "number", "score", "disclosure"],
            answer_rows(),
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('scrutiny_response', 'id'), "
                "(SELECT MAX(id) FROM scrutiny_response))"
            )
        cursor.execute("ANALYZE")
    return compiled.instrument_id, answers


def export_once(instrument_id: int, fmt: str, out: str) -> dict[str, float]:
    """One export in this process: seconds, queries, rows, peak RSS MiB of the process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scrutiny.exports.responses import responses_export
    from scrutiny.models import Instrument

    instrument = Instrument.objects.select_related("scrutiny").get(pk=instrument_id)
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = responses_export(instrument=instrument, out=out, fmt=fmt)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "queries": len(queries),
        "rows": result.rows,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def floor(rows: int, fmt: str, out: str) -> dict[str, float]:
    """XlsxWriter (or the csv module) alone writing the same number of cells of the same kinds:
    the cost of the file itself, with nothing read from a database."""
    import csv

    import xlsxwriter

    rng = random.Random(1)
    row = [rng.randrange(1, 20_000), "AG1", "AR1", "R1", "", dt.date(2026, 1, 1)]
    for kind, count in KINDS:
        value = {"single": "3", "multiple": "r1;r4", "number": 7.0}.get(kind)
        row += [value if value is not None else " ".join(WORDS[:12])] * count
    started, cpu = time.perf_counter(), time.process_time()
    if fmt == "xlsx":
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = book.add_worksheet("responses")
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for r in range(1, rows + 1):
            for c, v in enumerate(row):
                if type(v) is str:
                    if v:
                        sheet.write_string(r, c, v)
                elif type(v) is dt.date:
                    sheet.write_datetime(r, c, v, day)
                else:
                    sheet.write_number(r, c, v)
        book.close()
    else:
        with open(out, "w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            for _ in range(rows):
                writer.writerow(row)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(args: argparse.Namespace) -> None:
    """Run one measurement in a fresh process, so that its peak memory is its own."""
    setup_django()
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / f"out.{args.fmt}")
        if args.floor:
            measured = floor(args.floor, args.fmt, out)
        else:
            measured = export_once(args.instrument, args.fmt, out)
        measured["mb"] = Path(out).stat().st_size / 2**20
    print(json.dumps(measured))


def measure(database: str, *extra: str) -> dict[str, float]:
    import os

    env = {**os.environ, "DATABASE_URL": database}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[0.1, 0.5, 1.0])
    parser.add_argument("--formats", nargs="+", default=["xlsx", "csv"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--instrument", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--fmt", help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    import os

    folder = setup_django()
    database = os.environ["DATABASE_URL"]
    try:
        from django.db import connection

        rng = random.Random(2026)
        built = []
        for scale in args.scale:
            rows = round(FULL_ROWS * scale)
            started = time.perf_counter()
            slug = f"bench-export-{rows}-{rng.randrange(10**6)}"
            instrument, answers = build(slug, rows, rng)
            took = time.perf_counter() - started
            print(
                f"  built {rows:,} x {QUESTIONS} ({answers:,} answers) in {took:.1f} s", flush=True
            )
            built.append((rows, instrument, answers))
        connection.close()
        print(
            f"database: {connection.vendor}; peak RSS of a process doing only the export",
            flush=True,
        )
        print(
            "   rows    answers     cells | fmt  | seconds |  cpu s | queries | peak MiB "
            "| file MB | floor s | floor cpu | floor MiB"
        )
        for rows, instrument, answers in built:
            for fmt in args.formats:
                got = measure(database, "--instrument", str(instrument), "--fmt", fmt)
                bare = measure(database, "--floor", str(rows), "--fmt", fmt)
                cells = rows * (QUESTIONS + 6)
                print(
                    f"{rows:>7,} {answers:>10,} {cells:>9,} | {fmt:4} | {got['seconds']:7.1f} "
                    f"| {got['cpu']:6.1f} | {got['queries']:7.0f} | {got['rss']:8.0f} "
                    f"| {got['mb']:7.1f} | {bare['seconds']:7.1f} | {bare['cpu']:9.1f} "
                    f"| {bare['rss']:9.0f}",
                    flush=True,
                )
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
