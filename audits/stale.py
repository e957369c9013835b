"""What an auditor reads when their save or submission is refused because the audit changed
since their page was drawn (`audits.completion.StaleRevision`): when it last changed, in the
reader's language. The audit tool's pages may be Welsh, so the sentence is translated and a
date's month is named by Django's `date_format` in the active language, never by the server's
`%B` (which names it in English inside a Welsh sentence)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from audits.models import Assignment, AuditEvent

NOTHING_SAVED = gettext_lazy(
    "Nothing you typed on this page was saved. Reload the page to see the answers saved now, "
    "then make your changes again."
)


def last_change(assignment: Assignment) -> dt.datetime | None:
    return (
        AuditEvent.objects.filter(
            assignment=assignment,
            action__in=[
                AuditEvent.Action.CHANGED,
                AuditEvent.Action.SUBMITTED,
                AuditEvent.Action.REOPENED,
                AuditEvent.Action.ASSIGNED,
            ],
        )
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )


def changed_when(changed: dt.datetime | None) -> str:
    """When the audit changed: the time, and the date too unless it was today."""
    if changed is None:
        return gettext("This audit was changed in another tab or by someone else.")
    local = timezone.localtime(changed)
    when = {"time": date_format(local, "H:i"), "date": date_format(local, "j F Y")}
    if local.date() == timezone.localdate():
        return (
            gettext("This audit was changed in another tab or by someone else at %(time)s.") % when
        )
    return (
        gettext("This audit was changed in another tab or by someone else at %(time)s on %(date)s.")
        % when
    )


def stale_message(assignment: Assignment) -> str:
    """The refusal: when the audit changed, and that nothing the auditor typed was saved."""
    return f"{changed_when(last_change(assignment))} {NOTHING_SAVED}"
