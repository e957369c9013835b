"""Action plans: drafting actions from signed-off findings, moving them through BRAG with an
update every time, and the partnership's delivery plan as its annual report lays it out.

- `actions_draft`: one draft action for each finding whose factor is not rated strong and that
  has no action yet (its text from the finding's areas for improvement); running it again adds
  nothing.
- `action_update`: a change of status (or a progress note) always with an update note, kept as
  history; Blue (complete) only with evidence of impact: a later scrutiny's factor moving, an
  audit or a document, saying what and where.
- `delivery_plan`: the plan's rows (Priority, Outcome, Action, Timescale, Responsible, Update,
  RAG) grouped by priority, for the workbook of `manage.py action_plan SLUG --xlsx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from scrutiny.disclosure import Redactor
from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Action,
    ActionUpdate,
    Brag,
    Finding,
    Priority,
    Scrutiny,
    User,
)
from scrutiny.scoring import RATING_LABELS, Rating

NEVER = dt.date.max
BRAG_WORDS = {Brag.BLUE: "Blue", Brag.GREEN: "Green", Brag.AMBER: "Amber", Brag.RED: "Red"}


@transaction.atomic
def actions_draft(*, scrutiny: Scrutiny) -> list[Action]:
    """Draft one action for each signed-off finding not rated strong that has none yet."""
    findings = (
        Finding.objects.filter(scrutiny=scrutiny, signed_off_at__isnull=False)
        .select_related("factor")
        .order_by("factor__code")
    )
    if not findings.exists():
        raise ApplicationError(
            f"{scrutiny.title} has no signed-off findings yet: sign them off in the workspace, "
            "then draft the action plan."
        )
    has_action = set(
        Action.objects.filter(scrutiny=scrutiny, factor__isnull=False).values_list(
            "factor_id", flat=True
        )
    )
    drafted = []
    for finding in findings:
        rating = finding.frozen.get("row", {}).get("rating", Rating.INSUFFICIENT.value)
        if rating == Rating.STRONG.value or finding.factor_id in has_action:
            continue
        improvements = " ".join(finding.improvements.splitlines()).strip()
        label = RATING_LABELS[Rating(rating)]
        drafted.append(
            Action.objects.create(
                partnership_id=scrutiny.partnership_id,
                scrutiny=scrutiny,
                factor=finding.factor,
                text=improvements
                or f"Agree an action at the scrutiny event for {finding.factor.code} ({label}).",
                measures=f"{finding.factor.code} moves at the next scrutiny of the theme.",
            )
        )
    return drafted


@transaction.atomic
def action_update(
    *,
    action: Action,
    status: str,
    note: str,
    user: User,
    evidence_kind: str = "",
    evidence: str = "",
) -> ActionUpdate:
    """Record an update, changing the status to `status`. Refused, changing nothing, without
    a note, or for Blue without evidence of impact."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status not in Brag.values:
        raise ApplicationError("Choose Blue, Green, Amber or Red.")
    note = note.strip()
    if not note:
        raise ApplicationError("Write an update: what has happened since the last one.")
    evidence = evidence.strip()
    kinds = {kind for kind in ActionUpdate.Evidence.values if kind}
    if status == Brag.BLUE and (evidence_kind not in kinds or not evidence):
        raise ApplicationError(
            "Blue means complete and evidenced: attach the evidence of impact (a later "
            "scrutiny's factor moving, an audit, or a document) and say what it shows."
        )
    update = ActionUpdate.objects.create(
        action=action,
        status=status,
        note=note,
        evidence_kind=evidence_kind,
        evidence=evidence,
        by=user,
    )
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return update


@dataclass(frozen=True)
class PlanRow:
    priority: str
    outcome: str
    action: str
    timescale: dt.date | None
    responsible: str
    update: str
    rag: str  # the BRAG word
    status: str  # blue, green, amber or red


def delivery_plan(*, scrutiny: Scrutiny) -> list[PlanRow]:
    """The scrutiny's actions as rows of the delivery plan, grouped by priority (the plan's
    order), actions without an outcome under the scrutiny's own priority."""
    actions = (
        Action.objects.filter(scrutiny=scrutiny)
        .select_related("outcome__priority", "responsible", "factor")
        .prefetch_related("updates")
    )
    order = {p.pk: p.position for p in Priority.objects.filter(partnership=scrutiny.partnership_id)}
    rows = []
    for action in actions:
        priority = (
            action.outcome.priority.title if action.outcome else scrutiny.priority or scrutiny.title
        )
        latest = next(iter(action.updates.all()), None)
        responsible = ", ".join(
            part
            for part in (
                action.responsible_group,
                action.responsible.name if action.responsible else "",
                action.lead_name,
            )
            if part
        )
        rows.append(
            (
                order.get(action.outcome.priority_id, 0) if action.outcome else -1,
                priority,
                PlanRow(
                    priority=priority,
                    outcome=action.outcome.text
                    if action.outcome
                    else (
                        f"{action.factor.code} {action.factor.statement}" if action.factor else ""
                    ),
                    action=action.text,
                    timescale=action.timescale,
                    responsible=responsible,
                    update=latest.note if latest else "",
                    rag=BRAG_WORDS[Brag(action.status)],
                    status=action.status,
                ),
            )
        )
    rows.sort(
        key=lambda item: (item[0], item[1], item[2].outcome, item[2].timescale or dt.date.max)
    )
    return [row for _, _, row in rows]


# ---------------------------------------------------------------------------------------------
# Overdue and drifting actions (celery beat, daily)

DRIFT_DAYS = 42  # no update for six weeks: drifting
REMIND_DAYS = 7  # an action flagged is flagged again a week later at the soonest


@dataclass(frozen=True)
class Flag:
    action_id: int
    reasons: tuple[str, ...]


def actions_to_flag(*, now: dt.datetime) -> list[Flag]:
    """Open actions past their timescale or without an update for DRIFT_DAYS (counted from the
    last update, else from when the action was made), not flagged in the last REMIND_DAYS."""
    from django.db.models import Max, Q

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
        last = action.last_update or action.created_at  # type: ignore[attr-defined]
        if last < drift:
            reasons.append(f"drifting: no update since {last:%-d %B %Y}")
        if reasons:
            flags.append(Flag(action.pk, tuple(reasons)))
    return flags


def actions_flag(*, now: dt.datetime | None = None) -> int:
    """Email each flagged action's lead and the business unit; returns how many were flagged.
    Each action is marked as it goes, so a retried task emails no one twice."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import timezone

    now = now or timezone.now()
    sent = 0
    for flag in actions_to_flag(now=now):
        with transaction.atomic():
            action = (
                Action.objects.select_for_update(of=("self",))
                .select_related("partnership", "factor", "scrutiny")
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
            action.save(update_fields=["flagged_at"])
            if not recipients:
                continue
            link = f"{settings.SITE_URL}{reverse('admin:scrutiny_action_change', args=[action.pk])}"
            # An email leaves the platform: the action's words go through the redaction.
            text = (
                Redactor.for_scrutiny(action.scrutiny).redact(action.text)
                if action.scrutiny
                else action.text
            )
            send_mail(
                subject=f"Action needs an update: {text[:60]}",
                message=(
                    f"An action of {action.partnership.name}'s plan is "
                    + " and ".join(flag.reasons)
                    + f".\n\nAction: {text}\nStatus: {BRAG_WORDS[Brag(action.status)]}\n\n"
                    f"Please give it an update (what has happened, and its status): {link}\n"
                ),
                from_email=None,
                recipient_list=recipients,
            )
            sent += 1
    return sent
