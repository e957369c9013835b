"""The audits' part of a person's home page (scrutiny.home finds it through the app registry):
an auditor's audits to do, and, for each scrutiny in progress, its audits' pages for those who
run them. No case reference is shown here: the auditor's list of their audits shows them, and
the trail records that it was viewed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits.permissions import assignments_for_auditor, can_run_audits, is_auditor
from scrutiny.home import HomeLink, HomeTask
from scrutiny.models import Response, Scrutiny
from scrutiny.permissions import AnyUser


def _audits_summary(*, assigned: int, to_do: int, overdue: int, next_due: dt.date | None) -> str:
    if not assigned:
        return _("No audits are assigned to you at the moment.")
    if not to_do:
        return _("You have submitted every audit assigned to you.")
    if overdue:
        summary = ngettext(
            "You have %(to_do)d audit to do, %(overdue)d overdue.",
            "You have %(to_do)d audits to do, %(overdue)d overdue.",
            to_do,
        )
    else:
        summary = ngettext(
            "You have %(to_do)d audit to do.", "You have %(to_do)d audits to do.", to_do
        )
    summary %= {"to_do": to_do, "overdue": overdue}
    if next_due is not None:
        summary += " " + _("The next is due on %(day)s.") % {"day": date_format(next_due, "j F Y")}
    return summary


def audits_home_tasks(*, user: AnyUser) -> list[HomeTask]:
    """An auditor's main task: how many of their audits are to do (not submitted), how many
    of those are overdue, and when the next is due (one query, counted in the database)."""
    if not is_auditor(user):
        return []
    to_do = Q(response__isnull=True) | ~Q(response__status=Response.Status.SUBMITTED)
    late = to_do & Q(due__lt=timezone.localdate())
    counts = assignments_for_auditor(user).aggregate(
        assigned=Count("pk"),
        to_do=Count("pk", filter=to_do),
        overdue=Count("pk", filter=late),
        next_due=Min("due", filter=to_do),
    )
    return [
        HomeTask(
            key="audits",
            title=_("Your audits"),
            url=reverse("audit-mine"),
            summary=_audits_summary(**counts),
        )
    ]


def audits_home_scrutiny_links(*, user: AnyUser, scrutiny: Scrutiny) -> list[HomeLink]:
    """A scrutiny's audits' pages, for those who run them (no query)."""
    if not can_run_audits(user):
        return []
    return [
        HomeLink(_("Case-file audits"), reverse("audit-overview", args=[scrutiny.slug])),
        HomeLink(_("The sample of case files"), reverse("audit-sample", args=[scrutiny.slug])),
    ]
