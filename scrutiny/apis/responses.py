"""An instrument's responses through the API: list (paged) and read them as the event pack's
response sheets show them, and import a responses workbook or CSV as a job.

For those who may configure the scrutiny (the business unit and the scrutineer: 403 for its
other readers, 404 for anyone else). What leaves is what the pack's response sheets let leave
(scrutiny.packs.responses, through scrutiny.disclosure):

- counting responses only; no case reference, no name, no stored id: each response is named by
  a `number`, a pseudonym fixed for the instrument but drawn from the installation's secret key,
  so it tells neither when a response came nor which person sent it, and the order of the list
  (by that number) tells nothing either;
- agency, area, role and day only as far as the instrument's rows share them
  (`ResponseLabels`: small combinations are blanked, the day first);
- every text redacted (`Redactor`), and an answer that may be a child's disclosure of harm
  blank, as if it had not been answered (`text_shown`).
"""

from __future__ import annotations

import json
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import imports, permissions
from scrutiny.apis.instruments import (
    JobStartedOutputSerializer,
    instrument_of,
    job_started,
    workbook_checked,
)
from scrutiny.apis.schema import error_responses
from scrutiny.disclosure import Redactor, ResponseLabels, text_shown
from scrutiny.disclosure.pseudonyms import NUMBERED_FIELDS, responses_numbered
from scrutiny.evidence import ANSWER_VALUE_FIELDS, ANSWER_VALUE_ORDER, answer_values_from
from scrutiny.forms_returns import ResponsesFileForm
from scrutiny.models import Answer, Instrument, Question, User

PAGE_SIZE = 100


def _rows(instrument: Instrument, responses: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The responses (pk, number, version, agency, area, role, day) as they may leave: labels
    coarsened, texts redacted, possible disclosures blank. A few queries, however many."""
    scrutiny = instrument.scrutiny
    labels = ResponseLabels.for_scrutiny(scrutiny)
    redactor = Redactor.for_scrutiny(scrutiny)
    answers = (
        Answer.objects.filter(response_id__in=[row[0] for row in responses])
        .annotate(shown_text=text_shown())
        .values_list(
            "response_id",
            *("shown_text" if field == "text" else field for field in ANSWER_VALUE_FIELDS),
        )
        .order_by("response_id", *ANSWER_VALUE_ORDER)
    )
    values: dict[int, dict[str, Any]] = {}
    for pk, group in groupby(answers, key=itemgetter(0)):
        rows = [answer[1:] for answer in group]
        types = {row[0]: row[1] for row in rows}
        values[pk] = {
            code: redactor.redact(value) if types[code] == Question.Type.TEXT else value
            for code, value in answer_values_from(rows).items()
            if value not in ("", [])
        }
    shown = []
    for pk, number, version, *key in responses:
        agency, area, role, day = labels(instrument.pk, tuple(key))
        shown.append(
            {
                "number": number,
                "version": version,
                "agency": agency,
                "area": area,
                "role": role,
                "submitted": day,
                "answers": values.get(pk, {}),
            }
        )
    return shown


class ResponseOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        help_text="The response's pseudonym for this instrument: not its id, not its order."
    )
    version = serializers.IntegerField(help_text="The instrument's version it answered.")
    agency = serializers.CharField(allow_null=True, help_text="null where too few share it.")
    area = serializers.CharField(allow_null=True, help_text="null where too few share it.")
    role = serializers.CharField(allow_null=True, help_text="null where too few share it.")
    submitted = serializers.DateField(
        allow_null=True, help_text="The day only; null where too few share it."
    )
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Question code to value: an option's value, a list of values (multiple "
        "choice), a number or date as text, or the text, redacted. A question not answered, or "
        "an answer that may be a child's disclosure of harm, is left out.",
    )


class ResponsePageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Counting responses in all.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ResponseOutputSerializer(many=True)


def _instrument(request: Request, slug: str, code: str) -> Instrument:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    return instrument_of(scrutiny, code)


class ResponsesImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A responses workbook (.xlsx) or CSV, as the page takes."
    )
    mapping = serializers.CharField(
        required=False,
        help_text='JSON: a column\'s header to a question code, or "-" to leave the column '
        'out, e.g. {"How confident are you?": "Q3", "Notes": "-"}.',
    )


def _mapping(request: Request) -> dict[str, str] | None:
    given = request.data.get("mapping")
    if given in (None, ""):
        return None
    try:
        mapping = json.loads(given) if isinstance(given, str) else given
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ValidationError(
            {
                "mapping": [
                    'Give the mapping as a JSON object of column headers to question codes or "-",'
                    ' for example {"How confident are you?": "Q3"}.'
                ]
            }
        )
    return mapping


class ResponseListApi(APIView):
    class ResponseListInputSerializer(serializers.Serializer):
        page = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)

    @extend_schema(
        operation_id="instrument_responses",
        parameters=[OpenApiParameter("page", int, description=f"{PAGE_SIZE} a page; the first.")],
        responses={200: ResponsePageOutputSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        instrument = _instrument(request, slug, code)
        query = self.ResponseListInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Paginator(
            responses_numbered(instrument).values_list(*NUMBERED_FIELDS), PAGE_SIZE
        )
        number = query.validated_data.get("page", 1)
        try:
            page = paginator.page(number)
        except EmptyPage:
            raise Http404(f"There is no page {number}: there are {paginator.num_pages}.") from None
        body = {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": _rows(instrument, list(page.object_list)),
        }
        return Response(ResponsePageOutputSerializer(body).data)

    @extend_schema(
        operation_id="instrument_responses_import",
        request={"multipart/form-data": ResponsesImportInputSerializer},
        responses={202: JobStartedOutputSerializer, **error_responses(400, 403, 404, 413)},
        description="Import responses into the instrument's current version, all or nothing, "
        "by a job: follow it at `url`; its result gives the counts or every problem (sheet, "
        "row, column).",
    )
    def post(self, request: Request, slug: str, code: str) -> Response:
        instrument = _instrument(request, slug, code)
        file = workbook_checked(request, ResponsesFileForm)
        mapping = _mapping(request)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        job = imports.responses_import_start(
            instrument=instrument, file=file, user=request.user, mapping=mapping
        )
        return job_started(request, job)


class ResponseDetailApi(APIView):
    @extend_schema(
        operation_id="instrument_response_detail",
        responses={200: ResponseOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, slug: str, code: str, number: int) -> Response:
        instrument = _instrument(request, slug, code)
        # `number` is the annotation of `responses_numbered`, which the stubs cannot see.
        found = (
            responses_numbered(instrument)
            .filter(**{"number": number})
            .values_list(*NUMBERED_FIELDS)[:1]
        )
        if not found:
            raise Http404("No such response.")
        (row,) = _rows(instrument, list(found))
        return Response(ResponseOutputSerializer(row).data)
