"""`manage.py event_pack SLUG --pdf FILE.pdf --xlsx FILE.xlsx [--language en|cy|both]` (CLI.md):
builds the scrutiny event pack, either file or both, the same files as the workspace's "Build the
event pack" (`scrutiny.packs.build.pack_files`), through the same suppression and redaction; in
the partnership's language unless `--language` says (both: Welsh, then English)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.packs.build import pack_files
from scrutiny.packs.words import LANGUAGE_CHOICES


class Command(BaseCommand):
    help = "Build a scrutiny's event pack as a PDF, a workbook (.xlsx), or both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("--pdf", metavar="FILE.pdf", help="Where to write the PDF.")
        parser.add_argument("--xlsx", metavar="FILE.xlsx", help="Where to write the workbook.")
        parser.add_argument(
            "--language",
            choices=LANGUAGE_CHOICES,
            help="English, Welsh (cy) or both; by default the partnership's.",
        )

    def handle(
        self,
        *args: Any,
        slug: str,
        pdf: str | None,
        xlsx: str | None,
        language: str | None = None,
        **options: Any,
    ) -> None:
        if not pdf and not xlsx:
            raise CommandError(
                "Say which files to build: --pdf FILE.pdf, --xlsx FILE.xlsx or both."
            )
        targets = [Path(p) for p in (pdf, xlsx) if p]
        for target in targets:
            if not target.parent.exists():
                raise CommandError(f"There is no folder {target.parent} to write {target.name} in.")
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        verbose = options.get("verbosity", 1) > 1

        def report(percent: int, message: str) -> None:
            if verbose:
                self.stderr.write(f"{percent:3d}% {message}")

        try:
            with ExitStack() as files:
                outputs = {
                    kind: files.enter_context(Path(path).open("wb"))
                    for kind, path in (("pdf", pdf), ("xlsx", xlsx))
                    if path
                }
                version = pack_files(
                    scrutiny=scrutiny, progress=report, language=language, **outputs
                )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        for path in (pdf, xlsx):
            if path:
                self.stdout.write(f"Wrote {path} ({Path(path).stat().st_size:,} bytes).")
        self.stdout.write(f"Data version {version[:12]}.")
