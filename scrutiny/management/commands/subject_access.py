"""`manage.py subject_access EMAIL [--partnership SLUG] [--erase] [--output FILE]`: everything
a partnership holds about an email address, as JSON (or a workbook for FILE ending .xlsx); with
--erase, erase it where the law allows and print what stays and why."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, partnership_for_command
from scrutiny.management.output_files import output_path, output_write
from scrutiny.models import Partnership
from scrutiny.people_data import as_json, as_xlsx, erase, subject_access


class Command(BaseCommand):
    help = "Everything a partnership holds about an email address; --erase erases it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL")
        partnership_argument(parser)
        parser.add_argument("--erase", action="store_true", help="Erase where the law allows.")
        parser.add_argument("--output", metavar="FILE", help="Write the download to FILE.")

    def handle(
        self,
        *args: Any,
        email: str,
        partnership: str | None = None,
        erase: bool = False,
        output: str | None = None,
        **options: Any,
    ) -> None:
        # Checked first: a folder, or a folder not there, is refused before anything is erased.
        path = output_path(output, what="the download", example="held.json") if output else None
        found = partnership_for_command(partnership)
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address.")
        data = subject_access(partnership=found, email=email)
        if path:
            # Written before erasing: a download that cannot be written erases nothing.
            output_write(path, as_xlsx(data) if path.suffix == ".xlsx" else as_json(data))
            self.stdout.write(f"Written to {path}: {len(data.held)} kinds of data held.")
        elif not erase:
            self.stdout.write(as_json(data).decode())
        if erase:
            self._erase(found, email)

    def _erase(self, partnership: Partnership, email: str) -> None:
        try:
            done = erase(partnership=partnership, email=email, user=None)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        for line in done.erased:
            self.stdout.write(f"Erased: {line.count} {line.what}")
        for line in done.kept:
            self.stdout.write(f"Kept: {line.count} {line.what}: {line.reason}")
