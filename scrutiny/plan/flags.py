"""Overdue and drifting actions, flagged daily (celery beat runs
`scrutiny.tasks.actions_flag_overdue`): an open action past its timescale, or without an update
for DRIFT_DAYS, is marked, and its lead and the business unit are emailed, not again for
REMIND_DAYS.

The email is in the partnership's default language (issue 18), written inside
`translation.override`; the reason kept on the action (`Action.flag_reason`) stays in English,
the words the plan's data is kept in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from scrutiny.models import Action, Brag, User
from scrutiny.notifications import email_send, site_link
from scrutiny.packs.words import long_date, partnership_language
from scrutiny.plan.brag import brag_word
from scrutiny.plan.redaction import ActionRedactors

DRIFT_DAYS = 42  # no update for six weeks: drifting
REMIND_DAYS = 7  # an action flagged is flagged again a week later at the soonest


@dataclass(frozen=True)
class Flag:
    action_id: int
    reasons: tuple[str, ...]  # in English
    overdue: dt.date | None = None  # its timescale, when it is past
    since: dt.date | None = None  # its last update (or making), when it is drifting


def _reasons(overdue: dt.date | None, since: dt.date | None) -> tuple[str, ...]:
    """Why an action is flagged, in the active language."""
    reasons = []
    if overdue is not None:
        reasons.append(
            gettext("overdue: its timescale was %(date)s") % {"date": long_date(overdue)}
        )
    if since is not None:
        reasons.append(gettext("drifting: no update since %(date)s") % {"date": long_date(since)})
    return tuple(reasons)


def actions_to_flag(*, now: dt.datetime) -> list[Flag]:
    """Open actions past their timescale or without an update for DRIFT_DAYS (counted from the
    last update, else from when the action was made), not flagged in the last REMIND_DAYS."""
    today = now.date()
    drift = now - dt.timedelta(days=DRIFT_DAYS)
    candidates = (
        Action.objects.exclude(status=Brag.BLUE)
        .filter(Q(flagged_at__isnull=True) | Q(flagged_at__lt=now - dt.timedelta(days=REMIND_DAYS)))
        .annotate(last_update=Max("updates__at"))
        .order_by("pk")
    )
    flags = []
    for action in candidates:
        overdue = action.timescale if action.timescale and action.timescale < today else None
        last = action.last_update or action.created_at
        since = last.date() if last < drift else None
        if overdue or since:
            with translation.override("en"):
                reasons = _reasons(overdue, since)
            flags.append(Flag(action.pk, reasons, overdue, since))
    return flags


def _context(action: Action, redactors: ActionRedactors) -> str:
    """Where the action comes from, in words: its scrutiny and its success factor (the
    factor's statement, not only its code), redacted as the action's words are."""
    lines = ""
    if action.scrutiny is not None:
        title = redactors.redact(action, action.scrutiny.title)
        lines += gettext("Scrutiny: %(title)s") % {"title": title} + "\n"
    if action.factor is not None:
        statement = redactors.redact(action, " ".join(action.factor.statement.split()))
        lines += gettext("Success factor: %(statement)s") % {"statement": statement} + "\n"
    return lines


def actions_flag(*, now: dt.datetime | None = None) -> int:
    """Email each flagged action's lead and the business unit; returns how many were flagged.
    Each action is locked, marked and emailed in one transaction: an email that fails leaves its
    action unmarked for the task's retry to send, and one that went is marked, so a retried task
    emails no one twice."""
    now = now or timezone.now()
    sent = 0
    for flag in actions_to_flag(now=now):
        with transaction.atomic():
            action = (
                Action.objects.select_for_update(of=("self",))
                .select_related("partnership", "factor", "scrutiny", "carried_from")
                .get(pk=flag.action_id)
            )
            if action.flagged_at is not None and action.flagged_at >= now - dt.timedelta(
                days=REMIND_DAYS
            ):
                continue
            business_unit = list(
                User.objects.filter(
                    partnership_id=action.partnership_id,
                    role=User.Role.ADMINISTRATOR,
                    is_active=True,
                ).values_list("email", flat=True)
            )
            recipients = sorted({e for e in [action.lead_email, *business_unit] if e})
            action.flagged_at = now
            reason = "; ".join(flag.reasons)
            action.flag_reason = (reason[:1].upper() + reason[1:])[:300]
            action.save(update_fields=["flagged_at", "flag_reason"])
            if not recipients:
                continue
            with translation.override(partnership_language(action.partnership)):
                subject, body = _flag_email(action, flag)
            email_send(subject=subject, body=body, to=recipients)
        sent += 1
    return sent


def _flag_email(action: Action, flag: Flag) -> tuple[str, str]:
    """The email about a flagged action, in the active language. It leaves the platform: the
    action's words go through the redaction."""
    redactors = ActionRedactors()
    text = redactors.redact(action, action.text)
    subject = gettext("Action needs an update: %(action)s") % {"action": text[:60]}
    reasons = gettext(" and ").join(_reasons(flag.overdue, flag.since))
    body = (
        gettext("An action of %(partnership)s's plan is %(reasons)s.")
        % {"partnership": action.partnership.name, "reasons": reasons}
        + "\n\n"
        + gettext("Action: %(action)s") % {"action": text}
        + "\n"
        + _context(action, redactors)
        + gettext("Status: %(status)s") % {"status": brag_word(action.status)}
        + "\n\n"
        + gettext("Please give it an update (what has happened, and its status): %(link)s")
        % {"link": site_link("plan-action", action.pk)}
        + "\n"
    )
    return subject, body
