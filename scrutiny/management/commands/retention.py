"""`manage.py retention [--dry-run] [--partnership SLUG]`: remove or anonymise the personal data
past each partnership's periods, printing what was done (or would be) for each kind.

The daily celery beat task does the same for every partnership (scrutiny.tasks.retention_daily).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from scrutiny.management.lookups import partnership_for_command
from scrutiny.retention import KINDS, RetentionReport, retention_run, retention_run_all


class Command(BaseCommand):
    help = (
        "Remove or anonymise personal data past the partnership's retention periods, keeping "
        "signed-off findings, scores, packs and the action plan. --dry-run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")
        parser.add_argument("--partnership", metavar="SLUG", help="One partnership only.")

    def handle(
        self, *args: Any, dry_run: bool = False, partnership: str | None = None, **options: Any
    ) -> None:
        now = timezone.now()
        if partnership is None:
            reports = retention_run_all(now=now, dry_run=dry_run)
        else:
            found = partnership_for_command(partnership)
            reports = [retention_run(partnership=found, now=now, dry_run=dry_run)]
        for report in reports:
            self.stdout.write(report_text(report))


def report_text(report: RetentionReport) -> str:
    verb = "would be" if report.dry_run else "were"
    lines = [
        f"{report.partnership}: retention run"
        + (" (dry run: nothing changed)" if report.dry_run else ""),
    ]
    for kind, kind_lines in report.by_kind().items():
        lines.append(f"  {KINDS.get(kind, kind)}")
        if not any(line.count for line in kind_lines):
            lines.append("    nothing past its period")
        for line in kind_lines:
            if line.count:
                reason = f": {line.reason}" if line.reason else ""
                lines.append(f"    {line.count} {line.what} {verb} {line.outcome}{reason}")
    return "\n".join(lines)
