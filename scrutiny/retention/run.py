"""`retention_run`: one partnership's run, the core's kinds and each app's, in one transaction.

The apps' kinds (audit contributions and case lists in `audits`, invitations and survey drafts
in `surveys`) are found through the app registry: an app's config may offer
`retention_run(partnership=..., cutoffs=...)` returning its `RetentionLine`s. The core imports
neither app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from scrutiny.models import Partnership, TrailEntry
from scrutiny.retention import core
from scrutiny.retention.periods import Cutoffs, months_before
from scrutiny.retention.report import RetentionLine, RetentionReport
from scrutiny.trail import trail_record

Step = Callable[..., list[RetentionLine]]


def _steps() -> list[Step]:
    steps: list[Step] = [core.answers_anonymise, core.drafts_remove]
    for config in apps.get_app_configs():
        hook = getattr(config, "retention_run", None)
        if hook is not None:
            steps.append(hook)
    # The trail last, so that what the run itself expires is its own line, never missed.
    return [*steps, core.uploads_remove, core.trail_expire]


def retention_run(
    *, partnership: Partnership, now: dt.datetime, dry_run: bool = False
) -> RetentionReport:
    """Removes or anonymises the partnership's personal data that has passed its period (the
    partnership's `retain_*` fields), keeping what it must keep; records the run in the trail
    with its counts. A dry run reports the same lines and changes nothing: everything is done
    in a transaction that is then rolled back (files are deleted only once committed)."""
    cutoffs = Cutoffs.of(partnership, now)
    report = RetentionReport(partnership=partnership.name, now=now, dry_run=dry_run)
    with transaction.atomic():
        for step in _steps():
            report.lines.extend(step(partnership=partnership, cutoffs=cutoffs))
        if dry_run:
            transaction.set_rollback(True)
        else:
            trail_record(
                action="retention_run",
                partnership=partnership,
                detail=f"Retention run: {report.changed} things removed or anonymised.",
                data=report.as_data(),
            )
    return report


def platform_trail_expire(*, now: dt.datetime, months: int, dry_run: bool = False) -> int:
    """Expires the platform's own trail entries (of no partnership, e.g. a failed sign-in of
    no account) older than `months`."""
    old = TrailEntry.objects.filter(partnership__isnull=True, at__lte=months_before(now, months))
    if dry_run:
        return old.count()
    return old._expire()


def retention_run_all(*, now: dt.datetime, dry_run: bool = False) -> list[RetentionReport]:
    """Every partnership's run, then the platform's trail (kept as long as the longest period
    of any partnership's trail)."""
    reports = [
        retention_run(partnership=partnership, now=now, dry_run=dry_run)
        for partnership in Partnership.objects.order_by("name")
    ]
    longest = max((p.retain_trail_months for p in Partnership.objects.all()), default=72)
    expired = platform_trail_expire(now=now, months=longest, dry_run=dry_run)
    if expired and not dry_run:
        trail_record(
            action="retention_run",
            detail=f"Retention run: {expired} of the platform's own trail entries expired.",
            data={"now": now.isoformat(), "dry_run": False, "platform_trail": expired},
        )
    return reports
