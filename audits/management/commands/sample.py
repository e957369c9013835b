"""`manage.py sample SLUG FILE --by COLUMN --per N --seed S [--json]` (CLI.md).

Draws the scrutiny's sample of case files from a case list (.xlsx or .csv, WORKBOOKS.md §4) with
`audits.samples.sample_draw`, the function the sample page and the API call, and prints it.
`--filter COLUMN=VALUE` (repeatable) keeps only the case files with one of the values given for
each column; `--instrument CODE` chooses the audit tool.
"""

from __future__ import annotations

from json import dumps
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.samples import SampleDrawResult, sample_draw
from audits.selectors import audit_tool_by_code, sample_document
from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.workbooks.lists import list_file_content


def filters_parse(items: list[str]) -> dict[str, list[str]]:
    """`--filter COLUMN=VALUE` options as {column: [values]}; a column given twice keeps
    either value."""
    filters: dict[str, list[str]] = {}
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise CommandError(
                f"--filter {item!r} is not COLUMN=VALUE: write it as, for example, "
                "--filter repeat_plan=yes"
            )
        filters.setdefault(column.strip(), []).append(value.strip())
    return filters


class Command(BaseCommand):
    help = (
        "Draw the scrutiny's sample of case files from a case list (.xlsx or .csv): N at random "
        "from each value of COLUMN (all of a group that has fewer), reproducibly from the seed. "
        "The same file, options and seed give the same sample on any installation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("file", metavar="FILE", help="The case list, .xlsx or .csv.")
        parser.add_argument(
            "--by", required=True, metavar="COLUMN", help="The column to stratify by."
        )
        parser.add_argument(
            "--per", required=True, type=int, metavar="N", help="Case files from each group."
        )
        parser.add_argument(
            "--seed", required=True, type=int, metavar="S", help="The seed, a whole number."
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            dest="filters",
            help="Keep only case files whose COLUMN is VALUE; repeat it to keep several values.",
        )
        parser.add_argument(
            "--instrument",
            metavar="CODE",
            help="The audit tool (an instrument of kind file_audit).",
        )
        parser.add_argument("--json", action="store_true", help="Print the sample as JSON.")

    def handle(
        self,
        *args: Any,
        slug: str,
        file: str,
        by: str,
        per: int,
        seed: int,
        filters: list[str],
        instrument: str | None = None,
        json: bool = False,
        **options: Any,
    ) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        chosen = filters_parse(filters)
        try:
            tool = audit_tool_by_code(scrutiny=scrutiny, code=instrument) if instrument else None
            result = sample_draw(
                scrutiny=scrutiny,
                file_name=Path(file).name,
                content=list_file_content(file),
                by=by,
                per=per,
                seed=seed,
                filters=chosen,
                instrument=tool,
                user=None,
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        document = sample_document(sample=result.sample)
        if json:
            self.stdout.write(dumps(document, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_text(result, document))


def _text(result: SampleDrawResult, document: dict[str, Any]) -> str:
    sample = result.sample
    cases = document["cases"]
    if result.drawn:
        head = (
            f"Drew {len(cases)} case file{'s' if len(cases) != 1 else ''} of "
            f"{sample.population} for {document['scrutiny']}: {sample.per} per {sample.by}, "
            f"seed {sample.seed}."
        )
        if result.replaced:
            head += " The earlier draw is replaced"
            if result.assignments_removed:
                head += f", with its {result.assignments_removed} assignments"
            head += "."
    else:
        head = "Nothing changed: the sample was already drawn from this file with these options."
        if result.instrument_changed:
            head += " The audit tool is set."
    lines = [head, f"File SHA-256: {sample.file_sha256}"]
    if sample.filters:
        kept = "; ".join(f"{c} is {' or '.join(v)}" for c, v in sample.filters.items())
        lines.append(f"Filters: {kept}")
    if sample.instrument is not None:
        lines.append(f"Audit tool: {sample.instrument.code}")
    group = None
    for case in cases:
        if case["group"] != group:
            group = case["group"]
            lines.append(f"{sample.by} {group}:")
        lines.append(f"  {case['case_ref']}")
    return "\n".join(lines) + "\n"
