"""A scrutiny's comparison (the earlier scrutiny its scorecard is compared with) and its event's
settings (the event's date, the divergence margin) through the API, as the workspace's forms
set them. For the scrutineer and the business unit (403 for the scrutiny's other readers, 404
for anyone else). The choices are the page's (`CompareForm`: another scrutiny of the same
partnership), the checks those of `scrutiny_event_settings_save`.
"""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions
from scrutiny.apis.schema import error_responses
from scrutiny.forms_workspace import CompareForm
from scrutiny.models import Scrutiny
from scrutiny.scrutinies import scrutiny_event_settings_save


def _scrutiny(request: Request, slug: str) -> Scrutiny:
    return permissions.access_scrutiny_to_configure(request.user, slug)


class ComparisonSerializer(serializers.Serializer):
    previous = serializers.CharField(
        allow_null=True,
        help_text="The slug of the earlier scrutiny of the partnership it is compared with "
        "(factors by their codes); null for no comparison.",
    )
    title = serializers.CharField(allow_null=True, read_only=True)


def _comparison(scrutiny: Scrutiny) -> Response:
    previous = scrutiny.previous
    body = {
        "previous": previous.slug if previous else None,
        "title": previous.title if previous else None,
    }
    return Response(ComparisonSerializer(body).data)


class ComparisonApi(APIView):
    @extend_schema(
        operation_id="scrutiny_comparison",
        responses={200: ComparisonSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return _comparison(_scrutiny(request, slug))

    @extend_schema(
        operation_id="scrutiny_comparison_update",
        request=ComparisonSerializer,
        responses={200: ComparisonSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, slug: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        data = ComparisonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data["previous"]
        previous = None
        if chosen:
            field = CompareForm(scrutiny=scrutiny).fields["previous"]
            assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
            previous = field.queryset.filter(slug=chosen).first()
            if previous is None:
                raise ValidationError(
                    {"previous": ["Choose another scrutiny of this partnership to compare with."]}
                )
        scrutiny.previous = previous
        scrutiny.save(update_fields=["previous", "updated_at"])
        return _comparison(scrutiny)


class EventSettingsOutputSerializer(serializers.Serializer):
    event_date = serializers.DateField(allow_null=True, help_text="On the pack's cover.")
    divergence_margin = serializers.FloatField(
        help_text="A factor whose sources differ by more than this many points is divergent."
    )


class EventSettingsInputSerializer(serializers.Serializer):
    event_date = serializers.DateField(allow_null=True, required=False)
    divergence_margin = serializers.FloatField(min_value=0, max_value=100, required=False)


class EventSettingsApi(APIView):
    @extend_schema(
        operation_id="scrutiny_event_settings",
        responses={200: EventSettingsOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(EventSettingsOutputSerializer(_scrutiny(request, slug)).data)

    @extend_schema(
        operation_id="scrutiny_event_settings_update",
        request=EventSettingsInputSerializer,
        responses={200: EventSettingsOutputSerializer, **error_responses(400, 403, 404)},
        description="Change the settings given; one left out keeps its value.",
    )
    def patch(self, request: Request, slug: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        data = EventSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        saved = scrutiny_event_settings_save(
            scrutiny=scrutiny,
            event_date=given.get("event_date", scrutiny.event_date),
            divergence_margin=given.get("divergence_margin", scrutiny.divergence_margin),
        )
        return Response(EventSettingsOutputSerializer(saved).data)
