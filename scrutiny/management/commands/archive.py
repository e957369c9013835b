"""`manage.py archive export FILE [--partnership SLUG]` and `manage.py archive import FILE`
(CLI.md): the whole partnership out as one archive (docs/archive.md), and back into an empty
installation, identical (scrutiny.archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.archive import archive_export, archive_import
from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, partnership_for_command
from scrutiny.management.output_files import output_path, output_stream


class Command(BaseCommand):
    help = (
        "Write the whole partnership as one archive (export), or restore an archive into an "
        "empty installation (import). docs/archive.md describes the archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="export|import", required=True)
        export = actions.add_parser("export", help="Write the partnership's archive to FILE.")
        export.add_argument("file", metavar="FILE")
        partnership_argument(export)
        restore = actions.add_parser("import", help="Restore FILE into an empty installation.")
        restore.add_argument("file", metavar="FILE")

    def handle(self, *args: Any, action: str, file: str, **options: Any) -> None:
        try:
            if action == "export":
                self._export(file, options.get("partnership"))
            else:
                self._import(Path(file))
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, name: str, slug: str | None) -> None:
        partnership = partnership_for_command(slug)
        path = output_path(name, what="the archive", example=f"{partnership.slug}.zip")
        # Written beside its place and moved there at the end, so that a failure leaves no
        # half-written archive under the name asked for, nor the partial file. A write that
        # fails (a full disk) fails inside archive_export, before it records the export in the
        # trail: only closing the file and moving it into place come after.
        with output_stream(path) as out:
            summary = archive_export(partnership=partnership, out=out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({path.stat().st_size:,} bytes): {partnership.name}, "
                f"{summary.rows:,} rows of {summary.tables} tables, {summary.workbooks} "
                f"workbooks, {summary.files} stored files."
            )
        )
        for skipped in summary.not_copied:
            self.stdout.write(f"  Not copied: {skipped['name']} ({skipped['reason']}).")

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file {path}: give the archive's path.")
        summary = archive_import(path=path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.partnership}: {summary.rows:,} rows and {summary.files} "
                "stored files. Everyone sets a new password with “Forgotten your password?” "
                "and sets up their second factor again."
            )
        )
