"""How importing a responses workbook scales: seconds, queries and peak memory by answers.

    .venv/bin/python bench/import_responses.py [--sizes 100000,300000,1000000]
        [--formats xlsx,csv] [--no-trace] [--excel]

Uses a throwaway SQLite database in a temporary folder, or the database of DATABASE_URL when it
is set (the bench creates its own partnership and scrutiny there and deletes them afterwards).
Each workbook has 20 questions a row (15 graded single choice, 2 multiple choice, a number, a
date and a comment), so 10,000 answers are 500 rows. Each size and format (an .xlsx, and the
same rows as a CSV, each made in a process of its own) is imported three ways: new (timed,
with the process's resident memory sampled: "rss MB" is its rise over the import, calamine's
cells of each piece of the sheet included), again unchanged (timed), and new once more under
tracemalloc for the peak of Python's own memory ("py MB"; a separate run, because tracing slows
Python down several times; --no-trace skips it). The workbook's texts are in its sheet, as
openpyxl writes them; with --excel, in a table of shared strings, as Excel writes them. "s" is
wall-clock seconds, "cpu s" the process's CPU seconds (the fairer number on a busy machine; the
database's own work is in it for SQLite, not for PostgreSQL). "floor s" is the same run's bare
read of the file's cells: python-calamine alone for an .xlsx, the csv module alone for a CSV.
"db s", on PostgreSQL, is the database's own floor: the server storing the answers the import
just stored, as it must (the answer table's indexes and its three deferred foreign keys, which
it checks one row at a time at the commit), by one INSERT ... SELECT of them into a copy of the
table, committed: the database's own work, with no client at all.
The target (issue 19): 1,000,000 answers in under 10 s on two cores, on SQLite and PostgreSQL,
with peak memory flat from 100,000 to 1,000,000.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import io
import multiprocessing
import os
import random
import sys
import tempfile
import threading
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


def workbook(rows: int, seed: int, *, excel: bool = False) -> bytes:
    """The responses workbook: written by openpyxl (texts inline in the sheet), or with
    `excel` by XlsxWriter as Excel writes one (texts in a table of shared strings)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = _ExcelSheet() if excel else book.create_sheet("responses")
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
    if isinstance(sheet, _ExcelSheet):
        return sheet.saved()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _ExcelSheet:
    """Rows written by XlsxWriter, dates formatted as dates, texts as shared strings."""

    def __init__(self) -> None:
        import xlsxwriter

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.sheet = self.book.add_worksheet("responses")
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.rows = 0

    def append(self, row: list) -> None:  # type: ignore[type-arg]
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                self.sheet.write_datetime(self.rows, column, value, self.day)
            else:
                self.sheet.write(self.rows, column, value)
        self.rows += 1

    def saved(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def made(rows: int, seed: int, excel: bool, kinds: list[str]) -> dict[str, bytes]:
    """Each file, made in a process of its own: the memory its making took and gave back is
    then not there for the import to use again unseen, so the import's rise is all its own."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(_files, rows, seed, excel, kinds).result()


def _files(rows: int, seed: int, excel: bool, kinds: list[str]) -> dict[str, bytes]:
    book = workbook(rows, seed, excel=excel)
    return {kind: book if kind == "xlsx" else as_csv(book) for kind in kinds}


def as_csv(data: bytes) -> bytes:
    """The workbook's rows as a CSV, dates as the export writes them."""
    import csv

    from python_calamine import CalamineWorkbook

    text = io.StringIO()
    writer = csv.writer(text)
    for row in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows():
        writer.writerow([v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v for v in row])
    return text.getvalue().encode()


def floor(data: bytes, kind: str) -> float:
    """Seconds to read every cell of the file and nothing more."""
    import csv

    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    if kind == "xlsx":
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        for _ in sheet.iter_rows():
            pass
    else:
        for _ in csv.reader(io.StringIO(data.decode())):
            pass
    return time.perf_counter() - started


class RssSampler(threading.Thread):
    """The highest resident memory of the process while running, sampled every 10 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.base = self.peak = rss()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, rss())

    def stop(self) -> float:
        self.done.set()
        self.join()
        return max(self.peak, rss()) - self.base


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def import_once(instrument, data: bytes, trace: bool):  # type: ignore[no-untyped-def]
    from django.db import connection

    from scrutiny.workbooks import responses_import

    counter = QueryCounter()
    sampler = RssSampler()
    sampler.start()
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = responses_import(instrument=instrument, file=io.BytesIO(data))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    grown = sampler.stop()
    return result, seconds, cpu, counter.count, peak, grown


def database_floor(instrument) -> str:  # type: ignore[no-untyped-def]
    """Seconds PostgreSQL takes to store the answers of `instrument` again, alone (the module's
    "db s"); "-" on SQLite, where the database's work is the process's own."""
    from django.db import connection, transaction

    from scrutiny.models import Answer, Option, Question, Response

    if connection.vendor != "postgresql":
        return "-"
    table, quote = Answer._meta.db_table, connection.ops.quote_name
    keys = (("response_id", Response), ("question_id", Question), ("option_id", Option))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_rows, bench_floor")
        cursor.execute(  # untimed: the rows to store, read once into a table of their own
            f"CREATE TEMPORARY TABLE bench_rows AS SELECT a.* FROM {quote(table)} a "  # noqa: S608
            f"JOIN {quote(Response._meta.db_table)} r ON r.id = a.response_id "
            "WHERE r.instrument_id = %s",
            [instrument.pk],
        )
        cursor.execute(f"CREATE TABLE bench_floor (LIKE {quote(table)} INCLUDING INDEXES)")
        for column, model in keys:
            cursor.execute(
                f"ALTER TABLE bench_floor ADD FOREIGN KEY ({column}) "
                f"REFERENCES {quote(model._meta.db_table)} (id) DEFERRABLE INITIALLY DEFERRED"
            )
    try:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor SELECT * FROM bench_rows")
        seconds = time.perf_counter() - started
    finally:  # never left behind: its foreign keys would hold the tables they point to
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_rows, bench_floor")
    return f"{seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="answers per file")
    parser.add_argument("--formats", default="xlsx,csv", help="xlsx, csv or both")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument(
        "--excel", action="store_true", help="write the workbook as Excel does (shared strings)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")

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
            f"{'answers':>8} {'rows':>6} {'file':>4} {'MB':>5} | {'new s':>6} {'cpu s':>6} "
            f"{'queries':>7} | {'again s':>7} {'cpu s':>6} {'queries':>7} | {'floor s':>7} "
            f"{'db s':>5} | {'rss MB':>6} {'py MB':>6}",
            flush=True,
        )
        for number, answers in enumerate(sizes):
            rows = answers // QUESTIONS_PER_ROW
            files = made(rows, number, args.excel, formats)
            for kind in formats:
                data = files[kind]
                results = []
                instrument = None
                for run in ("new", "again", "traced"):
                    if run == "traced" and args.no_trace:
                        results.append((0.0, 0.0, 0, 0, 0))
                        continue
                    if run != "again":
                        slug = f"bench-{number}-{kind}-{run}"
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
                    result, *measured = import_once(instrument, data, trace=run == "traced")
                    expected = (0, 0, rows) if run == "again" else (rows, 0, 0)
                    got = (result.created, result.updated, result.unchanged)
                    assert got == expected, (run, got)
                    results.append(tuple(measured))
                (new_s, new_cpu, new_q, _, grown), (again_s, again_cpu, again_q, _, _) = results[:2]
                peak = results[2][3]
                bare = min(floor(data, kind) for _ in range(2))
                database = database_floor(instrument)
                print(
                    f"{answers:>8} {rows:>6} {kind:>4} {len(data) / 1e6:>5.1f} | {new_s:>6.1f} "
                    f"{new_cpu:>6.1f} {new_q:>7} | {again_s:>7.1f} {again_cpu:>6.1f} "
                    f"{again_q:>7} | {bare:>7.2f} {database:>5} | {grown / 1e6:>6.1f} "
                    f"{peak / 1e6:>6.1f}",
                    flush=True,
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
