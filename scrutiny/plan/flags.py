"""Overdue and drifting actions, flagged daily (celery beat runs
`scrutiny.tasks.actions_flag_overdue`): an open action past its timescale, or without an update
for DRIFT_DAYS, is marked, and its lead and the business unit are emailed, not again for
REMIND_DAYS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from scrutiny.models import Action, Brag, User
from scrutiny.notifications import email_send, site_link
from scrutiny.plan.brag import BRAG_WORDS
from scrutiny.plan.redaction import ActionRedactors

DRIFT_DAYS = 42  # no update for six weeks: drifting
REMIND_DAYS = 7  # an action flagged is flagged again a week later at the soonest


@dataclass(frozen=True)
class Flag:
    action_id: int
    reasons: tuple[str, ...]


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
        reasons = []
        if action.timescale is not None and action.timescale < today:
            reasons.append(f"overdue: its timescale was {action.timescale:%-d %B %Y}")
        last = action.last_update or action.created_at
        if last < drift:
            reasons.append(f"drifting: no update since {last:%-d %B %Y}")
        if reasons:
            flags.append(Flag(action.pk, tuple(reasons)))
    return flags


def _context(action: Action, redactors: ActionRedactors) -> str:
    """Where the action comes from, in words: its scrutiny and its success factor (the
    factor's statement, not only its code), redacted as the action's words are."""
    lines = ""
    if action.scrutiny is not None:
        lines += f"Scrutiny: {redactors.redact(action, action.scrutiny.title)}\n"
    if action.factor is not None:
        statement = redactors.redact(action, " ".join(action.factor.statement.split()))
        lines += f"Success factor: {statement}\n"
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
            # An email leaves the platform: the action's words go through the redaction.
            redactors = ActionRedactors()
            text = redactors.redact(action, action.text)
            email_send(
                subject=f"Action needs an update: {text[:60]}",
                body=(
                    f"An action of {action.partnership.name}'s plan is "
                    + " and ".join(flag.reasons)
                    + f".\n\nAction: {text}\n"
                    + _context(action, redactors)
                    + f"Status: {BRAG_WORDS[Brag(action.status)]}\n\n"
                    "Please give it an update (what has happened, and its status): "
                    f"{site_link('plan-action', action.pk)}\n"
                ),
                to=recipients,
            )
        sent += 1
    return sent
