"""The action plan through the API: the partnership's business plan, actions (list, add, read,
change), their updates with evidence of impact (JSON, or multipart with a document), and a
scrutiny's plan drafted from its findings or carried from the earlier scrutiny of the theme.

Who sees and changes what is scrutiny.permissions', exactly as on the pages (scrutiny.views.plan):
the business unit and the scrutineer write the plan; the board reads all of it and changes nothing
(403); an agency lead reads and updates only the actions their agency is responsible for (404 for
others); anyone else gets a 404 (or an empty list). The rules are scrutiny.actions'.

An action's words leave the platform here as they do in the plan's downloads (`plan_rows`):
redacted by scrutiny.actions.ActionRedactors (every case reference and redaction term of the
partnership, with the terms of the scrutinies the action has been in, or of all for other work).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import actions as plan
from scrutiny import permissions
from scrutiny.models import (
    Action,
    ActionUpdate,
    Agency,
    Brag,
    Outcome,
    Partnership,
    Scrutiny,
)


def _partnership(request: Request) -> Partnership:
    return permissions.access_plan_partnership(request.user)


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


def _actions_out(
    actions: Iterable[Action], redactors: plan.ActionRedactors | None = None
) -> list[dict[str, Any]]:
    """Actions as the API shows them (`plan.actions_shown`: redacted, with their movement).
    They need what `plan.plan_actions` loads; a fixed number of queries however many."""
    rows = []
    for shown in plan.actions_shown(actions, redactors=redactors):
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
                "responsible_text": plan.responsible_text(action),
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


def _action_out(action: Action) -> dict[str, Any]:
    return _actions_out(plan.plan_actions(Action.objects.filter(pk=action.pk)))[0]


def _actions_by_pk(actions: list[Action]) -> list[dict[str, Any]]:
    """Actions a service returned, loaded for the API and in the order it returned them."""
    loaded = {
        a.pk: a for a in plan.plan_actions(Action.objects.filter(pk__in=[a.pk for a in actions]))
    }
    return _actions_out(loaded[a.pk] for a in actions)


# The business plan ------------------------------------------------------------------------------


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
        partnership = _partnership(request)
        visible = permissions.actions_visible_to(request.user).filter(partnership=partnership)
        actions = list(plan.plan_actions(visible).order_by("timescale", "pk"))
        redactors = plan.ActionRedactors()
        shown = dict(zip((a.pk for a in actions), _actions_out(actions, redactors), strict=True))
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


# Actions ----------------------------------------------------------------------------------------


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
            self.fields["outcome"].queryset = Outcome.objects.filter(  # type: ignore[attr-defined]
                priority__partnership=partnership
            ).select_related("priority")
            self.fields["responsible"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
                partnership=partnership
            )


def _action_data(action: Action) -> plan.ActionData:
    return plan.ActionData(
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
            OpenApiParameter("scrutiny", str, description="A scrutiny's slug: its actions only."),
            OpenApiParameter("status", str, enum=list(Brag.values), description="BRAG status."),
        ],
        responses={200: ActionOutputSerializer(many=True), 400: OpenApiResponse()},
    )
    def get(self, request: Request) -> Response:
        query = self.ActionListInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not permissions.can_read_plan(request.user):
            return Response([])
        partnership = _partnership(request)
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
        return Response(
            ActionOutputSerializer(_actions_out(plan.plan_actions(actions)), many=True).data
        )

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
        action = plan.action_save(
            partnership=partnership, data=plan.ActionData(**data.validated_data)
        )
        return Response(
            ActionOutputSerializer(_action_out(action)).data, status=status.HTTP_201_CREATED
        )


class ActionDetailApi(APIView):
    @extend_schema(operation_id="action_detail", responses=ActionOutputSerializer)
    def get(self, request: Request, action_id: int) -> Response:
        action = permissions.access_action_for_user(request.user, action_id)
        return Response(ActionOutputSerializer(_action_out(action)).data)

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
        action = plan.action_save(partnership=action.partnership, data=merged, action=action)
        return Response(ActionOutputSerializer(_action_out(action)).data)


# Updates ----------------------------------------------------------------------------------------


class ActionUpdateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = BragStatusField()
    status_label = serializers.CharField(help_text="In the partnership's words.")
    note = serializers.CharField(help_text="Redacted.")
    evidence_kind = EvidenceKindField()
    evidence = serializers.CharField(help_text="What the evidence shows. Redacted.")
    evidence_scrutiny = serializers.CharField(
        allow_null=True, help_text="The later scrutiny's slug, for a factor moving."
    )
    link = serializers.CharField(help_text="Where the document is kept, if linked.")
    document_name = serializers.CharField()
    document = serializers.CharField(allow_null=True, help_text="Download address, if uploaded.")
    by = serializers.CharField(allow_null=True, help_text="Who gave the update.")
    at = serializers.DateTimeField()


def _updates_out(request: Request, action: Action) -> list[dict[str, Any]]:
    """The action's history, newest first, as `plan.actions_shown` shows it (redacted)."""
    shown = plan.actions_shown(plan.plan_actions(Action.objects.filter(pk=action.pk)))[0]

    def document(update: ActionUpdate) -> str | None:
        if not update.document:
            return None
        return request.build_absolute_uri(reverse("plan-document", args=[update.pk]))

    return [
        {
            "id": item.update.pk,
            "status": item.update.status,
            "status_label": item.label,
            "note": item.note,
            "evidence_kind": item.update.evidence_kind,
            "evidence": item.evidence,
            "evidence_scrutiny": item.update.evidence_scrutiny.slug
            if item.update.evidence_scrutiny
            else None,
            "link": item.update.link,
            "document_name": item.document_name,
            "document": document(item.update),
            "by": item.update.by.get_full_name() if item.update.by else None,
            "at": item.update.at,
        }
        for item in shown.updates
    ]


class ActionUpdatesApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class ActionUpdateInputSerializer(serializers.Serializer):
        status = BragStatusField(help_text="The status after this update (the same, or new).")
        note = serializers.CharField(
            allow_blank=True,
            help_text="What has happened since the last update.",
            error_messages={"required": "Write an update: what has happened since the last one."},
        )
        evidence_kind = EvidenceKindField(
            required=False, help_text="Evidence of impact, which Blue needs."
        )
        evidence = serializers.CharField(
            allow_blank=True, required=False, help_text="What the evidence shows, and where."
        )
        evidence_scrutiny = serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Scrutiny.objects.none(),
            allow_null=True,
            required=False,
            help_text="The later scrutiny's slug, for its factor moving.",
            error_messages={
                "does_not_exist": "No scrutiny of the partnership is called “{value}”: see "
                "/api/scrutinies/."
            },
        )
        document = serializers.FileField(
            allow_null=True, required=False, help_text="The document (multipart only)."
        )
        link = serializers.URLField(
            allow_blank=True,
            max_length=200,
            required=False,
            help_text="Or where the document is kept.",
            error_messages={"invalid": "Enter a link, like https://intranet.example.org/report."},
        )

        def __init__(self, *args: Any, action: Action | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if action is not None:
                self.fields["evidence_scrutiny"].queryset = Scrutiny.objects.filter(  # type: ignore[attr-defined]
                    partnership_id=action.partnership_id
                )

    @extend_schema(
        operation_id="action_updates",
        description="The action's history of updates, newest first.",
        responses=ActionUpdateOutputSerializer(many=True),
    )
    def get(self, request: Request, action_id: int) -> Response:
        action = permissions.access_action_for_user(request.user, action_id)
        return Response(ActionUpdateOutputSerializer(_updates_out(request, action), many=True).data)

    @extend_schema(
        operation_id="action_update_add",
        description="Give the action an update, with its status (the business unit, the "
        "scrutineer and the responsible agency's lead). Blue needs evidence of impact: a later "
        "scrutiny's factor moving, an audit, or a document (uploaded as multipart, or linked), "
        "saying what it shows; refused, nothing is kept.",
        request={
            "application/json": ActionUpdateInputSerializer,
            "multipart/form-data": ActionUpdateInputSerializer,
        },
        responses={
            201: ActionUpdateOutputSerializer,
            400: OpenApiResponse(description="No note, or Blue without evidence."),
            403: OpenApiResponse(),
        },
    )
    def post(self, request: Request, action_id: int) -> Response:
        action = permissions.access_action_to_update(request.user, action_id)
        data = self.ActionUpdateInputSerializer(data=request.data, action=action)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        update = plan.action_update(
            action=action,
            status=given["status"],
            note=given["note"],
            user=request.user,  # type: ignore[arg-type]
            attached=plan.Evidence(
                kind=given.get("evidence_kind", ""),
                text=given.get("evidence", ""),
                scrutiny=given.get("evidence_scrutiny"),
                document=given.get("document"),
                link=given.get("link", ""),
            ),
        )
        added = next(u for u in _updates_out(request, action) if u["id"] == update.pk)
        return Response(ActionUpdateOutputSerializer(added).data, status=status.HTTP_201_CREATED)


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
        drafted = plan.actions_draft(scrutiny=scrutiny)
        return Response(ActionOutputSerializer(_actions_by_pk(drafted), many=True).data)


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
        carried = plan.actions_carry(scrutiny=scrutiny)
        return Response(ActionOutputSerializer(_actions_by_pk(carried), many=True).data)
