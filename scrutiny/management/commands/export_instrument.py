import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.instruments import definition_from_version, instrument_current_version
from scrutiny.management.commands.import_responses import instrument_by_code
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.management.output_files import output_path, output_write
from scrutiny.workbooks import instrument_to_workbook
from scrutiny.workbooks.xlsform_writing import instrument_to_xlsform


class Command(BaseCommand):
    help = (
        "Write instrument CODE of scrutiny SLUG (its current version) as an instrument workbook, "
        "or with --xlsform as an XLSForm for KoboToolbox or ODK."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("--out", required=True, metavar="FILE.xlsx")
        parser.add_argument(
            "--xlsform", action="store_true", help="write an XLSForm (WORKBOOKS.md §6)"
        )

    def handle(
        self, *args: Any, slug: str, code: str, out: str, xlsform: bool, **options: Any
    ) -> None:
        path = output_path(out, what="the instrument", example=f"{code}.xlsx")
        instrument = instrument_by_code(scrutiny_by_slug(slug, options.get("partnership")), code)
        try:
            version = instrument_current_version(instrument)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        write = instrument_to_xlsform if xlsform else instrument_to_workbook
        buffer = io.BytesIO()
        write(definition_from_version(version)).save(buffer)
        output_write(path, buffer.getvalue())
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrument {instrument.code} (version {version.number}) written to {path}"
                + (" as an XLSForm." if xlsform else ".")
            )
        )
