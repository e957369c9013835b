"""`manage.py response_rates SLUG CODE [--json]` (CLI.md): instrument CODE's response rates.

What a command prints can go anywhere, so it prints the rates as they may be published
(`surveys.rates.instrument_rates`): small agency and role cells are suppressed.
"""

from __future__ import annotations

from json import dumps
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from surveys.rates import PublishedCell, PublishedRates, instrument_rates
from surveys.services import invitations


class Command(BaseCommand):
    help = (
        "Print a survey instrument's response rates (invited, started, submitted, by agency and "
        "by role), small cells suppressed: a table, or with --json the document of CLI.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("code", metavar="CODE", help="The survey instrument's code.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, slug: str, code: str, json: bool = False, **options: Any) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        try:
            instrument = invitations.survey_instrument(scrutiny=scrutiny, code=code)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        rates = instrument_rates(instrument=instrument)
        if json:
            self.stdout.write(dumps(rates.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_table(rates))


def _row(cell: PublishedCell, threshold: int) -> str:
    if cell.figures is None:
        return f"    {cell.code:<10} fewer than {threshold} submitted"
    figures = cell.figures
    line = f"    {cell.code:<10} invited {figures['invited']}, submitted {figures['submitted']}"
    if "workforce" in figures:
        line += f", workforce {figures['workforce']}"
    if "rate" in figures:
        line += f", rate {figures['rate']:.1f}%"
    return line


def _table(rates: PublishedRates) -> str:
    lines = [
        f"{rates.title} ({rates.instrument})",
        f"invited {rates.invited}, started {rates.started}, submitted {rates.submitted}",
    ]
    for title, cells in (("By agency", rates.agencies), ("By role", rates.roles)):
        if cells:
            lines.append(f"{title}:")
            lines.extend(_row(cell, rates.threshold) for cell in cells)
    return "\n".join(lines) + "\n"
