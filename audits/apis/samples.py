"""The sample API: read the scrutiny's sample of case files, and draw it from a case list.

One APIView an operation. Only the business unit and the scrutineer reach them (404 for anyone
else, through `access_scrutiny_audits_for_user`); the draw is `audits.samples.sample_draw`, the
function the sample page and `manage.py sample` call.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audits import samples, selectors
from audits.models import CaseFile, Sample
from audits.permissions import access_scrutiny_audits_for_user
from audits.sampling import PER_MAX, SEED_MAX, SEED_MIN
from scrutiny.models import Area, User
from scrutiny.workbooks.lists import list_upload_content


class SampleCaseOutputSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The partnership area's code, if matched."
    )
    # The output's key is `data`. DRF's metaclass takes declared fields off the class, so
    # Serializer.data is untouched; the stubs cannot express that.
    data = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(allow_blank=True),
        help_text="The case list's other columns, as given.",
    )

    class Meta:
        model = CaseFile
        fields = ["position", "case_ref", "group", "area", "data"]


class SampleOutputSerializer(serializers.ModelSerializer):
    scrutiny = serializers.CharField(source="scrutiny.slug")
    instrument = serializers.CharField(
        source="instrument.code", allow_null=True, help_text="The audit tool's code."
    )
    columns = serializers.ListField(child=serializers.CharField())
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="Column → the values kept.",
    )
    drawn_by = serializers.EmailField(source="drawn_by.email", allow_null=True)
    cases = SampleCaseOutputSerializer(source="case_list", many=True)

    class Meta:
        model = Sample
        fields = [
            "scrutiny",
            "file_name",
            "file_sha256",
            "columns",
            "filters",
            "by",
            "per",
            "seed",
            "population",
            "instrument",
            "drawn_by",
            "drawn_at",
            "cases",
        ]


def _sample_output(sample: Sample) -> dict[str, Any]:
    """The sample with its case files in order, as `case_list` (one query for them)."""
    cases = Prefetch("cases", queryset=selectors.sample_cases(), to_attr="case_list")
    prefetch_related_objects([sample], cases)
    return SampleOutputSerializer(sample).data


class SampleDetailApi(APIView):
    @extend_schema(
        operation_id="audit_sample_detail",
        description="The scrutiny's sample of case files, with everything needed to repeat the "
        "draw. 404 when no sample has been drawn yet.",
        responses=SampleOutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        sample = selectors.sample_for_scrutiny(scrutiny=scrutiny)
        if sample is None:
            raise NotFound("No sample has been drawn for this scrutiny yet.")
        return Response(_sample_output(sample))


class SampleDrawApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class SampleDrawInputSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="The case list, .xlsx or .csv (WORKBOOKS.md §4).")
        by = serializers.CharField(help_text="The column to stratify by.")
        per = serializers.IntegerField(
            min_value=1, max_value=PER_MAX, help_text="Case files from each group."
        )
        seed = serializers.IntegerField(min_value=SEED_MIN, max_value=SEED_MAX)
        filters = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text='A JSON object: column → the values kept, e.g. {"repeat_plan": ["yes"]}.',
        )
        instrument = serializers.CharField(
            required=False, allow_blank=True, help_text="The audit tool's code (kind file_audit)."
        )

        def validate_filters(self, value: str) -> dict[str, list[str]]:
            if not value.strip():
                return {}
            try:
                filters = json.loads(value)
            except json.JSONDecodeError as exc:
                raise serializers.ValidationError(f"This is not JSON: {exc.msg}.") from None
            if not isinstance(filters, dict) or not all(
                isinstance(values, list) and all(isinstance(v, str) for v in values)
                for values in filters.values()
            ):
                raise serializers.ValidationError(
                    'Give an object of column → list of values, e.g. {"repeat_plan": ["yes"]}.'
                )
            return filters

    @extend_schema(
        operation_id="audit_sample_draw",
        description="Draw the scrutiny's sample from a case list, as `manage.py sample` does. "
        "Drawn again with the same file and options it changes nothing (200); a new draw "
        "answers 201. A different draw is refused (400) once an audit of the sample has started.",
        request={"multipart/form-data": SampleDrawInputSerializer},
        responses={
            201: SampleOutputSerializer,
            200: SampleOutputSerializer,
            400: OpenApiResponse(description="The case list or the options are wrong."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        serializer = self.SampleDrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        code = data.get("instrument") or ""
        tool = selectors.audit_tool_by_code(scrutiny=scrutiny, code=code) if code else None
        file = data["file"]
        result = samples.sample_draw(
            scrutiny=scrutiny,
            file_name=file.name,
            content=list_upload_content(file),
            by=data["by"],
            per=data["per"],
            seed=data["seed"],
            filters=data.get("filters") or {},
            instrument=tool,
            user=request.user if isinstance(request.user, User) else None,
        )
        return Response(
            _sample_output(result.sample),
            status=status.HTTP_201_CREATED if result.drawn else status.HTTP_200_OK,
        )
