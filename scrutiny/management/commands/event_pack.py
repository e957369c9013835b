"""`manage.py event_pack SLUG --pdf FILE.pdf --xlsx FILE.xlsx [--language en|cy|both]` (CLI.md):
builds the scrutiny event pack, either file or both, the same files as the workspace's "Build the
event pack" (`scrutiny.packs.build.pack_files`), through the same suppression and redaction; in
the partnership's language unless `--language` says (both: Welsh, then English)."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.management.output_files import output_path, output_stream
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
        paths = _paths(pdf=pdf, xlsx=xlsx)  # before anything: a refused path changes nothing
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        verbose = options.get("verbosity", 1) > 1

        def report(percent: int, message: str) -> None:
            if verbose:
                self.stderr.write(f"{percent:3d}% {message}")

        try:
            # Each file is moved into place once both are built: a failure leaves neither
            # half-written (output_stream).
            with ExitStack() as files:
                outputs = {
                    kind: files.enter_context(output_stream(path)) for kind, path in paths.items()
                }
                version = pack_files(
                    scrutiny=scrutiny, progress=report, language=language, **outputs
                )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        for path in paths.values():
            self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
        self.stdout.write(f"Data version {version[:12]}.")


def _paths(*, pdf: str | None, xlsx: str | None) -> dict[str, Path]:
    """The files asked for, by kind, each a file in a folder that is there, and not the same
    file twice (both would be written into it at once)."""
    paths = {
        kind: output_path(name, what="the pack", example=f"pack.{kind}")
        for kind, name in (("pdf", pdf), ("xlsx", xlsx))
        if name
    }
    if len({os.path.realpath(path) for path in paths.values()}) < len(paths):
        raise CommandError(
            f"--pdf and --xlsx both name {pdf}: give the PDF and the workbook a file each."
        )
    return paths
