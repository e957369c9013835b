"""`manage.py import_plan FILE [--partnership SLUG]` (CLI.md, WORKBOOKS.md §7): import a delivery
plan workbook, in the layout partnerships publish (and `action_plan --xlsx` writes), into the
partnership's business plan, all or nothing, saying what it created, updated and left unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, partnership_for_command
from scrutiny.plan.importing import plan_import


class Command(BaseCommand):
    help = "Import a delivery plan workbook (.xlsx) into the partnership's business plan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The delivery plan workbook (.xlsx).")
        partnership_argument(parser)

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}: give the path of the delivery plan.")
        partnership = partnership_for_command(options.get("partnership"))
        try:
            imported = plan_import(partnership=partnership, file=path, name=path.name)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if imported.changed or imported.updates_recorded:
            self.stdout.write(f"Imported {path.name} into {partnership.name}: {imported}.")
        else:
            self.stdout.write(
                f"Nothing changed: {partnership.name}'s plan already holds {path.name} "
                f"({imported})."
            )
