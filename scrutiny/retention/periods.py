"""When each kind of personal data has passed its period: the cut-off moments of one run.

Every period is counted back from the run's `now` (a parameter, so a run can be repeated with a
fixed clock): something passed its period when it started on or before the same date and time
that many months (days) earlier. A month back from 31 March is 28 (29) February.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from scrutiny.models import Partnership


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same date and time `months` calendar months earlier (the day clamped to the month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Cutoffs:
    """For each kind, the latest moment (or scrutiny end day) that has passed its period."""

    now: dt.datetime
    answers: dt.date  # a scrutiny's end
    drafts: dt.datetime  # a draft's last change (a survey's close for survey drafts)
    invitations: dt.datetime  # a survey's close
    contributions: dt.date  # a scrutiny's end
    case_lists: dt.date  # a scrutiny's end
    uploads: dt.datetime  # a document's upload
    trail: dt.datetime  # an entry's writing

    @classmethod
    def of(cls, partnership: Partnership, now: dt.datetime) -> Cutoffs:
        if timezone.is_naive(now):
            raise ValueError("A retention run needs a timezone-aware `now`.")
        today = timezone.localtime(now)

        def ended(months: int) -> dt.date:
            return months_before(today, months).date()

        return cls(
            now=now,
            answers=ended(partnership.retain_answers_months),
            drafts=now - dt.timedelta(days=partnership.retain_drafts_days),
            invitations=months_before(today, partnership.retain_invitations_months),
            contributions=ended(partnership.retain_contributions_months),
            case_lists=ended(partnership.retain_case_lists_months),
            uploads=months_before(today, partnership.retain_uploads_months),
            trail=months_before(today, partnership.retain_trail_months),
        )
