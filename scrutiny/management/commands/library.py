"""`manage.py library list` and `manage.py library import SLUG TEMPLATE`: the shipped templates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.errors import ApplicationError
from scrutiny.library import TEMPLATES, template_import
from scrutiny.management.commands.import_instrument import OUTCOMES
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.models import Source


class Command(BaseCommand):
    help = (
        "The template library: `library list` shows the shipped templates; "
        "`library import SLUG TEMPLATE` adds one to scrutiny SLUG (importing it again changes "
        "nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="list|import")
        actions.add_parser("list", help="List the shipped templates.")
        add = actions.add_parser("import", help="Add a template to a scrutiny.")
        add.add_argument("slug", metavar="SLUG", help="The scrutiny.")
        partnership_argument(add)
        add.add_argument("template", metavar="TEMPLATE", help="The template, e.g. case-file-audit.")
        add.add_argument(
            "--code", default="", help="The instrument's code, instead of the template's own."
        )
        add.add_argument(
            "--no-factors",
            action="store_true",
            help="Leave out the links to success factors SF1 to SF6, for a scrutiny with other "
            "factors.",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list()
            return
        scrutiny = scrutiny_by_slug(options["slug"], options.get("partnership"))
        try:
            result = template_import(
                scrutiny=scrutiny,
                slug=options["template"],
                code=options["code"],
                with_factors=not options["no_factors"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Instrument {result.instrument.code} (version {result.version.number}) in "
                f"{scrutiny.slug}: {OUTCOMES.get(result.outcome, result.outcome)}."
            )
        )

    def _list(self) -> None:
        kinds = dict(Source.choices)
        for template in TEMPLATES:
            definition = template.definition
            self.stdout.write(
                f"{template.slug:<20} code {definition.code:<4} {kinds[definition.kind]}, "
                f"{len(definition.questions)} questions"
            )
            self.stdout.write(f"    {template.summary}")
            self.stdout.write(f"    workbook: {template.path}")
