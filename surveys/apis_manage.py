"""The business unit's survey pages through the API: a scrutiny's surveys, one survey, its
invitations (upload a list, list them, remind those owed a reminder).

For those who run the scrutiny's surveys (the business unit and the scrutineer); a 404 for
everyone else, as on the pages (`surveys.permissions`). An invitation's token and personal link
never leave: only the email it went to, as the survey's page shows them. An invitation list is
checked by the page's own form and read by the page's job (`surveys.imports`): everyone is
invited, or no one if a row is wrong. Reminders go to the invitations owed one now
(`invitations.reminders_due`, the rule the daily run follows), each checked again as it is sent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny.apis.instruments import JobStartedOutputSerializer, job_started, workbook_checked
from scrutiny.apis.schema import error_responses
from scrutiny.models import User
from surveys import imports, permissions, selectors, tasks
from surveys.forms import InvitationListForm
from surveys.models import Invitation, Survey
from surveys.services import invitations


class SurveyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    instrument = serializers.CharField(source="instrument.code")
    state = serializers.SerializerMethodField(help_text="not_open, open or closed.")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField(allow_null=True)
    anonymous = serializers.BooleanField()
    open_link_enabled = serializers.BooleanField()
    open_link = serializers.SerializerMethodField(help_text="null when the open link is off.")
    reminder_days = serializers.IntegerField(
        allow_null=True, help_text="Days between reminders; null for none."
    )
    reminder_limit = serializers.IntegerField()
    invited = serializers.IntegerField()
    invitations_started = serializers.IntegerField()
    invitations_used = serializers.IntegerField(help_text="Invitations submitted.")
    open_started = serializers.IntegerField(help_text="Open-link responses started.")
    open_used = serializers.IntegerField(help_text="Open-link responses submitted.")

    def get_state(self, survey: Survey) -> str:
        return invitations.survey_state(survey)  # from the row: no query

    def get_open_link(self, survey: Survey) -> str | None:
        return invitations.open_link(survey) if survey.open_link_enabled else None


class SurveyListApi(APIView):
    @extend_schema(
        operation_id="survey_list",
        responses={200: SurveyOutputSerializer(many=True), **error_responses(404)},
        description="The scrutiny's surveys, newest first, with their counts.",
    )
    def get(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_surveys_for_user(request.user, slug)
        surveys = selectors.survey_list(scrutiny=scrutiny)
        return Response(SurveyOutputSerializer(surveys, many=True).data)


class SurveyDetailApi(APIView):
    @extend_schema(
        operation_id="survey_detail",
        responses={200: SurveyOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, survey_id: int) -> Response:
        survey = permissions.access_survey_for_user(request.user, slug, survey_id)
        return Response(SurveyOutputSerializer(selectors.survey_counts(survey=survey)).data)


_HIDDEN = "null for an anonymous survey, whose invitations' progress is shown as counts only."
# What an anonymous survey's invitation list leaves out (`permissions.invitation_progress_shown`).
PROGRESS = ("reminders_sent", "started_at", "answered", "used_at")


class InvitationOutputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    agency = serializers.CharField(source="agency.code")
    role = serializers.CharField(source="role.code", allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True, help_text="null until its email went.")
    reminders_sent = serializers.IntegerField(allow_null=True, help_text=_HIDDEN)
    started_at = serializers.DateField(allow_null=True, help_text=f"The day only; {_HIDDEN}")
    answered = serializers.BooleanField(allow_null=True, help_text=_HIDDEN)
    used_at = serializers.DateField(
        allow_null=True, help_text=f"The day it was submitted; {_HIDDEN}"
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("progress_shown", True):
            data.update(dict.fromkeys(PROGRESS))
        return data


class InvitationListUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="An .xlsx workbook or a .csv file with the columns email, agency and, if you "
        "wish, role (the partnership's codes)."
    )


class InvitationListApi(APIView):
    @extend_schema(
        operation_id="survey_invitations",
        responses={200: InvitationOutputSerializer(many=True), **error_responses(404)},
        description="The people invited, by agency; never their links. For an anonymous "
        "survey, not who has started, submitted or been reminded either: the survey's counts "
        "say how many.",
    )
    def get(self, request: Request, slug: str, survey_id: int) -> Response:
        survey = permissions.access_survey_for_user(request.user, slug, survey_id)
        rows = selectors.invitation_list(survey=survey)
        shown = {"progress_shown": permissions.invitation_progress_shown(survey)}
        return Response(InvitationOutputSerializer(rows, many=True, context=shown).data)

    @extend_schema(
        operation_id="survey_invitations_upload",
        request={"multipart/form-data": InvitationListUploadInputSerializer},
        responses={202: JobStartedOutputSerializer, **error_responses(400, 404, 413)},
        description="Invite everyone on the list (each is emailed their personal link), or no "
        "one if a row is wrong: read by a job, to follow at `url`.",
    )
    def post(self, request: Request, slug: str, survey_id: int) -> Response:
        survey = permissions.access_survey_for_user(request.user, slug, survey_id)
        file = workbook_checked(request, InvitationListForm)
        assert isinstance(request.user, User)  # one who runs the scrutiny's surveys
        job = imports.invitation_list_start(survey=survey, file=file, user=request.user)
        return job_started(request, job)


class RemindersOutputSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="Invitations owed a reminder now, being emailed.")


def _due(survey: Survey) -> list[int]:
    owed = invitations.reminders_due()
    return list(
        Invitation.objects.filter(survey=survey, pk__in=owed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class RemindersSendApi(APIView):
    @extend_schema(
        operation_id="survey_reminders_send",
        request=None,
        responses={202: RemindersOutputSerializer, **error_responses(404)},
        description="Email a reminder now to each invitation of the survey owed one by its "
        "reminder settings (as the daily run would), none twice and none to anyone who has "
        "answered.",
    )
    def post(self, request: Request, slug: str, survey_id: int) -> Response:
        survey = permissions.access_survey_for_user(request.user, slug, survey_id)
        due = _due(survey)
        if due:
            transaction.on_commit(lambda: tasks.reminders_email.delay(invitation_ids=due))
        body: dict[str, Any] = {"due": len(due)}
        return Response(RemindersOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)
