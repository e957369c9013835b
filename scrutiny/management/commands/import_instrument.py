from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.models import Source
from scrutiny.workbooks import instrument_import

OUTCOMES = {
    "created": "created",
    "unchanged": "unchanged (the workbook matches the current version)",
    "replaced": "updated (the current version had no responses, so it was replaced)",
    "new version": "saved as a new version (the current one has responses, which keep theirs)",
}


class Command(BaseCommand):
    help = (
        "Add an instrument to scrutiny SLUG from an instrument workbook or an XLSForm (a "
        "KoboToolbox or ODK form), or update it (docs/workbooks.md). Importing the same file "
        "twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("file", metavar="FILE.xlsx")
        parser.add_argument(
            "--kind",
            default="",
            choices=Source.values,
            help="the instrument's kind, where the file does not say (an XLSForm seldom does)",
        )
        parser.add_argument(
            "--code", default="", help="the instrument's code, instead of the file's (form_id)"
        )
        partnership_argument(parser)

    def handle(
        self, *args: Any, slug: str, file: str, kind: str, code: str, **options: Any
    ) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        if len(code) > 40:
            raise CommandError(
                f"The code {code!r} is longer than 40 characters; give a shorter one."
            )
        try:
            result = instrument_import(scrutiny=scrutiny, file=file, kind=kind, code=code.strip())
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrument {result.instrument.code} (version {result.version.number}): "
                f"{OUTCOMES.get(result.outcome, result.outcome)}."
            )
        )
