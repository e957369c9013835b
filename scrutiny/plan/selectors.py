"""Reading the plan: actions loaded with what the plan shows of them (`plan_actions`), as the
pages and the API show them (`actions_shown`: words redacted, statuses in the partnership's
words, a carried action's movement), how many are at each status under each priority, and the
partnership's delivery plan as its annual report lays it out.

- `plan_rows`: the plan's rows (Priority, Outcome, Action, Timescale, Responsible, Update, RAG)
  grouped by priority, for the workbook and the PDF (`scrutiny.packs.plan`,
  `scrutiny.packs.plan_pdf`); `delivery_plan`: a scrutiny's.

Each reads in a fixed number of queries, however many actions (tests/test_query_counts.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from scrutiny.models import Action, ActionUpdate, Brag, Outcome, Priority, Scrutiny
from scrutiny.plan.brag import BRAG_WORDS, brag_label
from scrutiny.plan.movement import Movement, factor_movements
from scrutiny.plan.redaction import ActionRedactors

NEVER = dt.date.max
NO_NUMBER = 10**9  # unnumbered actions after the numbered ones
OTHER_WORK = "Other work"
# The delivery plan's columns, in PlanRow's order, as its workbook and its PDF head them.
PLAN_COLUMNS = ("Priority", "Outcome", "Action", "Timescale", "Responsible", "Update", "RAG")
# The lines under a priority's actions that say how its impact is measured and what it draws on.
MEASURING_IMPACT = "Measuring impact:"
RELATED_WORK = "Related work:"


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
    # What the import reads back (scrutiny.plan.importing): the action's number in the plan
    # (already before its words in `action`, "12. …"), which action it is, and its priority's
    # "Measuring impact:" and "Related work:" lines (redacted as the plan's own words).
    number: int | None = None
    action_id: int | None = None
    measuring_impact: str = ""
    related_work: str = ""


def numbered(number: int | None, text: str) -> str:
    """An action's words as the published plan writes them: "12. Recruit …" when numbered."""
    return f"{number}. {text}" if number is not None else text


def responsible_text(action: Action) -> str:
    return ", ".join(
        part
        for part in (
            action.responsible_group,
            action.responsible.name if action.responsible else "",
            action.lead_name,
        )
        if part
    )


def plan_actions(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Actions with what the plan shows of them, in a fixed number of queries."""
    return actions.select_related(
        "outcome__priority", "responsible", "factor", "scrutiny", "carried_from", "partnership"
    ).prefetch_related(
        Prefetch(
            "updates",
            queryset=ActionUpdate.objects.select_related("by", "evidence_scrutiny"),
        ),
        "scrutiny_trail",
    )


@dataclass(frozen=True)
class UpdateShown:
    update: ActionUpdate
    label: str  # its status in words
    note: str  # redacted
    evidence: str  # redacted
    document_name: str  # redacted: a file's name can name a child


@dataclass(frozen=True)
class ActionShown:
    """An action as the plan's pages show it: its words redacted (ActionRedactors), its status
    in the partnership's words, and how its factor moved if it was carried over."""

    action: Action
    label: str
    text: str
    outcome: str
    measures: str
    movement: Movement | None
    updates: list[UpdateShown]  # newest first

    @property
    def latest(self) -> UpdateShown | None:
        return self.updates[0] if self.updates else None


def actions_shown(
    actions: Iterable[Action], *, redactors: ActionRedactors | None = None
) -> list[ActionShown]:
    """`actions` (loaded with `plan_actions`) as the pages and the API show them, statuses in
    their partnership's words, in a fixed number of queries however many."""
    actions = list(actions)
    redactors = redactors or ActionRedactors()
    movements = factor_movements(actions)
    shown = []
    for action in actions:
        redact = functools.partial(redactors.redact, action)
        key = action.partnership.brag_key
        shown.append(
            ActionShown(
                action=action,
                label=brag_label(action.status, key),
                text=redact(action.text),
                outcome=(
                    redactors.redact_plan(action.partnership_id, action.outcome.text)
                    if action.outcome
                    else ""
                ),
                measures=redact(action.measures),
                movement=movements.get(action.pk),
                updates=[
                    UpdateShown(
                        u,
                        brag_label(u.status, key),
                        redact(u.note),
                        redact(u.evidence),
                        redact(u.document_name),
                    )
                    for u in action.updates.all()
                ],
            )
        )
    return shown


def priority_counts(
    priorities: Iterable[Priority], actions: QuerySet[Action]
) -> list[tuple[Priority, dict[str, int]]]:
    """Each priority with how many of `actions` are at each BRAG status (one query)."""
    counts: dict[int, dict[str, int]] = {}
    for priority_id, status in actions.values_list("outcome__priority_id", "status"):
        if priority_id is not None:
            counts.setdefault(priority_id, dict.fromkeys(Brag.values, 0))[status] += 1
    return [(p, counts.get(p.pk, dict.fromkeys(Brag.values, 0))) for p in priorities]


@dataclass(frozen=True)
class OutcomeShown:
    outcome: Outcome
    text: str  # redacted as the plan's own words (ActionRedactors.redact_plan)
    actions: list[ActionShown]


def priority_outcomes(priority: Priority, actions: QuerySet[Action]) -> list[OutcomeShown]:
    """A priority's outcomes, each with those of `actions` that serve it, soonest first."""
    by_outcome: dict[int, list[ActionShown]] = {}
    loaded = plan_actions(actions.filter(outcome__priority=priority)).order_by("timescale", "pk")
    redactors = ActionRedactors()
    for shown in actions_shown(loaded, redactors=redactors):
        assert shown.action.outcome_id is not None
        by_outcome.setdefault(shown.action.outcome_id, []).append(shown)
    return [
        OutcomeShown(
            outcome,
            redactors.redact_plan(priority.partnership_id, outcome.text),
            by_outcome.get(outcome.pk, []),
        )
        for outcome in Outcome.objects.filter(priority=priority)
    ]


def plan_rows(actions: QuerySet[Action]) -> list[PlanRow]:
    """The actions as rows of the delivery plan, grouped by priority in the plan's order, then
    by outcome and timescale; an action with no outcome sits under its scrutiny's priority (or
    "Other work"), after the plan's own priorities. The plan leaves the platform, so its words
    go through the redaction of every output (ActionRedactors)."""
    redactors = ActionRedactors()
    rows = []
    for action in plan_actions(actions):
        redact = functools.partial(redactors.redact, action)
        if action.outcome:
            priority = action.outcome.priority
            order: tuple[int, int] = (0, priority.position)
            title = priority.title
            outcome = redactors.redact_plan(action.partnership_id, action.outcome.text)
        else:
            order = (1, 0)
            title = (action.scrutiny.priority or action.scrutiny.title) if action.scrutiny else ""
            title = title or OTHER_WORK
            factor = f"{action.factor.code} {action.factor.statement}" if action.factor else ""
            outcome = redact(factor)
        latest = next(iter(action.updates.all()), None)
        lines = _priority_lines(action, redactors)
        rows.append(
            (
                order,
                title,
                PlanRow(
                    priority=title,
                    outcome=outcome,
                    action=numbered(action.number, redact(action.text)),
                    timescale=action.timescale,
                    responsible=responsible_text(action),
                    update=redact(latest.note) if latest else "",
                    rag=BRAG_WORDS[Brag(action.status)],
                    status=action.status,
                    number=action.number,
                    action_id=action.pk,
                    measuring_impact=lines[0],
                    related_work=lines[1],
                ),
            )
        )
    rows.sort(key=_plan_order)
    return [row for _, _, row in rows]


def _plan_order(item: tuple[tuple[int, int], str, PlanRow]) -> tuple[object, ...]:
    order, title, row = item
    number = row.number if row.number is not None else NO_NUMBER
    return (order, title, row.outcome, row.timescale or NEVER, number, row.action_id or 0)


def _priority_lines(action: Action, redactors: ActionRedactors) -> tuple[str, str]:
    """The "Measuring impact" and "Related work" of the action's priority, as the plan's words."""
    if action.outcome is None:
        return "", ""
    priority = action.outcome.priority
    return (
        redactors.redact_plan(action.partnership_id, priority.measuring_impact),
        redactors.redact_plan(action.partnership_id, priority.related_work),
    )


def delivery_plan(*, scrutiny: Scrutiny) -> list[PlanRow]:
    """A scrutiny's actions as rows of the delivery plan (`manage.py action_plan --xlsx`)."""
    return plan_rows(Action.objects.filter(scrutiny=scrutiny))
