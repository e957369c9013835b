"""The action plan through the API: the partnership's business plan (`business_plan`), actions
to list, add, read and change, and a scrutiny's plan drafted from its findings or carried from
the earlier scrutiny of the theme (`actions`), an action's updates with evidence of impact
(`updates`), and what they answer with (`output`).

Who sees and changes what is scrutiny.permissions', exactly as on the pages (scrutiny.views.plan):
the business unit and the scrutineer write the plan; the board reads all of it and changes nothing
(403); an agency lead reads and updates only the actions their agency is responsible for (404 for
others); anyone else gets a 404 (or an empty list). The rules are scrutiny.plan's.

An action's words leave the platform here as they do in the plan's downloads (`plan_rows`):
redacted by scrutiny.plan.redaction.ActionRedactors (every case reference and redaction term of
the partnership, with the terms of the scrutinies the action has been in, or of all for other
work).

The operations are named here for scrutiny/api_urls.py.
"""

from scrutiny.apis.plan.actions import (
    ActionDetailApi,
    ActionListApi,
    ScrutinyActionsCarryApi,
    ScrutinyActionsDraftApi,
)
from scrutiny.apis.plan.business_plan import PlanApi
from scrutiny.apis.plan.updates import ActionUpdatesApi

__all__ = [
    "ActionDetailApi",
    "ActionListApi",
    "ActionUpdatesApi",
    "PlanApi",
    "ScrutinyActionsCarryApi",
    "ScrutinyActionsDraftApi",
]
