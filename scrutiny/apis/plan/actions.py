"""Actions through the API: the list (`api-action-list`, also to add one of other work), one
action to read or change (`api-action-detail`), and a scrutiny's action plan drafted from its
signed-off findings (`api-scrutiny-actions-draft`) or carried from the earlier scrutiny of the
theme (`api-scrutiny-actions-carry`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions
from scrutiny.apis.plan.output import (
    ActionOutputSerializer,
    action_out,
    actions_by_pk,
    actions_out,
)
from scrutiny.models import Action, Agency, Brag, Outcome, Partnership, Scrutiny
from scrutiny.plan.selectors import plan_actions
from scrutiny.plan.services import ActionData, action_save, actions_carry, actions_draft


class ActionInputSerializer(serializers.Serializer):
    """What an action is and who leads it; every field optional in a PATCH. The outcome, agency
    and named lead are checked by `plan.action_save`."""

    text = serializers.CharField(
        allow_blank=True,
        help_text="What will be done.",
        error_messages={"required": "Write the action: what will be done."},
    )
    outcome = serializers.PrimaryKeyRelatedField(
        queryset=Outcome.objects.none(),
        allow_null=True,
        required=False,
        help_text="The id of the plan's outcome it serves; null for none yet.",
        error_messages={
            "does_not_exist": "The plan has no outcome {pk_value}: choose one from /api/plan/."
        },
    )
    responsible = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.none(),
        allow_null=True,
        required=False,
        help_text="The responsible agency's code; null for no one agency.",
        error_messages={
            "does_not_exist": "No agency of the partnership has the code “{value}”: see "
            "/api/agencies/."
        },
    )
    responsible_group = serializers.CharField(allow_blank=True, required=False, max_length=200)
    lead_name = serializers.CharField(allow_blank=True, required=False, max_length=200)
    lead_email = serializers.EmailField(
        allow_blank=True,
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org."},
    )
    timescale = serializers.DateField(
        allow_null=True,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date, for example 2027-03-31."},
    )
    measures = serializers.CharField(allow_blank=True, required=False)

    def __init__(self, *args: Any, partnership: Partnership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnership is not None:
            # Looked up among the partnership's own, as the page's form does.
            outcome, responsible = self.fields["outcome"], self.fields["responsible"]
            assert isinstance(outcome, serializers.RelatedField)
            assert isinstance(responsible, serializers.RelatedField)
            outcome.queryset = Outcome.objects.filter(
                priority__partnership=partnership
            ).select_related("priority")
            responsible.queryset = Agency.objects.filter(partnership=partnership)


def _action_data(action: Action) -> ActionData:
    return ActionData(
        text=action.text,
        outcome=action.outcome,
        responsible=action.responsible,
        responsible_group=action.responsible_group,
        lead_name=action.lead_name,
        lead_email=action.lead_email,
        timescale=action.timescale,
        measures=action.measures,
    )


class ActionListApi(APIView):
    class ActionListInputSerializer(serializers.Serializer):
        scrutiny = serializers.SlugField(required=False)
        status = serializers.ChoiceField(
            choices=Brag.values,
            required=False,
            error_messages={
                "invalid_choice": "Filter by a status of blue, green, amber or red (“{input}” is "
                "none of them)."
            },
        )

    @extend_schema(
        operation_id="action_list",
        description="The actions the user may see (an agency lead's: their agency's; empty for "
        "anyone who may not read the plan).",
        parameters=[
            OpenApiParameter(
                "scrutiny",
                str,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description="A scrutiny's slug: its actions only.",
            ),
            OpenApiParameter("status", str, enum=list(Brag.values), description="BRAG status."),
        ],
        responses={200: ActionOutputSerializer(many=True), 400: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        query = self.ActionListInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not permissions.can_read_plan(request.user):
            return Response([])
        partnership = permissions.access_plan_partnership(request.user)
        actions = permissions.actions_visible_to(request.user).filter(partnership=partnership)
        slug = query.validated_data.get("scrutiny")
        if slug is not None:
            scrutiny = Scrutiny.objects.filter(partnership=partnership, slug=slug).first()
            if scrutiny is None:
                raise ValidationError(
                    {"scrutiny": [f"No scrutiny is called “{slug}”: see /api/scrutinies/."]}
                )
            actions = actions.filter(scrutiny=scrutiny)
        if "status" in query.validated_data:
            actions = actions.filter(status=query.validated_data["status"])
        return Response(ActionOutputSerializer(actions_out(plan_actions(actions)), many=True).data)

    @extend_schema(
        operation_id="action_create",
        description="Add an action of other work to the plan (the business unit and the "
        "scrutineer; 403 for other readers of the plan).",
        request=ActionInputSerializer,
        responses={201: ActionOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def post(self, request: Request) -> Response:
        partnership = permissions.access_plan_to_change(request.user)
        data = ActionInputSerializer(data=request.data, partnership=partnership)
        data.is_valid(raise_exception=True)
        action = action_save(partnership=partnership, data=ActionData(**data.validated_data))
        return Response(
            ActionOutputSerializer(action_out(action)).data, status=status.HTTP_201_CREATED
        )


class ActionDetailApi(APIView):
    @extend_schema(operation_id="action_detail", responses=ActionOutputSerializer)
    def get(self, request: Request, action_id: int) -> Response:
        action = permissions.access_action_for_user(request.user, action_id)
        return Response(ActionOutputSerializer(action_out(action)).data)

    @extend_schema(
        operation_id="action_update_fields",
        description="Change what the action is and who leads it (the business unit and the "
        "scrutineer). Fields left out keep their values; a new timescale or lead clears a flag.",
        request=ActionInputSerializer,
        responses={200: ActionOutputSerializer, 400: OpenApiResponse(), 403: OpenApiResponse()},
    )
    def patch(self, request: Request, action_id: int) -> Response:
        action = permissions.access_action_to_edit(request.user, action_id)
        data = ActionInputSerializer(
            data=request.data, partial=True, partnership=action.partnership
        )
        data.is_valid(raise_exception=True)
        merged = dataclasses.replace(_action_data(action), **data.validated_data)
        action = action_save(partnership=action.partnership, data=merged, action=action)
        return Response(ActionOutputSerializer(action_out(action)).data)


# A scrutiny's action plan -----------------------------------------------------------------------


class ScrutinyActionsDraftApi(APIView):
    @extend_schema(
        operation_id="scrutiny_actions_draft",
        description="Draft an action for each signed-off finding not rated strong that has none "
        "yet (the business unit and the scrutineer); returns those drafted, none when run again.",
        request=None,
        responses={200: ActionOutputSerializer(many=True), 400: OpenApiResponse()},
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
        drafted = actions_draft(scrutiny=scrutiny)
        return Response(ActionOutputSerializer(actions_by_pk(drafted), many=True).data)


class ScrutinyActionsCarryApi(APIView):
    @extend_schema(
        operation_id="scrutiny_actions_carry",
        description="Carry the open actions of the earlier scrutiny of the theme into this one "
        "(the business unit and the scrutineer); returns them, each with how its factor moved.",
        request=None,
        responses={200: ActionOutputSerializer(many=True), 400: OpenApiResponse()},
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
        carried = actions_carry(scrutiny=scrutiny)
        return Response(ActionOutputSerializer(actions_by_pk(carried), many=True).data)
