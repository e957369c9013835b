from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.selectors import partnership_current
from scrutiny.workbooks import scrutiny_import


class Command(BaseCommand):
    help = (
        "Create or update a scrutiny from a scrutiny workbook (docs/workbooks.md). "
        "Importing the same workbook twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.xlsx")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        partnership = partnership_current()
        if partnership is None:
            raise CommandError(
                "There is no partnership yet: run `manage.py demo`, or create the partnership "
                "in the admin, then import the scrutiny."
            )
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
