"""The workspace through the API: the scorecard, a factor's evidence, findings, and event
packs (build as a task, follow its status, download). For the scrutineer and the business unit
(403 for other readers of the scrutiny, 404 for anyone else). Comments, quotes and findings
leave redacted (scrutiny.disclosure); breakdowns suppressed.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import findings, permissions
from scrutiny.apis.schema import SUPPRESSED_HELP
from scrutiny.disclosure import Redactor, finding_published, quote_published, quotes_shown
from scrutiny.models import EventPack, Quote, Scrutiny, Source, SuccessFactor, User
from scrutiny.packs.build import pack_download, pack_start
from scrutiny.scorecard import factor_comments, factor_evidence, scorecard
from scrutiny.scoring import scrutiny_scores


def _scrutiny(request: Request, slug: str) -> Scrutiny:
    return permissions.access_scrutiny_to_configure(request.user, slug)


# Fields named `source` or `label` are the output's keys (renaming one would rename the key). DRF's
# metaclass takes declared fields off the class, but the stub sees them shadow Field's `source`
# and `label` attributes: hence the narrow ignores.


class SourceBarOutputSerializer(serializers.Serializer):
    source = serializers.CharField(  # type: ignore[assignment]  # shadows Field.source
        help_text="The kind of evidence: " + ", ".join(Source.values) + "."
    )
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label
    score = serializers.FloatField()
    n = serializers.IntegerField()


class ScorecardRowOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    statement = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rating = serializers.CharField()
    rating_label = serializers.CharField()
    n = serializers.IntegerField()
    sources = SourceBarOutputSerializer(many=True)
    spread = serializers.FloatField(allow_null=True, help_text="Points between the sources.")
    divergent = serializers.BooleanField()
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)


class ScorecardApi(APIView):
    @extend_schema(
        operation_id="workspace_scorecard", responses=ScorecardRowOutputSerializer(many=True)
    )
    def get(self, request: Request, slug: str) -> Response:
        rows = scorecard(scrutiny=_scrutiny(request, slug))
        return Response(ScorecardRowOutputSerializer(rows, many=True).data)


class FindingOutputSerializer(serializers.Serializer):
    factor = serializers.CharField()
    drafted = serializers.CharField()
    strengths = serializers.ListField(child=serializers.CharField())
    improvements = serializers.ListField(child=serializers.CharField())
    signed_off_at = serializers.DateTimeField(allow_null=True)


class FindingListApi(APIView):
    @extend_schema(operation_id="workspace_findings", responses=FindingOutputSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        redactor = Redactor.for_scrutiny(scrutiny)
        rows = [
            finding_published(f, redactor=redactor)
            for f in findings.findings_drafted(scrutiny=scrutiny)
        ]
        return Response(FindingOutputSerializer(rows, many=True).data)


class FindingUpdateApi(APIView):
    class FindingInputSerializer(serializers.Serializer):
        strengths = serializers.ListField(child=serializers.CharField(), required=False)
        improvements = serializers.ListField(child=serializers.CharField(), required=False)

    @extend_schema(
        operation_id="workspace_finding_update",
        request=FindingInputSerializer,
        responses={200: FindingOutputSerializer, 400: OpenApiResponse(description="Signed off.")},
    )
    def put(self, request: Request, slug: str, code: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        factor = get_object_or_404(SuccessFactor, scrutiny=scrutiny, code=code)
        data = self.FindingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        (drafted,) = findings.findings_drafted(scrutiny=scrutiny, factor=factor)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        finding = findings.finding_update(
            finding=drafted,
            strengths="\n".join(data.validated_data.get("strengths", [])),
            improvements="\n".join(data.validated_data.get("improvements", [])),
            user=request.user,
        )
        published = finding_published(finding, redactor=Redactor.for_scrutiny(scrutiny))
        return Response(FindingOutputSerializer(published).data)


class FindingsSignOffApi(APIView):
    @extend_schema(
        operation_id="workspace_findings_sign_off",
        request=None,
        responses={200: FindingOutputSerializer(many=True), 400: OpenApiResponse()},
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        signed = findings.findings_sign_off(scrutiny=scrutiny, user=request.user)
        redactor = Redactor.for_scrutiny(scrutiny)
        return Response(
            FindingOutputSerializer(
                [finding_published(f, redactor=redactor) for f in signed], many=True
            ).data
        )


class EvidenceCellOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="null where suppressed")
    n = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


class EvidenceOptionOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # shadows Field.label
    points = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField(allow_null=True, help_text="null where suppressed")
    suppressed = serializers.BooleanField(help_text=SUPPRESSED_HELP)


class EvidenceQuestionOutputSerializer(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]  # shadows Field.source
    instrument = serializers.CharField(source="shown.instrument_code")
    version = serializers.IntegerField(source="shown.version")
    code = serializers.CharField(source="shown.code")
    text = serializers.CharField(source="shown.text")
    answered = serializers.IntegerField(source="shown.answered")
    weight = serializers.FloatField()
    options = EvidenceOptionOutputSerializer(source="shown.options", many=True)


class EvidenceCommentOutputSerializer(serializers.Serializer):
    answer_id = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # shadows Field.source
    question = serializers.CharField()
    text = serializers.CharField(help_text="Redacted.")
    label = serializers.CharField(  # type: ignore[assignment]  # shadows Field.label
        help_text="Agency or area, where not suppressed."
    )
    quoted = serializers.BooleanField()


class EvidenceOutputSerializer(serializers.Serializer):
    factor = ScorecardRowOutputSerializer(source="row")
    questions = EvidenceQuestionOutputSerializer(many=True)
    agencies = EvidenceCellOutputSerializer(many=True)
    areas = EvidenceCellOutputSerializer(many=True)
    comments = EvidenceCommentOutputSerializer(many=True)
    quotes = serializers.ListField(child=serializers.CharField())


class FactorEvidenceApi(APIView):
    @extend_schema(operation_id="workspace_factor_evidence", responses=EvidenceOutputSerializer)
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        factor = get_object_or_404(SuccessFactor, scrutiny=scrutiny, code=code)
        scores = scrutiny_scores(scrutiny=scrutiny)
        evidence = factor_evidence(scrutiny=scrutiny, factor=factor, scores=scores)
        redactor = Redactor.for_scrutiny(scrutiny)
        body = {
            "row": evidence.row,
            "questions": evidence.questions,
            "agencies": evidence.agencies,
            "areas": evidence.areas,
            "comments": factor_comments(
                scrutiny=scrutiny,
                factor=factor,
                search=request.query_params.get("q", ""),
                scores=scores,
            ),
            "quotes": [
                quote_published(quote, redactor=redactor, label="").text
                for quote in quotes_shown(Quote.objects.filter(factor=factor))
            ],
        }
        return Response(EvidenceOutputSerializer(body).data)


class PackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    message = serializers.CharField()
    built_at = serializers.DateTimeField(allow_null=True)
    data_version = serializers.CharField()
    pdf = serializers.CharField(allow_null=True, help_text="Download address, once built.")
    xlsx = serializers.CharField(allow_null=True)


def _pack(request: Request, pack: EventPack) -> dict[str, Any]:
    job = pack.job

    def link(kind: str) -> str | None:
        if not getattr(pack, kind):
            return None
        return request.build_absolute_uri(
            reverse("api-workspace-pack-download", args=[pack.scrutiny.slug, pack.pk, kind])
        )

    return {
        "id": pack.pk,
        "status": job.status if job else "done",
        "progress": job.progress if job else 100,
        "message": job.message if job else "",
        "built_at": pack.built_at,
        "data_version": pack.data_version,
        "pdf": link("pdf"),
        "xlsx": link("xlsx"),
    }


class PackBuildApi(APIView):
    @extend_schema(
        operation_id="workspace_pack_build",
        request=None,
        responses={202: PackOutputSerializer},
        description="Start building the event pack (a celery task); follow it at the pack.",
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = _scrutiny(request, slug)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        pack = pack_start(scrutiny=scrutiny, user=request.user)
        pack = EventPack.objects.select_related("job", "scrutiny").get(pk=pack.pk)
        return Response(
            PackOutputSerializer(_pack(request, pack)).data, status=status.HTTP_202_ACCEPTED
        )


class PackDetailApi(APIView):
    @extend_schema(operation_id="workspace_pack_status", responses=PackOutputSerializer)
    def get(self, request: Request, slug: str, pack_id: int) -> Response:
        scrutiny = _scrutiny(request, slug)
        pack = get_object_or_404(
            EventPack.objects.select_related("job", "scrutiny"), pk=pack_id, scrutiny=scrutiny
        )
        return Response(PackOutputSerializer(_pack(request, pack)).data)


class PackDownloadApi(APIView):
    @extend_schema(
        operation_id="workspace_pack_download",
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")},
    )
    def get(self, request: Request, slug: str, pack_id: int, kind: str) -> FileResponse:
        scrutiny = _scrutiny(request, slug)
        return pack_download(get_object_or_404(EventPack, pk=pack_id, scrutiny=scrutiny), kind)
