"""Reading scrutinies through the API: their factors, instruments with versions, and scores.

One APIView an operation. Every scrutiny is fetched through `permissions.access_scrutiny_for_user`
(404 for anyone who may not see it), and scores leave only through `disclosure`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions, selectors
from scrutiny.disclosure import scores_for_publication
from scrutiny.models import (
    FactorLink,
    Instrument,
    InstrumentVersion,
    Option,
    OptionList,
    Question,
    Scrutiny,
    Section,
    Source,
    SuccessFactor,
)
from scrutiny.scoring import Rating, scrutiny_scores

# Serializers nested in others live at module level (a class body cannot see its neighbours); each
# name is unique in the schema.


@extend_schema_field(
    {"type": "string", "enum": list(Scrutiny.Status.values)}, component_name="ScrutinyStatus"
)
class ScrutinyStatusField(serializers.ChoiceField):
    """A scrutiny's stage, as its own schema component: drf-spectacular names enums after their
    field, and the jobs' `status` has other values."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Scrutiny.Status.choices, **kwargs)


class ScrutinyFactorOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuccessFactor
        fields = ["code", "statement"]


class ScrutinyInstrumentVersionOutputSerializer(serializers.ModelSerializer):
    responses = serializers.IntegerField(
        source="submitted_count", help_text="Submitted responses to this version."
    )

    class Meta:
        model = InstrumentVersion
        fields = ["number", "created_at", "responses"]


class ScrutinyOptionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["value", "label", "points"]


class ScrutinyOptionListOutputSerializer(serializers.ModelSerializer):
    options = ScrutinyOptionOutputSerializer(many=True)

    class Meta:
        model = OptionList
        fields = ["name", "options"]


class ScrutinyFactorLinkOutputSerializer(serializers.ModelSerializer):
    factor = serializers.CharField(source="factor.code")

    class Meta:
        model = FactorLink
        fields = ["factor", "weight"]


class ScrutinyQuestionOutputSerializer(serializers.ModelSerializer):
    option_list = ScrutinyOptionListOutputSerializer(allow_null=True)
    factors = ScrutinyFactorLinkOutputSerializer(source="link_list", many=True)

    class Meta:
        model = Question
        fields = [
            "code",
            "type",
            "text",
            "help",
            "required",
            "show_if",
            "is_scored",
            "option_list",
            "factors",
        ]


class ScrutinySectionOutputSerializer(serializers.ModelSerializer):
    questions = ScrutinyQuestionOutputSerializer(source="question_list", many=True)

    class Meta:
        model = Section
        fields = ["title", "questions"]


class ScrutinyScoreCellOutputSerializer(serializers.Serializer):
    score = serializers.FloatField(required=False, help_text="100·S, one decimal place.")
    n = serializers.IntegerField(required=False)
    suppressed = serializers.BooleanField(
        required=False, help_text="Present (true) alone, in place of score and n."
    )


class ScrutinyScoreFactorOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    statement = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="100·S, one decimal place.")
    rating = serializers.ChoiceField(choices=[r.value for r in Rating])
    n = serializers.IntegerField()
    sources = serializers.DictField(
        child=ScrutinyScoreCellOutputSerializer(),
        help_text="By source: " + ", ".join(Source.values) + " (only those with evidence).",
    )
    agencies = serializers.DictField(child=ScrutinyScoreCellOutputSerializer())
    areas = serializers.DictField(child=ScrutinyScoreCellOutputSerializer())


# The operations.


class ScrutinyListApi(APIView):
    class ScrutinyListOutputSerializer(serializers.ModelSerializer):
        status = ScrutinyStatusField()

        class Meta:
            model = Scrutiny
            fields = ["slug", "title", "priority", "status", "starts", "ends"]

    @extend_schema(operation_id="scrutiny_list", responses=ScrutinyListOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        scrutinies = selectors.scrutiny_list(user=request.user)
        return Response(self.ScrutinyListOutputSerializer(scrutinies, many=True).data)


class ScrutinyDetailApi(APIView):
    class ScrutinyDetailOutputSerializer(serializers.ModelSerializer):
        status = ScrutinyStatusField()
        factors = ScrutinyFactorOutputSerializer(source="factor_list", many=True)

        class Meta:
            model = Scrutiny
            fields = [
                "slug",
                "title",
                "priority",
                "status",
                "starts",
                "ends",
                "strong_threshold",
                "some_threshold",
                "min_responses",
                "suppression_threshold",
                "source_weights",
                "factors",
            ]

    @extend_schema(operation_id="scrutiny_detail", responses=ScrutinyDetailOutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        scrutiny = selectors.scrutiny_with_factors(scrutiny=scrutiny)
        return Response(self.ScrutinyDetailOutputSerializer(scrutiny).data)


class ScrutinyFactorListApi(APIView):
    @extend_schema(
        operation_id="scrutiny_factor_list",
        responses=ScrutinyFactorOutputSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        factors = selectors.scrutiny_factor_list(scrutiny=scrutiny)
        return Response(ScrutinyFactorOutputSerializer(factors, many=True).data)


class ScrutinyInstrumentListApi(APIView):
    class ScrutinyInstrumentListOutputSerializer(serializers.ModelSerializer):
        versions = ScrutinyInstrumentVersionOutputSerializer(source="version_list", many=True)

        class Meta:
            model = Instrument
            fields = ["code", "title", "kind", "versions"]

    @extend_schema(
        operation_id="scrutiny_instrument_list",
        responses=ScrutinyInstrumentListOutputSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        instruments = selectors.instrument_list(scrutiny=scrutiny)
        return Response(self.ScrutinyInstrumentListOutputSerializer(instruments, many=True).data)


class ScrutinyInstrumentDetailApi(APIView):
    class ScrutinyInstrumentDetailInputSerializer(serializers.Serializer):
        version = serializers.IntegerField(min_value=1, required=False)

    class ScrutinyInstrumentDetailOutputSerializer(serializers.Serializer):
        code = serializers.CharField(source="instrument.code")
        title = serializers.CharField(source="instrument.title")
        kind = serializers.CharField(source="instrument.kind")
        version = serializers.IntegerField(source="number")
        created_at = serializers.DateTimeField()
        sections = ScrutinySectionOutputSerializer(source="section_list", many=True)

    @extend_schema(
        operation_id="scrutiny_instrument_detail",
        parameters=[
            OpenApiParameter(
                "version",
                {"type": "integer", "minimum": 1},
                description="A version's number; the current one by default.",
            )
        ],
        responses=ScrutinyInstrumentDetailOutputSerializer,
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        query = self.ScrutinyInstrumentDetailInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = selectors.instrument_version_detail(
            scrutiny=scrutiny, code=code, number=query.validated_data.get("version")
        )
        if version is None:
            raise NotFound("No such instrument or version.")
        return Response(self.ScrutinyInstrumentDetailOutputSerializer(version).data)


class ScrutinyScoresApi(APIView):
    class ScrutinyScoresOutputSerializer(serializers.Serializer):
        scrutiny = serializers.CharField()
        factors = ScrutinyScoreFactorOutputSerializer(many=True)

    @extend_schema(
        operation_id="scrutiny_scores",
        description="The scores as they may be published, exactly as `manage.py scores SLUG "
        "--json` prints them: agency and area cells with fewer responses than the scrutiny's "
        'suppression threshold are `{"suppressed": true}` (SCORING.md §9).',
        responses=ScrutinyScoresOutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        scores = scrutiny_scores(scrutiny=scrutiny)
        # The published document is returned as it is; the serializer above only describes it.
        return Response(scores_for_publication(scores, scrutiny=scrutiny))
