"""Event pack benchmark: how long the PDF and the workbook take, and their peak memory, as the
evidence grows.

    .venv/bin/python bench/pack.py                       # 10k, 100k and 1M answers, SQLite
    .venv/bin/python bench/pack.py --sizes 10000 100000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench .venv/bin/python bench/pack.py

The scrutinies are those of bench/scoring.py (6 factors, 8 agencies, 3 areas, a case-file audit
and a practitioner survey of 20 questions each), one for each size, in a throwaway SQLite file
unless DATABASE_URL is given. For each it builds the PDF and then the workbook
(`scrutiny.packs.build.pack_files`, as `manage.py event_pack` and the celery task do) and prints:
answers; seconds for the PDF, for the workbook and for both (wall clock, one run each after a
warm-up on the smallest size); the queries of both; and the peak memory Python allocated while
building each (tracemalloc, in a run of its own because it slows Python down). The workbook
streams every counting response, one row each: its peak memory should stay flat as the data
grows tenfold.
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


def measure_pack(scrutiny: object, *, memory: bool, **which: bool) -> tuple[float, int, float]:
    """`timed` building of the chosen files."""
    from scrutiny.packs.build import pack_files

    def build() -> None:
        with tempfile.TemporaryFile() as pdf, tempfile.TemporaryFile() as xlsx:
            pack_files(
                scrutiny=scrutiny,  # type: ignore[arg-type]
                pdf=pdf if which.get("pdf") else None,
                xlsx=xlsx if which.get("xlsx") else None,
            )

    return timed(build, memory=memory)


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
        header = "   answers |  PDF s | XLSX s | both s | queries | PDF peak MiB | XLSX peak MiB"
        print(header)
        print("-" * len(header))
        for size, scrutiny in built:
            pdf = measure_pack(scrutiny, memory=True, pdf=True, xlsx=False)
            xlsx = measure_pack(scrutiny, memory=True, pdf=False, xlsx=True)
            both = measure_pack(scrutiny, memory=False, pdf=True, xlsx=True)
            print(
                f" {size:>9,} | {pdf[0]:6.2f} | {xlsx[0]:6.2f} | {both[0]:6.2f} | {both[1]:7d} "
                f"| {pdf[2]:12.1f} | {xlsx[2]:13.1f}",
                flush=True,
            )
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
