"""What the plan's API answers with, shared by its operations: the BRAG status and the kind of
evidence as schema components of their own, an action as the API shows it
(`ActionOutputSerializer`), and `actions_out`: actions as `scrutiny.plan.selectors.actions_shown`
shows them (words redacted by `ActionRedactors`, each with how its factor moved), in a fixed
number of queries however many.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scrutiny.models import Action, ActionUpdate, Brag
from scrutiny.plan.redaction import ActionRedactors
from scrutiny.plan.selectors import actions_shown, plan_actions, responsible_text

# Serializers nested in others live at module level; each name is unique in the schema.


@extend_schema_field({"type": "string", "enum": list(Brag.values)}, component_name="BragStatus")
class BragStatusField(serializers.ChoiceField):
    """An action's BRAG status as its own schema component (other `status` fields differ)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose Blue, Green, Amber or Red.",
                "invalid_choice": "Choose Blue, Green, Amber or Red (“{input}” is none of them).",
            },
        )
        super().__init__(choices=Brag.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(ActionUpdate.Evidence.values)}, component_name="EvidenceKind"
)
class EvidenceKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Choose a later scrutiny, an audit or a document as the evidence."},
        )
        super().__init__(choices=ActionUpdate.Evidence.choices, allow_blank=True, **kwargs)


class BragKeyOutputSerializer(serializers.Serializer):
    blue = serializers.CharField()
    green = serializers.CharField()
    amber = serializers.CharField()
    red = serializers.CharField()


class ActionOutcomeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Redacted.")


class ActionPriorityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ActionMovementOutputSerializer(serializers.Serializer):
    before = serializers.FloatField(allow_null=True, help_text="100·S in the earlier scrutiny.")
    after = serializers.FloatField(allow_null=True, help_text="100·S in this scrutiny.")
    change = serializers.FloatField(allow_null=True, help_text="Points, one decimal place.")
    moved_up = serializers.BooleanField(help_text="Whether it counts as evidence of impact.")
    description = serializers.CharField()


class ActionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="What will be done. Redacted.")
    outcome = ActionOutcomeOutputSerializer(allow_null=True)
    priority = ActionPriorityOutputSerializer(allow_null=True)
    responsible = serializers.CharField(allow_null=True, help_text="The agency's code.")
    responsible_group = serializers.CharField()
    responsible_text = serializers.CharField(help_text="Group, agency and lead, as the plan says.")
    lead_name = serializers.CharField()
    lead_email = serializers.CharField()
    timescale = serializers.DateField(allow_null=True)
    measures = serializers.CharField(help_text="Measures of impact. Redacted.")
    status = BragStatusField()
    status_label = serializers.CharField(help_text="In the partnership's words.")
    latest_update = serializers.CharField(help_text="The latest update's note. Redacted.")
    flagged_at = serializers.DateTimeField(allow_null=True)
    flag_reason = serializers.CharField()
    scrutiny = serializers.CharField(allow_null=True, help_text="The scrutiny's slug.")
    factor = serializers.CharField(allow_null=True, help_text="The success factor's code.")
    carried_from = serializers.CharField(allow_null=True, help_text="The earlier scrutiny's slug.")
    movement = ActionMovementOutputSerializer(
        allow_null=True, help_text="How the factor moved, for an action carried over."
    )
    updated_at = serializers.DateTimeField()


def actions_out(
    actions: Iterable[Action], redactors: ActionRedactors | None = None
) -> list[dict[str, Any]]:
    """Actions as the API shows them (`actions_shown`: redacted, with their movement).
    They need what `plan_actions` loads; a fixed number of queries however many."""
    rows = []
    for shown in actions_shown(actions, redactors=redactors):
        action, movement, outcome = shown.action, shown.movement, shown.action.outcome
        rows.append(
            {
                "id": action.pk,
                "text": shown.text,
                "outcome": {"id": outcome.pk, "text": shown.outcome} if outcome else None,
                "priority": (
                    {"id": outcome.priority.pk, "title": outcome.priority.title}
                    if outcome
                    else None
                ),
                "responsible": action.responsible.code if action.responsible else None,
                "responsible_group": action.responsible_group,
                "responsible_text": responsible_text(action),
                "lead_name": action.lead_name,
                "lead_email": action.lead_email,
                "timescale": action.timescale,
                "measures": shown.measures,
                "status": action.status,
                "status_label": shown.label,
                "latest_update": shown.latest.note if shown.latest else "",
                "flagged_at": action.flagged_at,
                "flag_reason": action.flag_reason,
                "scrutiny": action.scrutiny.slug if action.scrutiny else None,
                "factor": action.factor.code if action.factor else None,
                "carried_from": action.carried_from.slug if action.carried_from else None,
                "movement": (
                    {
                        "before": movement.before,
                        "after": movement.after,
                        "change": movement.change,
                        "moved_up": movement.moved_up,
                        "description": movement.describe(),
                    }
                    if movement
                    else None
                ),
                "updated_at": action.updated_at,
            }
        )
    return rows


def action_out(action: Action) -> dict[str, Any]:
    return actions_out(plan_actions(Action.objects.filter(pk=action.pk)))[0]


def actions_by_pk(actions: list[Action]) -> list[dict[str, Any]]:
    """Actions a service returned, loaded for the API and in the order it returned them."""
    loaded = {a.pk: a for a in plan_actions(Action.objects.filter(pk__in=[a.pk for a in actions]))}
    return actions_out(loaded[a.pk] for a in actions)
