"""The audits' progress, agreement between auditors, and moderation, through the API.

For people who run audits only (the business unit and the scrutineer): anyone else gets a 404
from `access_scrutiny_audits_for_user`, and so does a case file of another scrutiny. Views call
the selectors (`audits.progress`, `audits.agreement`, `audits.moderation_sheet`) and the
service of `audits.moderation`, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audits import agreement
from audits.models import Assignment, AuditEvent, CaseFile
from audits.moderation import moderation_record
from audits.moderation_sheet import STATUS_WORDS, ModerationSheet, moderation_sheet
from audits.permissions import access_scrutiny_audits_for_user
from audits.progress import audit_progress
from audits.trail import audit_event_record
from scrutiny.models import Scrutiny, User

# Serializers nested in others live at module level; each name is unique in the schema.


class AuditProgressCountsOutputSerializer(serializers.Serializer):
    assignments = serializers.IntegerField()
    not_started = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text="Submitted and not yet moderated.")
    moderated = serializers.IntegerField()
    overdue = serializers.IntegerField(
        help_text="Due before today and not submitted (also counted as not started or draft)."
    )


class AuditProgressCaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case_id")
    position = serializers.IntegerField()
    case_ref = serializers.CharField()
    group = serializers.CharField()
    area = serializers.CharField(help_text="The area's code, or empty.")
    stage = serializers.CharField(source="status", help_text="The case file's stage, in words.")
    moderated_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField(
        help_text="Moderated, and an audit was submitted since: it counts in no score until "
        "the case file is moderated again."
    )
    counts = AuditProgressCountsOutputSerializer()


class AuditAgreementOutputSerializer(serializers.Serializer):
    compared = serializers.IntegerField(source="pairs", help_text="Pairs of answers compared.")
    agreed = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="Null when nothing compared.")
    kappa = serializers.FloatField(
        allow_null=True,
        help_text="Cohen's kappa; null when nothing was compared or when it is not defined "
        "(both auditors gave one and the same answer every time).",
    )
    kappa_words = serializers.CharField(help_text="Landis and Koch's words for the kappa.")


class AuditAgreementQuestionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    agreement = AuditAgreementOutputSerializer()


class AuditAgreementToolOutputSerializer(serializers.Serializer):
    instrument = serializers.CharField(source="instrument_code")
    title = serializers.CharField()
    audit_pairs = serializers.IntegerField(
        help_text="Case files (per agency) with a first and a second audit, both submitted."
    )
    agreement = AuditAgreementOutputSerializer(help_text="The questions pooled.")
    questions = AuditAgreementQuestionOutputSerializer(many=True)


class AuditModerationContributionOutputSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="assignment_id")
    agency = serializers.CharField(source="agency_code")
    agency_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    status = serializers.ChoiceField(choices=[(key, words) for key, words in STATUS_WORDS.items()])
    submitted_since_moderation = serializers.BooleanField(
        source="late",
        help_text="Submitted after the case file was moderated: not yet taken into the agreed "
        "answers, and counted in no score until the case file is moderated again.",
    )


class AuditModerationAnswerOutputSerializer(serializers.Serializer):
    agency = serializers.CharField(source="contribution.agency_code")
    role = serializers.CharField(source="contribution.role")
    value = serializers.JSONField(
        allow_null=True, help_text="The raw value; null when not answered or not submitted."
    )
    display = serializers.CharField(help_text="The answer in words.")


class AuditModerationQuestionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    type = serializers.CharField()
    answers = AuditModerationAnswerOutputSerializer(many=True)
    compared = serializers.BooleanField(help_text="False for free text, which is not compared.")
    disagree = serializers.BooleanField()
    agreed = serializers.JSONField(allow_null=True, help_text="The agreed raw value, if any.")
    agreed_display = serializers.CharField()
    rationale = serializers.CharField()


class AuditModerationOutputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_ref = serializers.CharField()
    instrument = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    ready = serializers.BooleanField(help_text="Every contribution is submitted.")
    outstanding = serializers.ListField(
        child=serializers.CharField(), help_text="The contributions still to be submitted."
    )
    moderated = serializers.BooleanField()
    moderated_by = serializers.CharField(allow_null=True)
    moderated_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField(
        help_text="Moderated, and an audit was submitted since (see `late`): record the agreed "
        "answers again to take it in."
    )
    late = serializers.ListField(
        child=serializers.CharField(),
        help_text="The audits submitted since the case file was moderated.",
    )
    contributions = AuditModerationContributionOutputSerializer(many=True)
    questions = AuditModerationQuestionOutputSerializer(many=True)


def _sheet_data(sheet: ModerationSheet) -> dict[str, Any]:
    moderation = sheet.moderation if sheet.is_moderated else None
    return {
        "case": sheet.case.pk,
        "case_ref": sheet.case.case_ref,
        "instrument": sheet.compiled.instrument_code if sheet.compiled else None,
        "version": sheet.compiled.number if sheet.compiled else None,
        "ready": sheet.ready,
        "outstanding": sheet.outstanding,
        "moderated": moderation is not None,
        "moderated_by": str(moderation.moderated_by)
        if moderation is not None and moderation.moderated_by
        else None,
        "moderated_at": moderation.moderated_at if moderation is not None else None,
        "stale": sheet.stale,
        "late": sheet.late,
        "contributions": sheet.contributions,
        "questions": sheet.questions,
    }


def _case_in(scrutiny: Scrutiny, case_id: int) -> CaseFile:
    case = get_object_or_404(
        CaseFile.objects.select_related("sample"), sample__scrutiny=scrutiny, pk=case_id
    )
    case.sample.scrutiny = scrutiny
    return case


# The operations.


class AuditProgressApi(APIView):
    class AuditProgressOutputSerializer(serializers.Serializer):
        scrutiny = serializers.CharField()
        totals = AuditProgressCountsOutputSerializer()
        cases = AuditProgressCaseOutputSerializer(many=True)

    @extend_schema(
        operation_id="audit_progress",
        description="Per case file of the scrutiny's sample, how many audits are not started, "
        "in draft, submitted, moderated and overdue, with the totals.",
        responses=AuditProgressOutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        progress = audit_progress(scrutiny=scrutiny, today=timezone.localdate())
        data = {"scrutiny": scrutiny.slug, "totals": progress.totals, "cases": progress.cases}
        return Response(self.AuditProgressOutputSerializer(data).data)


class AuditAgreementApi(APIView):
    class AuditAgreementListOutputSerializer(serializers.Serializer):
        scrutiny = serializers.CharField()
        tools = AuditAgreementToolOutputSerializer(many=True)

    @extend_schema(
        operation_id="audit_agreement",
        description="Percent agreement and Cohen's kappa between first and independent second "
        "auditors, per audit tool and per single-choice question.",
        responses=AuditAgreementListOutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        data = {
            "scrutiny": scrutiny.slug,
            "tools": agreement.agreement_statistics(scrutiny=scrutiny),
        }
        return Response(self.AuditAgreementListOutputSerializer(data).data)


class AuditModerationApi(APIView):
    """GET the moderation sheet of a case file; POST the agreed answers."""

    class AuditModerationInputSerializer(serializers.Serializer):
        values = serializers.DictField(
            child=serializers.JSONField(),
            help_text="Question code → agreed answer, as the audit's answers are given "
            "(option value; a list or `a;b` for multiple choice; YYYY-MM-DD for a date).",
        )
        rationales = serializers.DictField(
            child=serializers.CharField(allow_blank=True),
            required=False,
            default=dict,
            help_text="Question code → why the meeting chose the agreed answer; required "
            "where the agencies disagree.",
        )

    @extend_schema(
        operation_id="audit_moderation_detail", responses=AuditModerationOutputSerializer
    )
    def get(self, request: Request, slug: str, case_id: int) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        case = _case_in(scrutiny, case_id)
        sheet = moderation_sheet(case=case)
        audit_event_record(
            scrutiny=scrutiny,
            action=AuditEvent.Action.VIEWED,
            user=request.user,
            case=case,
            detail="Moderation API: every agency's answers.",
        )
        return Response(AuditModerationOutputSerializer(_sheet_data(sheet)).data)

    @extend_schema(
        operation_id="audit_moderation_record",
        description="Record (or change) the agreed answers. They are submitted as one agreed "
        "response that supersedes the agencies' audits in scoring. 400 with `detail`, "
        "`errors` (by question code), `rationale_errors` (by question code) or `outstanding` "
        "(the audits still to be submitted).",
        request=AuditModerationInputSerializer,
        responses={
            200: AuditModerationOutputSerializer,
            400: OpenApiResponse(description="The agreed answers cannot be recorded."),
        },
    )
    def post(self, request: Request, slug: str, case_id: int) -> Response:
        scrutiny = access_scrutiny_audits_for_user(request.user, slug)
        assert isinstance(request.user, User)  # one who runs the scrutiny's audits
        case = _case_in(scrutiny, case_id)
        data = self.AuditModerationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moderation_record(
            case=case,
            values=data.validated_data["values"],
            rationales=data.validated_data["rationales"],
            user=request.user,
        )
        sheet = moderation_sheet(case=case)
        return Response(AuditModerationOutputSerializer(_sheet_data(sheet)).data)
