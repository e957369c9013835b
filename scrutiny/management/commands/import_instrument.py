from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.models import Scrutiny
from scrutiny.workbooks import instrument_import

OUTCOMES = {
    "created": "created",
    "unchanged": "unchanged (the workbook matches the current version)",
    "replaced": "updated (the current version had no responses, so it was replaced)",
    "new version": "saved as a new version (the current one has responses, which keep theirs)",
}


def scrutiny_by_slug(slug: str) -> Scrutiny:
    """The scrutiny, or a CommandError that lists the slugs there are."""
    scrutiny = Scrutiny.objects.filter(slug=slug).first()
    if scrutiny is None:
        slugs = list(Scrutiny.objects.order_by("slug").values_list("slug", flat=True))
        known = ", ".join(slugs) if slugs else "none yet: run import_scrutiny first"
        raise CommandError(f"There is no scrutiny {slug!r}. Scrutinies: {known}.")
    return scrutiny


class Command(BaseCommand):
    help = (
        "Add an instrument to scrutiny SLUG from an instrument workbook, or update it "
        "(docs/workbooks.md). Importing the same workbook twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("file", metavar="FILE.xlsx")

    def handle(self, *args: Any, slug: str, file: str, **options: Any) -> None:
        scrutiny = scrutiny_by_slug(slug)
        try:
            result = instrument_import(scrutiny=scrutiny, file=file)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrument {result.instrument.code} (version {result.version.number}): "
                f"{OUTCOMES.get(result.outcome, result.outcome)}."
            )
        )
