"""How importing a responses workbook scales: seconds, queries and peak memory by answers.

    .venv/bin/python bench/import_responses.py [--sizes 10000,100000,300000]

Uses a throwaway SQLite database in a temporary folder, or the database of DATABASE_URL when it
is set (the bench creates its own partnership and scrutiny there and deletes them afterwards).
Each workbook has 20 questions a row (15 graded single choice, 2 multiple choice, a number, a
date and a comment), so 10,000 answers are 500 rows. Each size is imported three ways: new
(timed), again unchanged (timed), and new once more under tracemalloc for its peak memory (a
separate run, because tracing slows Python down several times). "s" is wall-clock seconds,
"cpu s" the process's CPU seconds (the fairer number on a busy machine; the database's own work
is in it for SQLite, not for PostgreSQL). The target: 100,000 answers in
under 30 s on two cores, with memory that does not grow with the workbook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONS_PER_ROW = 20


def setup_django(folder: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log: it would cost time and memory the product never pays
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def definition():  # type: ignore[no-untyped-def]
    from scrutiny.instruments import FactorRef, InstrumentDefinition, OptionDef, QuestionDef

    grade = (
        *(OptionDef(str(p), f"Grade {p}", float(p)) for p in (4, 3, 2, 1)),
        OptionDef("na", "Not applicable", None),
    )
    routes = tuple(OptionDef(v, v.title()) for v in ("briefing", "supervision", "team", "web"))
    questions = [
        QuestionDef(
            f"Section {i // 5 + 1}",
            f"Q{i + 1}",
            "single",
            f"Graded question {i + 1}",
            "grade",
            True,
            (FactorRef(f"SF{i % 3 + 1}"),),
        )
        for i in range(15)
    ]
    questions += [
        QuestionDef("Routes", "Q16", "multiple", "Where heard?", "routes"),
        QuestionDef("Routes", "Q17", "multiple", "Where discussed?", "routes"),
        QuestionDef("Detail", "Q18", "number", "How many visits?"),
        QuestionDef("Detail", "Q19", "date", "Last review"),
        QuestionDef("Detail", "Q20", "text", "Comment"),
    ]
    return InstrumentDefinition(
        code="BENCH",
        title="Bench audit",
        kind="file_audit",
        questions=tuple(questions),
        option_lists={"grade": grade, "routes": routes},
    )


def workbook(rows: int, seed: int) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    sheet.append(
        ["ref", "agency", "area", "role", "case_ref", "submitted"]
        + [f"Q{i}" for i in range(1, QUESTIONS_PER_ROW + 1)]
    )
    for n in range(rows):
        row = [
            f"S{seed}-{n}",
            rng.choice(["NBC", "POL", "NHB"]),
            rng.choice(["NBK", "WMR"]),
            rng.choice(["SW", "HV"]),
            f"C-{n:05d}",
            dt.datetime(2024, 1, 1) + dt.timedelta(days=n % 300),
        ]
        row += [rng.choice(["4", "3", "2", "1", "na"]) for _ in range(15)]
        row += ["briefing; team", rng.choice(["web", "supervision"])]
        row += [rng.randint(0, 20), dt.datetime(2023, 6, 1), f"Comment number {n}"]
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000", help="answers per workbook")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    own_database = not os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from django.db import connection

        from scrutiny.instruments import instrument_save
        from scrutiny.models import (
            Agency,
            Answer,
            Area,
            Partnership,
            PractitionerRole,
            Response,
            Scrutiny,
        )
        from scrutiny.scrutinies import ScrutinyData, ScrutinySettings, scrutiny_save
        from scrutiny.workbooks import responses_import

        partnership, _ = Partnership.objects.get_or_create(name="Bench Partnership (made up)")
        for code in ("NBC", "POL", "NHB"):
            Agency.objects.get_or_create(partnership=partnership, code=code, name=code)
        for code in ("NBK", "WMR"):
            Area.objects.get_or_create(partnership=partnership, code=code, name=code)
        for code in ("SW", "HV"):
            PractitionerRole.objects.get_or_create(partnership=partnership, code=code, name=code)

        print(
            f"database: {connection.vendor}; {os.cpu_count()} cores; "
            f"{QUESTIONS_PER_ROW} questions a row"
        )
        print(
            f"{'answers':>8} {'rows':>6} {'MB':>5} | {'new s':>6} {'cpu s':>6} {'queries':>7} | "
            f"{'again s':>7} {'cpu s':>6} {'queries':>7} | {'peak MB':>7}"
        )
        for number, answers in enumerate(sizes):
            rows = answers // QUESTIONS_PER_ROW
            data = workbook(rows, seed=number)
            results = []
            instrument = None
            for run in ("new", "again", "traced"):
                if run != "again":
                    slug = f"bench-{number}-{run}"
                    scrutiny = scrutiny_save(
                        partnership=partnership,
                        data=ScrutinyData(
                            settings=ScrutinySettings(slug=slug, title=slug),
                            factors=(("SF1", "One"), ("SF2", "Two"), ("SF3", "Three")),
                        ),
                    ).scrutiny
                    instrument = instrument_save(
                        scrutiny=scrutiny, definition=definition()
                    ).instrument
                counter = QueryCounter()
                if run == "traced":
                    tracemalloc.start()
                started, cpu_started = time.perf_counter(), time.process_time()
                with connection.execute_wrapper(counter):
                    result = responses_import(instrument=instrument, file=io.BytesIO(data))
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                peak = 0
                if run == "traced":
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                expected = (0, 0, rows) if run == "again" else (rows, 0, 0)
                got = (result.created, result.updated, result.unchanged)
                assert got == expected, (run, got)
                results.append((seconds, cpu, counter.count, peak))
            (new_s, new_cpu, new_q, _), (again_s, again_cpu, again_q, _) = results[:2]
            peak = results[2][3]
            print(
                f"{answers:>8} {rows:>6} {len(data) / 1e6:>5.1f} | {new_s:>6.1f} {new_cpu:>6.1f} "
                f"{new_q:>7} | {again_s:>7.1f} {again_cpu:>6.1f} {again_q:>7} | {peak / 1e6:>7.1f}"
            )
        if own_database:
            return  # the temporary folder goes, and the database with it
        # A database of the caller's: take away everything the bench made.
        Answer.objects.filter(response__scrutiny__partnership=partnership).delete()
        Response.objects.filter(scrutiny__partnership=partnership).delete()
        Scrutiny.objects.filter(partnership=partnership).delete()
        for model in (Agency, Area, PractitionerRole):
            model.objects.filter(partnership=partnership).delete()
        partnership.delete()


if __name__ == "__main__":
    main()
