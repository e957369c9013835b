from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.models import Instrument, Scrutiny
from scrutiny.workbooks import responses_import
from scrutiny.workbooks.returns_files import mapping_read


def instrument_by_code(scrutiny: Scrutiny, code: str) -> Instrument:
    """The scrutiny's instrument, or a CommandError that lists the codes there are."""
    instrument = Instrument.objects.filter(scrutiny=scrutiny, code=code).first()
    if instrument is None:
        codes = list(scrutiny.instruments.order_by("code").values_list("code", flat=True))
        known = ", ".join(codes) if codes else "none yet: run import_instrument first"
        raise CommandError(
            f"Scrutiny {scrutiny.slug} has no instrument {code!r}. Its instruments: {known}."
        )
    return instrument


class Command(BaseCommand):
    help = (
        "Import a responses workbook or CSV (ours, or an export of Microsoft Forms, SurveyMonkey "
        "or Google Forms) as submitted responses to instrument CODE of scrutiny SLUG "
        "(docs/workbooks.md). All or nothing; importing it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("code", metavar="CODE")
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--map",
            metavar="MAP.csv",
            help="a CSV (or .xlsx) with columns column and question: a column of FILE that "
            "matches no question, by its header as written, and the question code it answers, "
            "or - to ignore it",
        )

    def handle(self, *args: Any, slug: str, code: str, file: str, **options: Any) -> None:
        instrument = instrument_by_code(scrutiny_by_slug(slug, options.get("partnership")), code)
        try:
            mapping = mapping_read(options["map"]) if options.get("map") else None
            result = responses_import(instrument=instrument, file=file, mapping=mapping)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Responses to {instrument.code}: {result}."))
