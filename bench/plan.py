"""Delivery plan benchmark: how long the plan's rows, its workbook and its PDF take, their
queries and peak memory, as the plan grows.

    .venv/bin/python bench/plan.py                       # 100, 1,000 and 10,000 actions
    .venv/bin/python bench/plan.py --sizes 1000 20000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5434/bench .venv/bin/python bench/plan.py

Each size is a partnership of its own (5 priorities of 4 outcomes, 8 agencies), its actions
spread over the outcomes, each with 3 updates, in a throwaway SQLite file unless DATABASE_URL
is given. For each it prints: actions; seconds for the rows (`scrutiny.plan.plan_rows`, with
the redaction), the workbook and the PDF (each with its rows; wall clock, one run after a
warm-up); the queries (they should not grow with the plan); and each file's peak memory
(tracemalloc, in a run of its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import setup_django, timed


def build_plan(size: int) -> object:
    from django.db import transaction

    from scrutiny.models import Action, ActionUpdate, Agency, Outcome, Partnership, Priority

    with transaction.atomic():
        partnership = Partnership.objects.create(name=f"Bench plan {size}")
        agencies = Agency.objects.bulk_create(
            Agency(partnership=partnership, code=f"A{i}", name=f"Agency {i}") for i in range(8)
        )
        outcomes = []
        for p in range(5):
            priority = Priority.objects.create(
                partnership=partnership, title=f"Priority {p}", position=p
            )
            outcomes += [
                Outcome.objects.create(priority=priority, text=f"Outcome {p}.{o}", position=o)
                for o in range(4)
            ]
        statuses = ("blue", "green", "amber", "red")
        actions = Action.objects.bulk_create(
            Action(
                partnership=partnership,
                outcome=outcomes[i % len(outcomes)],
                responsible=agencies[i % len(agencies)],
                text=f"Action {i}: re-audit the files and brief every team on what was found.",
                lead_name=f"Lead {i % 40}",
                timescale=dt.date(2027, 1 + i % 12, 1 + i % 28),
                status=statuses[i % 4],
            )
            for i in range(size)
        )
        ActionUpdate.objects.bulk_create(
            ActionUpdate(action=action, status=action.status, note=f"Update {n} of {action.pk}.")
            for action in actions
            for n in range(3)
        )
    return partnership


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    args = parser.parse_args()
    folder = setup_django()
    try:
        from django.db import connection

        from scrutiny.models import Action
        from scrutiny.packs.plan import render_plan_xlsx
        from scrutiny.packs.plan_pdf import render_plan_pdf
        from scrutiny.plan.selectors import plan_rows

        def jobs(partnership: object) -> dict[str, Callable[[], object]]:
            actions = Action.objects.filter(partnership=partnership)
            key = partnership.brag_key  # type: ignore[attr-defined]

            def render(renderer: Callable[..., None]) -> Callable[[], object]:
                return lambda: renderer(
                    plan_rows(actions), title="Bench", key=key, out=io.BytesIO()
                )

            return {
                "rows": lambda: plan_rows(actions),
                "xlsx": render(render_plan_xlsx),
                "pdf": render(render_plan_pdf),
            }

        built = [(size, build_plan(size)) for size in args.sizes]
        for job in jobs(built[0][1]).values():
            job()  # warm-up
        print(f"database: {connection.vendor}", flush=True)
        header = "   actions | rows s | XLSX s |  PDF s | queries | XLSX peak MiB | PDF peak MiB"
        print(header)
        print("-" * len(header))
        for size, partnership in built:
            done = jobs(partnership)
            rows = timed(done["rows"], memory=False)
            xlsx = timed(done["xlsx"], memory=True)
            pdf = timed(done["pdf"], memory=True)
            print(
                f" {size:>9,} | {rows[0]:6.2f} | {xlsx[0]:6.2f} | {pdf[0]:6.2f} | "
                f"{rows[1]:7d} | {xlsx[2]:13.1f} | {pdf[2]:12.1f}",
                flush=True,
            )
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
