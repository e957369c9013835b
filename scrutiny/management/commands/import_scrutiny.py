from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, partnership_for_command
from scrutiny.workbooks import scrutiny_import


class Command(BaseCommand):
    help = (
        "Create or update a scrutiny of the partnership from a scrutiny workbook "
        "(docs/workbooks.md). Importing the same workbook twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx")
        partnership_argument(parser)

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        partnership = partnership_for_command(options.get("partnership"))
        try:
            result = scrutiny_import(partnership=partnership, file=file)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        scrutiny = result.scrutiny
        if result.created:
            outcome = "created"
        elif result.changed:
            outcome = "updated"
        else:
            outcome = "unchanged (the workbook matches what is saved)"
        self.stdout.write(self.style.SUCCESS(f"Scrutiny {scrutiny.slug}: {outcome}."))
