"""Event pack benchmark: how long the PDF and the workbook take, and their peak memory, as the
evidence grows.

    .venv/bin/python bench/pack.py                       # 10k, 100k and 1M answers, SQLite
    .venv/bin/python bench/pack.py --sizes 10000 100000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench_u .venv/bin/python bench/pack.py

The scrutinies are those of bench/scoring.py (6 factors, 8 agencies, 3 areas, a case-file audit
and a practitioner survey of 20 questions each), one for each size, in a throwaway SQLite file
unless DATABASE_URL is given. For each it builds the PDF and then the workbook
(`scrutiny.packs.build.pack_files`, as `manage.py event_pack` and the celery task do) and prints:
answers; seconds for the PDF, for the workbook and for both (wall clock, one run each after a
warm-up on the smallest size) and the CPU seconds of both; the queries of both; the peak memory
Python allocated while building each (tracemalloc, in a run of its own because it slows Python
down); and the floor: XlsxWriter alone (constant memory) writing as many cells as there are
answers, in the same run (wall clock and CPU). The workbook streams every counting response,
one row each, twice (in words and in codes): its peak memory should stay flat as the data grows
tenfold.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import build_scrutiny, setup_django, timed

QUESTIONS = 20  # bench/scoring.py's instruments: 20 questions each, so 20 answers a row


def floor(cells: int) -> tuple[float, float]:
    """Seconds and CPU seconds XlsxWriter alone takes (constant memory, its own `write_row`) to
    write `cells` cells in rows of 20 short strings: the floor the workbook is measured
    against."""
    import xlsxwriter

    row = [f"option {i}" for i in range(QUESTIONS)]
    started, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as out:
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = workbook.add_worksheet("floor")
        for number in range(cells // QUESTIONS):
            sheet.write_row(number, 0, row)
        workbook.close()
    return time.perf_counter() - started, time.process_time() - cpu


def measure_pack(
    scrutiny: object, *, memory: bool, **which: bool
) -> tuple[float, int, float, float]:
    """`timed` building of the chosen files, and the CPU seconds of the (first) build: on a
    machine shared with other work the wall clock is the CPU time and the waiting."""
    from scrutiny.packs.build import pack_files

    cpu: list[float] = []

    def build() -> None:
        started = time.process_time()
        with tempfile.TemporaryFile() as pdf, tempfile.TemporaryFile() as xlsx:
            pack_files(
                scrutiny=scrutiny,  # type: ignore[arg-type]
                pdf=pdf if which.get("pdf") else None,
                xlsx=xlsx if which.get("xlsx") else None,
            )
        cpu.append(time.process_time() - started)

    return (*timed(build, memory=memory), cpu[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    folder = setup_django()
    try:
        from django.db import connection

        rng = random.Random(2026)
        built = []
        for size in args.sizes:
            started = time.perf_counter()
            scrutiny = build_scrutiny(f"bench-pack-{size}-{rng.randrange(10**6)}", size, rng)
            print(
                f"  built {size:>9,} answers in {time.perf_counter() - started:6.1f} s", flush=True
            )
            built.append((size, scrutiny))
        measure_pack(built[0][1], memory=False, pdf=True, xlsx=True)  # warm-up
        print(f"database: {connection.vendor}")
        header = (
            "   answers |  PDF s | XLSX s | both s | both CPU s | queries | PDF peak MiB "
            "| XLSX peak MiB | floor s | floor CPU s"
        )
        print(header)
        print("-" * len(header))
        for size, scrutiny in built:
            pdf = measure_pack(scrutiny, memory=True, pdf=True, xlsx=False)
            xlsx = measure_pack(scrutiny, memory=True, pdf=False, xlsx=True)
            both = measure_pack(scrutiny, memory=False, pdf=True, xlsx=True)
            bare = floor(size)
            print(
                f" {size:>9,} | {pdf[0]:6.2f} | {xlsx[0]:6.2f} | {both[0]:6.2f} | {both[3]:10.2f} "
                f"| {both[1]:7d} | {pdf[2]:12.1f} | {xlsx[2]:13.1f} | {bare[0]:7.2f} "
                f"| {bare[1]:11.2f}",
                flush=True,
            )
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
