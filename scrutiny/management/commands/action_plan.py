"""`manage.py action_plan SLUG --draft` and `manage.py action_plan SLUG --xlsx FILE.xlsx`
(CLI.md): draft one action for each signed-off finding not rated strong that has none yet, and
export the action plan in the partnership's delivery plan layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.actions import actions_draft, delivery_plan
from scrutiny.errors import ApplicationError
from scrutiny.management.commands.import_instrument import scrutiny_by_slug
from scrutiny.packs.plan import render_plan_xlsx


class Command(BaseCommand):
    help = "Draft a scrutiny's action plan from its findings, or export it as a workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("--draft", action="store_true", help="Draft actions from findings.")
        parser.add_argument("--xlsx", metavar="FILE.xlsx", help="Export the delivery plan.")

    def handle(self, *args: Any, slug: str, draft: bool, xlsx: str | None, **options: Any) -> None:
        if not draft and not xlsx:
            raise CommandError("Say what to do: --draft, --xlsx FILE.xlsx, or both.")
        if xlsx and not Path(xlsx).parent.exists():
            raise CommandError(f"There is no folder {Path(xlsx).parent} to write the plan in.")
        scrutiny = scrutiny_by_slug(slug)
        try:
            if draft:
                drafted = actions_draft(scrutiny=scrutiny)
                self.stdout.write(
                    f"Drafted {len(drafted)} action{'s' if len(drafted) != 1 else ''}"
                    + (
                        ": " + ", ".join(a.factor.code for a in drafted if a.factor)
                        if drafted
                        else ""
                    )
                    + "."
                )
            if xlsx:
                rows = delivery_plan(scrutiny=scrutiny)
                with Path(xlsx).open("wb") as out:
                    render_plan_xlsx(rows, title=scrutiny.title, out=out)
                self.stdout.write(f"Wrote {xlsx}: {len(rows)} actions.")
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
