"""`manage.py scores SLUG [--json]`: a scrutiny's scores as they may be published.

What a command prints can go anywhere (a file, an e-mail, a pack), so both forms go through
`scrutiny.disclosure`: small agency and area cells are suppressed (SCORING.md §9).
"""

from __future__ import annotations

from json import dumps
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutiny.disclosure import scores_for_publication
from scrutiny.errors import ApplicationError
from scrutiny.management.lookups import partnership_argument, scrutiny_by_slug
from scrutiny.models import Scrutiny
from scrutiny.scoring import RATING_LABELS, Rating, scrutiny_scores

SOURCE_NAMES = {
    "file_audit": "case-file audits",
    "practitioner_survey": "practitioner survey",
    "board_questionnaire": "board questionnaire",
    "family_feedback": "family feedback",
    "young_people": "children and young people",
}


class Command(BaseCommand):
    help = (
        "Print a scrutiny's success factor scores as they may be published (small agency and "
        "area cells suppressed): a table, or with --json the document of docs/scoring.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        partnership_argument(parser)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, slug: str, json: bool = False, **options: Any) -> None:
        scrutiny = scrutiny_by_slug(slug, options.get("partnership"))
        try:
            scores = scrutiny_scores(scrutiny=scrutiny)
            published = scores_for_publication(scores, scrutiny=scrutiny)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(dumps(published, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_table(scrutiny, published))


def _cell(cell: dict[str, Any], threshold: int) -> str:
    if cell.get("suppressed"):
        return f"fewer than {threshold}"
    return f"{cell['score']:.1f} (n {cell['n']})"


def _table(scrutiny: Scrutiny, published: dict[str, Any]) -> str:
    threshold = scrutiny.suppression_threshold
    lines = [f"{scrutiny.title} ({scrutiny.slug})", ""]
    for factor in published["factors"]:
        score = "no evidence" if factor["score"] is None else f"{factor['score']:.1f}"
        rating = RATING_LABELS[Rating(factor["rating"])]
        lines.append(f"{factor['code']}  {factor['statement']}")
        lines.append(f"    score {score}   {rating}   n {factor['n']}")
        for title, cells, names in (
            ("sources", factor["sources"], SOURCE_NAMES),
            ("agencies", factor["agencies"], {}),
            ("areas", factor["areas"], {}),
        ):
            if cells:
                shown = "; ".join(
                    f"{names.get(code, code)} {_cell(cell, threshold)}"
                    for code, cell in cells.items()
                )
                lines.append(f"    {title + ':':<10}{shown}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
