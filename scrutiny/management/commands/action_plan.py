"""`manage.py action_plan SLUG --draft` and `manage.py action_plan SLUG --xlsx FILE.xlsx`
(CLI.md): draft one action for each signed-off finding not rated strong that has none yet, and
export the action plan in the partnership's delivery plan layout; `--pdf FILE.pdf` (beyond
CLI.md) writes the same plan as a PDF. `--language en|cy|both` (by default the partnership's): a
plan in both is written in Welsh with the workbook's header repeated in English, and as a PDF in
Welsh then in English."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.management.output_files import output_path, output_write
from scrutiny.models import Scrutiny
from scrutiny.packs.plan import render_plan_xlsx
from scrutiny.packs.plan_pdf import render_plan_pdf
from scrutiny.packs.words import LANGUAGE_CHOICES, document_languages, partnership_language
from scrutiny.plan.selectors import delivery_plan
from scrutiny.plan.services import actions_draft


class Command(BaseCommand):
    help = "Draft a scrutiny's action plan from its findings, or export it as a workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("--draft", action="store_true", help="Draft actions from findings.")
        parser.add_argument("--xlsx", metavar="FILE.xlsx", help="Export the delivery plan.")
        parser.add_argument("--pdf", metavar="FILE.pdf", help="Export it as a PDF.")
        parser.add_argument(
            "--language",
            choices=LANGUAGE_CHOICES,
            help="English, Welsh (cy) or both; by default the partnership's.",
        )

    def handle(
        self,
        *args: Any,
        slug: str,
        draft: bool,
        xlsx: str | None,
        pdf: str | None,
        language: str | None = None,
        **options: Any,
    ) -> None:
        if not draft and not xlsx and not pdf:
            raise CommandError("Say what to do: --draft, --xlsx FILE.xlsx, --pdf FILE.pdf.")
        # Both paths checked before anything is drafted: a refused path changes nothing.
        paths = {
            fmt: output_path(name, what="the plan", example=f"plan.{fmt}")
            for fmt, name in (("xlsx", xlsx), ("pdf", pdf))
            if name
        }
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        try:
            # A plan that cannot be written leaves the drafts undone too (and says nothing of
            # them): run it again with a place it can be written, and the same are drafted.
            with transaction.atomic():
                said = [self._draft(scrutiny)] if draft else []
                said += self._write(scrutiny, paths, language)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        for line in said:
            self.stdout.write(line)

    def _draft(self, scrutiny: Scrutiny) -> str:
        drafted = actions_draft(scrutiny=scrutiny)
        codes = ", ".join(a.factor.code for a in drafted if a.factor)
        return (
            f"Drafted {len(drafted)} action{'s' if len(drafted) != 1 else ''}"
            + (f": {codes}" if drafted else "")
            + "."
        )

    def _write(self, scrutiny: Scrutiny, paths: dict[str, Path], language: str | None) -> list[str]:
        """The plan in each format asked for, made in memory, then written; what was written."""
        if not paths:
            return []
        rows = delivery_plan(scrutiny=scrutiny)
        languages = document_languages(language or partnership_language(scrutiny.partnership))
        also = languages[1] if len(languages) > 1 else None
        renders: dict[str, Any] = {
            "xlsx": partial(render_plan_xlsx, also=also),
            "pdf": partial(render_plan_pdf, languages=languages),
        }
        written = []
        for fmt, path in paths.items():
            buffer = io.BytesIO()
            with translation.override(languages[0]):
                renders[fmt](
                    rows, title=scrutiny.title, key=scrutiny.partnership.brag_key, out=buffer
                )
            output_write(path, buffer.getvalue())
            written.append(f"Wrote {path}: {len(rows)} actions.")
        return written
