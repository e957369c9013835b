"""An action's updates through the API (`api-action-updates`): its history, newest first, and
a new update with its status and, for Blue, the evidence of impact (JSON, or multipart with a
document).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions
from scrutiny.api_parsers import JSONParser
from scrutiny.apis.plan.output import BragStatusField, EvidenceKindField
from scrutiny.models import Action, ActionUpdate, Scrutiny, User
from scrutiny.plan.selectors import actions_shown, plan_actions
from scrutiny.plan.updates import Evidence, action_update


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
    """The action's history, newest first, as `actions_shown` shows it (redacted)."""
    shown = actions_shown(plan_actions(Action.objects.filter(pk=action.pk)))[0]

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
                field = self.fields["evidence_scrutiny"]
                assert isinstance(field, serializers.RelatedField)
                field.queryset = Scrutiny.objects.filter(partnership_id=action.partnership_id)

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
        assert isinstance(request.user, User)  # one who may update the action
        update = action_update(
            action=action,
            status=given["status"],
            note=given["note"],
            user=request.user,
            attached=Evidence(
                kind=given.get("evidence_kind", ""),
                text=given.get("evidence", ""),
                scrutiny=given.get("evidence_scrutiny"),
                document=given.get("document"),
                link=given.get("link", ""),
            ),
        )
        added = next(u for u in _updates_out(request, action) if u["id"] == update.pk)
        return Response(ActionUpdateOutputSerializer(added).data, status=status.HTTP_201_CREATED)
