"""Action plans: drafting actions from signed-off findings, writing and assigning them, moving
them through BRAG with an update every time, carrying open ones into the next scrutiny of the
theme, flagging those overdue or drifting, and the partnership's delivery plan as its annual
report lays it out.

- `services`: writes: priorities and outcomes, drafting, writing and assigning, carrying;
- `updates`: an action's updates and BRAG, with the evidence of impact Blue needs;
- `selectors`: reads: actions as the plan shows them, counts, a priority's outcomes, the rows
  of the delivery plan;
- `movement`: how a success factor moved between two scrutinies;
- `flags`: overdue and drifting actions, flagged daily;
- `redaction`: the redaction of an action's words (`ActionRedactors`);
- `brag`: statuses in words, and the RAG key.

The names below are the plan's whole surface, for callers that use much of it.
"""

from scrutiny.plan.brag import BRAG_WORDS, brag_label, key_line
from scrutiny.plan.flags import DRIFT_DAYS, REMIND_DAYS, Flag, actions_flag, actions_to_flag
from scrutiny.plan.movement import Movement, ScoresCache, factor_movement, factor_movements
from scrutiny.plan.redaction import ActionRedactors
from scrutiny.plan.selectors import (
    ActionShown,
    OutcomeShown,
    PlanRow,
    UpdateShown,
    actions_shown,
    delivery_plan,
    plan_actions,
    plan_rows,
    priority_counts,
    priority_outcomes,
    responsible_text,
)
from scrutiny.plan.services import (
    ActionData,
    action_save,
    actions_carry,
    actions_draft,
    outcome_save,
    priority_save,
)
from scrutiny.plan.updates import DOCUMENT_TYPES, Evidence, action_update

__all__ = [
    "BRAG_WORDS",
    "DOCUMENT_TYPES",
    "DRIFT_DAYS",
    "REMIND_DAYS",
    "ActionData",
    "ActionRedactors",
    "ActionShown",
    "Evidence",
    "Flag",
    "Movement",
    "OutcomeShown",
    "PlanRow",
    "ScoresCache",
    "UpdateShown",
    "action_save",
    "action_update",
    "actions_carry",
    "actions_draft",
    "actions_flag",
    "actions_shown",
    "actions_to_flag",
    "brag_label",
    "delivery_plan",
    "factor_movement",
    "factor_movements",
    "key_line",
    "outcome_save",
    "plan_actions",
    "plan_rows",
    "priority_counts",
    "priority_outcomes",
    "priority_save",
    "responsible_text",
]
