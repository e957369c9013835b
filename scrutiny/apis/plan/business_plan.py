"""The partnership's business plan through the API (`api-plan`): its priorities, their outcomes
and the actions under each, as the user may see them, and the actions not yet under an outcome.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions
from scrutiny.apis.plan.output import ActionOutputSerializer, BragKeyOutputSerializer, actions_out
from scrutiny.models import Action
from scrutiny.plan.redaction import ActionRedactors
from scrutiny.plan.selectors import plan_actions


class PlanOutcomeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Redacted.")
    actions = ActionOutputSerializer(many=True)


class PlanPriorityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    outcomes = PlanOutcomeOutputSerializer(many=True)


class PlanApi(APIView):
    class PlanOutputSerializer(serializers.Serializer):
        partnership = serializers.CharField()
        key = BragKeyOutputSerializer(help_text="What each BRAG status means in this plan.")
        priorities = PlanPriorityOutputSerializer(many=True)
        unplaced = ActionOutputSerializer(
            many=True, help_text="Actions not yet under an outcome of the plan."
        )

    @extend_schema(
        operation_id="plan_detail",
        description="The partnership's business plan as the user may see it: its priorities, "
        "their outcomes and the actions under each (an agency lead's: their agency's only), "
        "and the actions not yet under an outcome. 404 for anyone who may not read the plan.",
        responses=PlanOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        partnership = permissions.access_plan_partnership(request.user)
        visible = permissions.actions_visible_to(request.user).filter(partnership=partnership)
        actions = list(plan_actions(visible).order_by("timescale", "pk"))
        redactors = ActionRedactors()
        shown = dict(zip((a.pk for a in actions), actions_out(actions, redactors), strict=True))
        by_outcome: dict[int | None, list[Action]] = {}
        for action in actions:
            by_outcome.setdefault(action.outcome_id, []).append(action)
        priorities = (
            permissions.priorities_visible_to(request.user)
            .filter(partnership=partnership)
            .prefetch_related("outcomes")
        )
        body = {
            "partnership": partnership.name,
            "key": partnership.brag_key,
            "priorities": [
                {
                    "id": priority.pk,
                    "title": priority.title,
                    "outcomes": [
                        {
                            "id": outcome.pk,
                            "text": redactors.redact_plan(partnership.pk, outcome.text),
                            "actions": [shown[a.pk] for a in by_outcome.get(outcome.pk, [])],
                        }
                        for outcome in priority.outcomes.all()
                    ],
                }
                for priority in priorities
            ],
            "unplaced": [shown[a.pk] for a in by_outcome.get(None, [])],
        }
        return Response(self.PlanOutputSerializer(body).data)
