"""Redaction benchmark: how long redacting one text takes as it grows, for ordinary text and for
the worst texts found for each pattern of `scrutiny.disclosure` (SCORING.md §10 says redaction
runs in time linear in the text's length: the time per KB should stay flat).

    .venv/bin/python bench/redaction.py                  # 1 KB, 10 KB, 100 KB and 1 MB
    .venv/bin/python bench/redaction.py --sizes 1000 4000000
    .venv/bin/python bench/redaction.py --case-refs 10000

The redactor is that of a partnership holding `--case-refs` case references (sampled case files
of one scrutiny) and 60 redaction terms (the partnership's and its scrutiny's), built by
`Redactor.for_partnership` from a throwaway SQLite file (or DATABASE_URL's database, migrated
and filled: give it an empty one). It prints how long building it takes and its queries, then
for each text: seconds to redact it at the largest size, and milliseconds per KB at each size
(best of three runs; a small text is redacted as many times as make up the largest, so that each
timing is long enough to measure).

The texts: ordinary comments full of identifiers; a run of address characters with no "@" (the
email pattern once took time growing with its square: 0.16 s for 10,000 characters, 2.4 s for
40,000); the same ending in "@"; one "@" before a long domain of one-letter labels; "a@b.c" over
and over (an address every five characters); a run of digits; digits between spaces (NHS
numbers and phone numbers start everywhere); case references cut short (each a held one's start);
and a word of a redaction term followed by a long run of spaces.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import setup_django, timed

ORDINARY = (
    "Seen at home on 3 May by the social worker with Ms Okafor; C-2024-0113's mum "
    "(07700 900123, mum@example.org) moved to NE1 4ST and Jayden now attends Fernhill Academy. "
)
TEXTS: dict[str, Callable[[int], str]] = {
    "ordinary comments": lambda n: ORDINARY * (n // len(ORDINARY) + 1),
    "a.a.a. (no @)": lambda n: "a." * (n // 2),
    "a.a.a. then @": lambda n: "a." * (n // 2 - 1) + "@",
    "x@ then a.a.a.": lambda n: "x@" + "a." * (n // 2 - 1),
    "a@b.c a@b.c": lambda n: "a@b.c" * (n // 5),
    "digits": lambda n: "1" * n,
    "0 0 0 0": lambda n: "0 " * (n // 2),
    "C-2024-C-2024-": lambda n: "C-2024-" * (n // 7),
    "Ms then spaces": lambda n: "Ms" + " " * (n - 3) + "x",
}


def build_partnership(case_refs: int) -> int:
    """A partnership holding `case_refs` sampled case files and 60 redaction terms; its id."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from audits.models import CaseFile, Sample
    from scrutiny.models import Partnership, Scrutiny

    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=f"Bench redaction {case_refs}",
            redaction_terms="\n".join(f"Oakfield School {i}" for i in range(30)),
        )
        scrutiny = Scrutiny.objects.create(
            partnership=partnership,
            slug=f"bench-redaction-{case_refs}",
            title="Bench",
            starts=dt.date(2026, 1, 1),
            redaction_terms="\n".join(["Jayden", "Ms Okafor", "Fernhill Academy"])
            + "\n"
            + "\n".join(f"Firstname{i} Surname{i}" for i in range(27)),
        )
        sample = Sample.objects.create(
            scrutiny=scrutiny,
            file_name="cases.xlsx",
            file_sha256="0" * 64,
            by="area",
            per=case_refs,
            seed=1,
            population=case_refs,
            drawn_at=timezone.now(),
        )
        CaseFile.objects.bulk_create(
            CaseFile(sample=sample, position=i, case_ref=f"C-2024-{i:05d}", group="all")
            for i in range(case_refs)
        )
    return partnership.pk


def label(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size / 1000:g} KB"


def best_of_three(work: Callable[[], object]) -> float:
    return min(timed(work, memory=False)[0] for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--case-refs", type=int, default=2_000)
    args = parser.parse_args()
    folder = setup_django()
    try:
        from django.db import connection

        from scrutiny.disclosure import Redactor

        partnership_id = build_partnership(args.case_refs)
        Redactor.for_partnership(partnership_id)  # warm-up
        re.purge()  # so that the time includes compiling the pattern
        seconds, queries, _ = timed(lambda: Redactor.for_partnership(partnership_id), memory=False)
        redactor = Redactor.for_partnership(partnership_id)
        print(f"database: {connection.vendor}")
        print(
            f"redactor of a partnership holding {args.case_refs:,} case references and 60 "
            f"terms: built in {seconds * 1000:.1f} ms (compiling included), {queries} query"
        )
        largest = max(args.sizes)
        columns = [f"{label(size)} ms/KB" for size in args.sizes]
        header = f"{'text':<18} | {label(largest) + ' s':>8} | " + " | ".join(columns)
        print(header)
        print("-" * len(header))
        for name, make in TEXTS.items():
            per_kb = []
            whole = 0.0
            for size in args.sizes:
                text = make(size)
                repeat = max(1, largest // size)

                def work(text: str = text, repeat: int = repeat) -> None:
                    for _ in range(repeat):
                        redactor.redact(text)

                seconds = best_of_three(work) / repeat
                per_kb.append(seconds * 1000 / (len(text) / 1000))
                if size == largest:
                    whole = seconds
            cells = " | ".join(
                f"{ms:>{len(column)}.3f}" for ms, column in zip(per_kb, columns, strict=True)
            )
            print(f"{name:<18} | {whole:8.3f} | {cells}", flush=True)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
