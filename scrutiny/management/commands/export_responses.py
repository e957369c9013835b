"""`manage.py export_responses SLUG CODE FILE [--csv] [--labels]` (spec/CLI.md)."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from xlsxwriter.exceptions import FileCreateError

from scrutiny.errors import ApplicationError
from scrutiny.exports.jobs import responses_export_record
from scrutiny.exports.responses import ExportResult, responses_export
from scrutiny.management.commands.import_responses import instrument_by_code
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.management.output_files import output_path, output_stream
from scrutiny.models import Instrument


class Command(BaseCommand):
    help = (
        "Export the responses to instrument CODE of scrutiny SLUG for analysts, one row a "
        "response, in the responses workbook's layout (import_responses reads it back), with "
        "the event pack's suppression and redaction: numbered, not named; small groups' agency, "
        "area, role and day blank; texts redacted; possible disclosures blank."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("file", metavar="FILE", help="the file to write (.xlsx, or .csv)")
        parser.add_argument(
            "--csv", action="store_true", help="write a CSV (UTF-8 with a byte-order mark)"
        )
        parser.add_argument(
            "--labels",
            action="store_true",
            help="options by their labels (the words respondents read), not their values",
        )

    def handle(self, *args: Any, slug: str, code: str, file: str, **options: Any) -> None:
        fmt = "csv" if options["csv"] else "xlsx"
        path = output_path(file, what="the responses", example=f"{code}.{fmt}")
        instrument = instrument_by_code(scrutiny_by_slug(slug, options.get("partnership")), code)
        try:
            # Moved into place once written, and the export recorded only then.
            with output_stream(path) as out:
                result = _export(instrument, out, fmt=fmt, labels=options["labels"])
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        responses_export_record(
            instrument=instrument, user=None, result=result, fmt=fmt, labels=options["labels"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} responses to {instrument.code} written to {file} "
                f"({result.questions} questions)."
            )
        )


def _export(instrument: Instrument, out: BinaryIO, *, fmt: str, labels: bool) -> ExportResult:
    try:
        return responses_export(instrument=instrument, out=out, fmt=fmt, labels=labels)
    except FileCreateError as exc:
        # xlsxwriter's word for an OSError while it wrote the workbook: the error itself, so
        # that output_stream says what it was.
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from exc
        raise
