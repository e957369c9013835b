from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.workbooks import instrument_import

OUTCOMES = {
    "created": "created",
    "unchanged": "unchanged (the workbook matches the current version)",
    "replaced": "updated (the current version had no responses, so it was replaced)",
    "new version": "saved as a new version (the current one has responses, which keep theirs)",
}


class Command(BaseCommand):
    help = (
        "Add an instrument to scrutiny SLUG from an instrument workbook, or update it "
        "(docs/workbooks.md). Importing the same workbook twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("file", metavar="FILE.xlsx")
        partnership_argument(parser)

    def handle(self, *args: Any, slug: str, file: str, **options: Any) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        try:
            result = instrument_import(scrutiny=scrutiny, file=file)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrument {result.instrument.code} (version {result.version.number}): "
                f"{OUTCOMES.get(result.outcome, result.outcome)}."
            )
        )
