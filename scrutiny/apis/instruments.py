"""Instruments through the API: create or update one from a workbook (a job, as the upload page
starts), and list an instrument's versions. A workbook is checked by the page's own form
(`WorkbookForm`) and imported by `scrutiny.imports.instrument_import_start`, all or nothing, by
a job the caller follows at `api-job-detail`. Importing is for those who may configure the
scrutiny (the business unit and the scrutineer: 403 for its other readers); reading versions for
every reader of the scrutiny. 404 for anyone else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from scrutiny import imports, permissions
from scrutiny.apis.schema import error_responses
from scrutiny.forms_scrutinies import WorkbookForm
from scrutiny.instrument_builder import instrument_versions
from scrutiny.models import Instrument, Job, Scrutiny, User


class JobStartedOutputSerializer(serializers.Serializer):
    """A job started: follow it at `url` (its `result`, once done, says what was imported)."""

    job = serializers.IntegerField(help_text="The job's id.")
    status = serializers.CharField()
    url = serializers.CharField(help_text="The job's address in the API (api-job-detail).")


def job_started(request: Request, job: Job) -> Response:
    """A 202 with the job's address: what every upload through the API answers."""
    body = {
        "job": job.pk,
        "status": job.status,
        "url": reverse("api-job-detail", args=[job.pk], request=request),
    }
    return Response(JobStartedOutputSerializer(body).data, status=status.HTTP_202_ACCEPTED)


def form_refused(form: forms.BaseForm) -> ValidationError:
    """A page's form's errors as the API's 400: each field's messages (`__all__` for the
    form's own)."""
    return ValidationError(
        {field: [str(error) for error in errors] for field, errors in form.errors.items()}
    )


def workbook_checked(request: Request, form_class: type[forms.Form] = WorkbookForm) -> Any:
    """The uploaded `file`, checked by the page's form (type and size): a 400 naming what to
    fix otherwise, and nothing is kept."""
    form = form_class(data=request.data, files=request.FILES)
    if not form.is_valid():
        raise form_refused(form)
    return form.cleaned_data["file"]


def instrument_of(scrutiny: Scrutiny, code: str) -> Instrument:
    instrument = Instrument.objects.filter(scrutiny=scrutiny, code=code).first()
    if instrument is None:
        raise Http404("No such instrument.")
    instrument.scrutiny = scrutiny
    return instrument


class WorkbookUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An instrument workbook (.xlsx), as the page takes.")


class InstrumentImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="instrument_import",
        request={"multipart/form-data": WorkbookUploadInputSerializer},
        responses={202: JobStartedOutputSerializer, **error_responses(400, 403, 404, 413)},
        description="Create an instrument, or update the one of the workbook's code (a new "
        "version once it has responses), from an instrument workbook. Checked whole and saved "
        "all or nothing by a job: follow it at `url`.",
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
        file = workbook_checked(request)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        job = imports.instrument_import_start(scrutiny=scrutiny, file=file, user=request.user)
        return job_started(request, job)


class InstrumentVersionOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    languages = serializers.CharField(help_text="Language codes, separated by commas: en,cy.")
    responses = serializers.IntegerField(
        source="response_count", help_text="Responses stored against this version."
    )
    definition_sha256 = serializers.CharField()


class InstrumentVersionListApi(APIView):
    @extend_schema(
        operation_id="instrument_versions",
        responses={
            200: InstrumentVersionOutputSerializer(many=True),
            **error_responses(404),
        },
        description="The instrument's versions, newest first.",
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny = permissions.access_scrutiny_for_user(request.user, slug)
        versions = instrument_versions(instrument=instrument_of(scrutiny, code))
        return Response(InstrumentVersionOutputSerializer(versions, many=True).data)
