"""Writing the plan: the business plan's priorities and outcomes, actions drafted from a
scrutiny's signed-off findings, written and assigned, and carried into the next scrutiny of the
theme. An action's updates and BRAG are `scrutiny.plan.updates`.

- `priority_save`, `outcome_save`: the partnership's business plan, a priority and the outcomes
  (what will be different for children) under it.
- `actions_draft`: one draft action for each finding whose factor needs one
  (`scrutiny.plan.drafting`: rated below strong, or with areas for improvement) and that has no
  action yet (its text the finding's areas for improvement, else what to agree and what the
  evidence showed), under the scrutiny's priority in the business plan (an outcome for each
  factor); running it again adds nothing.
- `action_save`: what an action is, the outcome it serves, who is responsible and leads it, its
  timescale and measures of impact.
- `actions_carry`: the open actions of the earlier scrutiny of the theme move into this one,
  each beside how its factor moved (`scrutiny.plan.movement.factor_movements`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from scrutiny.errors import ApplicationError
from scrutiny.models import (
    Action,
    Agency,
    Brag,
    Finding,
    Outcome,
    Partnership,
    Priority,
    Scrutiny,
)
from scrutiny.plan.drafting import action_from_frozen

# ---------------------------------------------------------------------------------------------
# Priorities and outcomes


def priority_save(
    *, partnership: Partnership, title: str, priority: Priority | None = None
) -> Priority:
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Write the priority, for example “Neglect”.")
    duplicate = Priority.objects.filter(partnership=partnership, title__iexact=title)
    if priority is not None:
        duplicate = duplicate.exclude(pk=priority.pk)
    if duplicate.exists():
        raise ApplicationError(f"The plan already has a priority called “{title}”.")
    if priority is None:
        last = Priority.objects.filter(partnership=partnership).aggregate(n=Max("position"))["n"]
        return Priority.objects.create(
            partnership=partnership, title=title, position=(last or 0) + 1
        )
    priority.title = title
    priority.save(update_fields=["title"])
    return priority


def outcome_save(*, priority: Priority, text: str) -> Outcome:
    text = " ".join(text.split())
    if not text:
        raise ApplicationError("Write the outcome: what will be different for children.")
    if Outcome.objects.filter(priority=priority, text__iexact=text).exists():
        raise ApplicationError(f"“{priority.title}” already has that outcome.")
    last = Outcome.objects.filter(priority=priority).aggregate(n=Max("position"))["n"]
    return Outcome.objects.create(priority=priority, text=text, position=(last or 0) + 1)


def _scrutiny_priority(scrutiny: Scrutiny) -> Priority:
    """The business plan's priority that a scrutiny's actions roll up into (by its title)."""
    title = " ".join((scrutiny.priority or scrutiny.title).split())
    found = Priority.objects.filter(partnership_id=scrutiny.partnership_id, title__iexact=title)
    return found.first() or priority_save(partnership=scrutiny.partnership, title=title)


# ---------------------------------------------------------------------------------------------
# Drafting, writing and assigning


@transaction.atomic
def actions_draft(*, scrutiny: Scrutiny) -> list[Action]:
    """Draft one action for each signed-off finding whose factor needs one and has none yet."""
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
    priority = None
    drafted = []
    for finding in findings:
        if finding.factor_id in has_action:
            continue
        row = {
            **finding.frozen.get("row", {}),
            "code": finding.factor.code,
            "statement": finding.factor.statement,
        }
        draft = action_from_frozen(row, finding.improvements)
        if draft is None:  # rated strong, with no area for improvement
            continue
        priority = priority or _scrutiny_priority(scrutiny)
        outcome, _ = Outcome.objects.get_or_create(
            priority=priority,
            text=f"{finding.factor.code} {draft.statement[:480]}",
            defaults={"position": finding.factor.pk},
        )
        # Areas for improvement are the action's words; else the drafted action with what
        # the evidence showed, so that no two drafted actions read alike.
        improved = any(line.strip() for line in finding.improvements.splitlines())
        drafted.append(
            action := Action.objects.create(
                partnership_id=scrutiny.partnership_id,
                scrutiny=scrutiny,
                factor=finding.factor,
                outcome=outcome,
                # Stored text: drafted in the language active when drafted (the page's).
                text=draft.evidence if improved else draft.with_evidence,
                measures=gettext("%(factor)s moves at the next scrutiny of the theme.")
                % {"factor": finding.factor.code},
            )
        )
        action.scrutiny_trail.add(scrutiny)
    return drafted


@dataclass(frozen=True)
class ActionData:
    text: str
    outcome: Outcome | None = None
    responsible: Agency | None = None
    responsible_group: str = ""
    lead_name: str = ""
    lead_email: str = ""
    timescale: dt.date | None = None
    measures: str = ""


@transaction.atomic
def action_save(
    *, partnership: Partnership, data: ActionData, action: Action | None = None
) -> Action:
    """Create an action of the plan (other work, or a scrutiny's once drafted) or change one.
    A new timescale or lead clears a flag raised against the old one."""
    if action is not None and action.partnership_id != partnership.pk:
        raise ApplicationError("This action is another partnership's.")
    text = data.text.strip()
    if not text:
        raise ApplicationError("Write the action: what will be done.")
    if data.outcome is not None and data.outcome.priority.partnership_id != partnership.pk:
        raise ApplicationError("Choose one of this partnership's outcomes.")
    if data.responsible is not None and data.responsible.partnership_id != partnership.pk:
        raise ApplicationError("Choose one of this partnership's agencies.")
    if data.lead_email and not data.lead_name.strip():
        raise ApplicationError("Give the named lead's name as well as their email address.")
    fields = {
        "text": text,
        "outcome": data.outcome,
        "responsible": data.responsible,
        "responsible_group": data.responsible_group.strip(),
        "lead_name": data.lead_name.strip(),
        "lead_email": data.lead_email.strip().lower(),
        "timescale": data.timescale,
        "measures": data.measures.strip(),
    }
    if action is None:
        return Action.objects.create(partnership=partnership, **fields)
    action = Action.objects.select_for_update().get(pk=action.pk)
    lead = (action.timescale, action.lead_name, action.lead_email)
    if lead != (fields["timescale"], fields["lead_name"], fields["lead_email"]):
        action.flagged_at = None
        action.flag_reason = ""
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    return action


# ---------------------------------------------------------------------------------------------
# Carrying into the next scrutiny of the theme


@transaction.atomic
def actions_carry(*, scrutiny: Scrutiny) -> list[Action]:
    """Move the open actions of the earlier scrutiny of the theme (the one the workspace
    compares with) into this one, each onto the factor of the same code."""
    previous = scrutiny.previous
    if previous is None:
        raise ApplicationError(
            "Choose the earlier scrutiny of this theme first (“Compare with an earlier "
            "scrutiny” on the workspace): its open actions are carried from there."
        )
    factors = {factor.code: factor for factor in scrutiny.factors.all()}
    carried = list(
        Action.objects.select_for_update(of=("self",))
        .filter(scrutiny=previous)
        .exclude(status=Brag.BLUE)
        .select_related("factor")
    )
    for action in carried:
        action.carried_from = previous
        action.scrutiny = scrutiny
        action.factor = factors.get(action.factor.code) if action.factor else None
        action.save(update_fields=["carried_from", "scrutiny", "factor", "updated_at"])
        action.scrutiny_trail.add(previous, scrutiny)
    return carried
