"""`manage.py invite SLUG CODE FILE` (CLI.md).

Invites the people of an invitation list (.xlsx or .csv, WORKBOOKS.md §4) to answer instrument
CODE, each with a personal single-use link sent by email (a celery task, after the invitations
are stored). An address already invited is not invited again. The invitations go to the
instrument's latest survey, set up here (open from now) if it has none. All or nothing: a list
with a bad row invites no one and the command exits non-zero with the rows to correct.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.workbooks.lists import list_file_content
from surveys.services import invitations


class Command(BaseCommand):
    help = (
        "Invite the people of an invitation list (.xlsx or .csv: email, agency, role) to answer "
        "instrument CODE, each by email with a personal single-use link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("code", metavar="CODE", help="The survey instrument's code.")
        parser.add_argument("file", metavar="FILE", help="The invitation list, .xlsx or .csv.")

    def handle(self, *args: Any, slug: str, code: str, file: str, **options: Any) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        try:
            content = list_file_content(file)
            with transaction.atomic():  # a bad list sets up no survey either
                survey = invitations.survey_for_instrument(scrutiny=scrutiny, code=code)
                result = invitations.invitations_create(
                    survey=survey, content=content, file_name=Path(file).name
                )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        people = "person" if result.created == 1 else "people"
        line = f"Invited {result.created} {people} to “{survey.title}” ({code})"
        if result.already_invited:
            line += f"; {result.already_invited} already invited were not invited again"
        self.stdout.write(line + ".")
