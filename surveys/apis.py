"""The surveys API: one APIView an operation.

- POST /api/surveys/open/<public_key>/responses/        a whole response through the open link
- POST /api/surveys/invitations/response/           a whole response by invitation (token in body)
- GET  /api/scrutinies/<slug>/instruments/<code>/response-rates/   CLI.md's response rates
- GET  /api/scrutinies/<slug>/instruments/<code>/distributions/    answers per option

Submitting needs no account, as answering a survey's pages does: the link's key is the key, and
a response goes through the same services (surveys.services.answering, then scrutiny.evidence)
as one typed into the pages, so it is validated, stored, anonymised and scored the same way. An
invitation answers once (409 after that). An open-link client may send an Idempotency-Key
header: a retried request with the same key gets the first answer (200) and stores nothing
more. Open-link submits are throttled by address (SURVEY_OPEN_SUBMIT_RATE): the connection's,
or behind proxies the one NUM_PROXIES names in X-Forwarded-For (config/settings.py). An anonymous
response's answer carries no id, so a client cannot link it to the person either. Response
rates leave through surveys.rates (suppressed) and are for those who run the surveys;
distributions are for every reader of the scrutiny.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from scrutiny import permissions as scrutiny_permissions
from scrutiny.api_parsers import JSONParser
from scrutiny.apis.schema import SUPPRESSED_HELP
from scrutiny.disclosure import distributions_for_publication
from scrutiny.models import Instrument
from scrutiny.models import Response as ScrutinyResponse
from scrutiny.scoring import question_distributions
from surveys import permissions, rates
from surveys.models import Survey
from surveys.services import answering, invitations


class SurveyAnswersField(serializers.DictField):
    """Question code to value: an option value, a list of values (multiple choice), the text,
    number or date (YYYY-MM-DD)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.JSONField(), **kwargs)


class SurveyResponseOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    submitted = serializers.DateField(help_text="The day only.")
    id = serializers.IntegerField(
        required=False, help_text="The response's id, for surveys that are not anonymous only."
    )


class SurveyErrorSerializer(serializers.Serializer):
    """What is wrong: `detail`, with `errors` by question; or, when a field of the body itself
    is missing or malformed, that field's messages under its name."""

    detail = serializers.CharField(required=False)
    # The body's key is `errors`. DRF's metaclass takes declared fields off the class, so
    # Serializer.errors is untouched; the stubs cannot express that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(), required=False, help_text="Question code to its problem."
    )


ERRORS = {
    400: OpenApiResponse(SurveyErrorSerializer, description="Input a person can fix."),
    404: OpenApiResponse(description="No such survey or link."),
}


def _submitted(response: Any, survey: Survey) -> Response:
    body: dict[str, Any] = {"status": "submitted", "submitted": response.submitted_at.date()}
    if not survey.anonymous:
        body["id"] = response.pk
    return Response(SurveyResponseOutputSerializer(body).data, status=status.HTTP_201_CREATED)


def _replayed(draft: Any, survey: Survey) -> Response:
    """The answer to a request already made with the same Idempotency-Key."""
    body: dict[str, Any] = {"status": "submitted", "submitted": draft.used_at}
    if not survey.anonymous and draft.response_id is not None:
        body["id"] = draft.response_id
    return Response(SurveyResponseOutputSerializer(body).data, status=status.HTTP_200_OK)


class OpenResponseSubmitApi(APIView):
    # Answers are a JSON object: a form's fields cannot carry them.
    parser_classes = [JSONParser]
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "survey-open-submit"

    class OpenResponseInputSerializer(serializers.Serializer):
        agency = serializers.CharField(help_text="An agency code of the partnership.")
        role = serializers.CharField(
            required=False, allow_blank=True, help_text="A role code of the partnership."
        )
        answers = SurveyAnswersField()

    @extend_schema(
        operation_id="survey_open_response_submit",
        request=OpenResponseInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                location=OpenApiParameter.HEADER,
                required=False,
                description="Any string up to 200 characters, new for each response (a UUID): "
                "a retry with the same key gets the first answer and stores nothing more.",
            )
        ],
        responses={
            201: SurveyResponseOutputSerializer,
            200: OpenApiResponse(
                SurveyResponseOutputSerializer,
                description="Already stored by an earlier request with this Idempotency-Key.",
            ),
            429: OpenApiResponse(description="Too many responses from this address for now."),
            **ERRORS,
        },
    )
    def post(self, request: Request, public_key: str) -> Response:
        survey = (
            Survey.objects.select_related("scrutiny__partnership", "instrument")
            .filter(public_key=public_key, open_link_enabled=True)
            .first()
        )
        if survey is None:
            raise Http404("No such survey.")
        key = request.headers.get("Idempotency-Key", "")
        replayed = answering.open_response_replayed(survey=survey, idempotency_key=key)
        if replayed is not None:
            return _replayed(replayed, survey)
        data = self.OpenResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            response = answering.open_response_submit(
                survey=survey,
                agency_code=data.validated_data["agency"],
                role_code=data.validated_data.get("role", ""),
                values=data.validated_data["answers"],
                idempotency_key=key,
            )
        except IntegrityError:
            # The same key at the same moment: the first request stored it.
            replayed = answering.open_response_replayed(survey=survey, idempotency_key=key)
            if replayed is None:
                raise
            return _replayed(replayed, survey)
        return _submitted(response, survey)


class InvitationResponseSubmitApi(APIView):
    parser_classes = [JSONParser]
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    class InvitationResponseInputSerializer(serializers.Serializer):
        token = serializers.CharField(
            max_length=200, help_text="The personal link's token, as in the invitation email."
        )
        answers = SurveyAnswersField()

    @extend_schema(
        operation_id="survey_invitation_response_submit",
        request=InvitationResponseInputSerializer,
        responses={
            201: SurveyResponseOutputSerializer,
            **ERRORS,
            409: OpenApiResponse(
                SurveyErrorSerializer, description="Already submitted; nothing was written."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        # The token comes in the body, never the address: an access log keeps addresses, and
        # this request carries the answers (docs/surveys.md, "What anonymous means").
        data = self.InvitationResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitations.invitation_for_token(data.validated_data["token"])
        if invitation is None:
            raise Http404("No such invitation.")
        try:
            response = answering.survey_submit(
                holder=answering.invited_holder(invitation),
                values=data.validated_data["answers"],
                channel=ScrutinyResponse.Channel.API,
            )
        except answering.AlreadySubmitted as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        return _submitted(response, invitation.survey)


class RateCellOutputSerializer(serializers.Serializer):
    invited = serializers.IntegerField(required=False)
    submitted = serializers.IntegerField(required=False)
    workforce = serializers.IntegerField(required=False)
    rate = serializers.FloatField(required=False, help_text="A percentage, one decimal place.")
    suppressed = serializers.BooleanField(
        required=False, help_text="Present (true) alone, in place of the figures."
    )


class ResponseRatesOutputSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    invited = serializers.IntegerField()
    started = serializers.IntegerField()
    submitted = serializers.IntegerField()
    agencies = serializers.DictField(child=RateCellOutputSerializer())
    roles = serializers.DictField(child=RateCellOutputSerializer())


class ResponseRatesApi(APIView):
    @extend_schema(
        operation_id="survey_response_rates",
        responses={200: ResponseRatesOutputSerializer, 404: OpenApiResponse()},
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        instrument = permissions.access_survey_instrument_for_user(request.user, slug, code)
        return Response(rates.instrument_rates(instrument=instrument).as_json())


class OptionCountOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    # The output's key is `label`; declared fields leave the class, so Field.label is untouched.
    label = serializers.CharField()  # type: ignore[assignment]
    points = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField(allow_null=True, help_text="null where suppressed")
    suppressed = serializers.BooleanField(help_text=SUPPRESSED_HELP)


class DistributionOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    code = serializers.CharField()
    type = serializers.CharField()
    text = serializers.CharField()
    answered = serializers.IntegerField(help_text="Counting responses that answered it.")
    options = OptionCountOutputSerializer(many=True)


class DistributionListApi(APIView):
    @extend_schema(
        operation_id="instrument_distributions",
        responses={200: DistributionOutputSerializer(many=True), 404: OpenApiResponse()},
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny = scrutiny_permissions.access_scrutiny_for_user(request.user, slug)
        instrument = Instrument.objects.filter(scrutiny=scrutiny, code=code).first()
        if instrument is None:
            raise Http404("No such instrument.")
        rows = distributions_for_publication(
            question_distributions(scrutiny=scrutiny, instrument=instrument), scrutiny=scrutiny
        )
        return Response(DistributionOutputSerializer(rows, many=True).data)
