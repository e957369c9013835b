"""`manage.py build_library [--check]`: write the template library's workbooks (the templates
and the starter scrutiny) from their definitions in scrutiny/library/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.library import WORKBOOKS_DIR, library_build


class Command(BaseCommand):
    help = (
        "Write the template library's workbooks (scrutiny/library/workbooks/) from their Python "
        "definitions. Files whose content is unchanged are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            metavar="DIRECTORY",
            default=str(WORKBOOKS_DIR),
            help="Write the workbooks here instead of into the library.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if a workbook is missing or differs from its definition.",
        )

    def handle(self, *args: Any, out: str, check: bool = False, **options: Any) -> None:
        results = library_build(directory=Path(out), write=not check)
        changed = [result.path for result in results if result.changed]
        if check:
            if changed:
                raise CommandError(
                    "These workbooks differ from their definitions: "
                    + ", ".join(path.name for path in changed)
                    + ". Run `manage.py build_library` and commit the files."
                )
            self.stdout.write(self.style.SUCCESS(f"All {len(results)} workbooks are up to date."))
            return
        for result in results:
            self.stdout.write(f"  {'written  ' if result.changed else 'unchanged'} {result.path}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(changed)} of {len(results)} workbooks written.")
        )
