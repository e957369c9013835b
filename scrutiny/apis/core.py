"""The REST API of the core: one APIView an operation, with its own output serializer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from knox.models import get_token_model
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from scrutiny import jobs, permissions, selectors
from scrutiny.errors import DATABASE_BUSY, ApplicationError, is_database_busy
from scrutiny.mfa.services import second_factor_for_token
from scrutiny.models import Agency, Area, Job, User


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become a 400 with their message; a database too busy to write (SQLite) a
    503 to try again; everything else as DRF decides."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_400_BAD_REQUEST)
    if is_database_busy(exc):
        return Response(
            {"detail": DATABASE_BUSY},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    return drf_exception_handler(exc, context)


class ApiRootApi(APIView):
    @extend_schema(operation_id="api_root", responses={200: dict})
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return reverse(name, request=request)

        return Response(
            {
                "me": link("api-me"),
                "agencies": link("api-agency-list"),
                "areas": link("api-area-list"),
                "scrutinies": link("api-scrutiny-list"),
                "plan": link("api-plan"),
                "actions": link("api-action-list"),
                "token": link("api-token"),
                "token_revoke": link("api-token-revoke"),
                "schema": link("api-schema"),
                "docs": link("api-docs"),
            }
        )


class TokenApi(APIView):
    """POST `username` and `password` for an API token (knox: stored only as a hash) and when it
    expires (`API_TOKEN_HOURS` from now). Whoever needs a second factor (or has set one up) also
    sends `otp`: the code their authenticator app shows, or a recovery code. Failures of the
    password count towards the same lock-out as the sign-in page's (scrutiny.sign_in: the name
    however it is spelt, from one address); while locked, a 429 even with the right password.
    Wrong codes are throttled as on the pages (django-otp)."""

    # The password is the credential: no session (nor its CSRF check) is needed or used.
    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
        otp = serializers.CharField(required=False, allow_blank=True, default="")

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expiry = serializers.DateTimeField()

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, 400: dict, 429: dict},
    )
    def post(self, request: Request) -> Response:
        serializer = self.TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes marks the request it is given (DRF's, here) as locked out.
        credentials = dict(serializer.validated_data)
        otp = credentials.pop("otp")
        user = authenticate(request=request, **credentials)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {
                        "detail": "There have been too many failed attempts to sign in with "
                        "this email address. Wait an hour and try again."
                    },
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise ValidationError(
                {"non_field_errors": ["Unable to sign in with the email address and password."]}
            )
        second_factor_for_token(user=user, code=otp)
        instance, token = get_token_model().objects.create(user=user)
        # A sign-in like the page's: the failures are reset and the last sign-in recorded.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response(
            self.TokenOutputSerializer({"token": token, "expiry": instance.expiry}).data
        )


class TokenRevokeApi(APIView):
    """POST with the token in the `Authorization` header to sign it out: it stops working at
    once. (Changing the password, deactivating the account or a change that makes the person
    need a second factor revokes all of a person's tokens: User.save.)"""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        request.auth.delete()
        user_logged_out.send(sender=type(request.user), request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class MeOutputSerializer(serializers.ModelSerializer):
        agency: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(
            slug_field="code", read_only=True, allow_null=True
        )
        role_name = serializers.CharField(source="get_role_display")

        class Meta:
            model = User
            fields = ["id", "email", "full_name", "role", "role_name", "agency"]

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.MeOutputSerializer(request.user).data)


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name", "type", "workforce"]


class AgencyListApi(APIView):
    @extend_schema(responses=AgencyOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        agencies = permissions.agencies_visible_to(request.user).order_by("code")
        return Response(AgencyOutputSerializer(agencies, many=True).data)


class AgencyDetailApi(APIView):
    @extend_schema(responses=AgencyOutputSerializer)
    def get(self, request: Request, agency_id: int) -> Response:
        agency = permissions.access_agency_for_user(request.user, agency_id)
        return Response(AgencyOutputSerializer(agency).data)


class AreaListApi(APIView):
    class AreaListOutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Area
            fields = ["id", "code", "name"]

    @extend_schema(responses=AreaListOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = request.user
        partnership_id = getattr(user, "partnership_id", None)
        return Response(
            self.AreaListOutputSerializer(
                selectors.area_list(partnership_id=partnership_id), many=True
            ).data
        )


class JobDetailApi(APIView):
    """A job's progress. `stalled`: it stopped without finishing (its worker died; still
    running with no heartbeat, or failed as stalled), and may be started again on its page."""

    class JobDetailOutputSerializer(serializers.ModelSerializer):
        stalled = serializers.SerializerMethodField()

        class Meta:
            model = Job
            fields = [
                "id",
                "kind",
                "status",
                "stalled",
                "progress",
                "message",
                "result",
                "updated_at",
            ]

        def get_stalled(self, job: Job) -> bool:
            return jobs.job_stalled(job)  # from the row: no query

    @extend_schema(responses=JobDetailOutputSerializer)
    def get(self, request: Request, job_id: int) -> Response:
        job = permissions.access_job_for_user(request.user, job_id)
        return Response(self.JobDetailOutputSerializer(job).data)
