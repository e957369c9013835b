"""`manage.py dpia [--partnership SLUG] --output FILE [--language en|cy|both]` (CLI.md; `--out`
too): writes the record
of processing and the DPIA draft of a partnership, from its own configuration, as a workbook
(FILE.xlsx) or a PDF (FILE.pdf), by the file's extension, in the partnership's default language
unless `--language` says (both: Welsh, then English). Reads only: nothing in the database
changes; on bad input no file is written either."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.dpia import RENDERERS, dpia_document
from scrutiny.management.lookups import partnership_argument, partnership_for_command
from scrutiny.management.output_files import output_path, output_write
from scrutiny.packs.words import LANGUAGE_CHOICES


class Command(BaseCommand):
    help = (
        "Write the record of processing and a DPIA draft from the partnership's configuration, "
        "as a workbook (.xlsx) or a PDF (.pdf), by the output file's extension (docs/dpia.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "--out",
            dest="output",
            metavar="FILE",
            required=True,
            help="Where to write the document: a .xlsx or .pdf file.",
        )
        parser.add_argument(
            "--language",
            choices=LANGUAGE_CHOICES,
            default=None,
            help="en, cy or both (Welsh, then English); by default the partnership's language.",
        )
        partnership_argument(parser)

    def handle(
        self,
        *args: Any,
        output: str,
        partnership: str | None,
        language: str | None = None,
        **options: Any,
    ) -> None:
        path = output_path(output, what="the document", example="dpia.xlsx")
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in RENDERERS:
            raise CommandError(
                f"{output} must end in .xlsx (a workbook) or .pdf: "
                "the extension says which to write."
            )
        chosen = partnership_for_command(partnership)
        document = dpia_document(partnership=chosen, language=language)
        render, _content_type = RENDERERS[fmt]
        buffer = io.BytesIO()  # the whole document first: a failure leaves no half-written file
        render(document, out=buffer)
        output_write(path, buffer.getvalue())
        instruments = len(document.section("collected").tables[0].rows)
        self.stdout.write(
            f"Wrote {output}: the record of processing and DPIA draft of {chosen.name} "
            f"({instruments} instrument{'s' if instruments != 1 else ''})."
        )
