"""A success factor's quotes and notes through the API, as the workspace's factor page keeps
them: tag a comment as a quote (`findings.quote_tag`: never a possible disclosure, once a
comment), take a quote out of the pack (`findings.quote_remove`), record a note
(`findings.note_record`). The page lets no one change or remove a note, and neither does this.

For the scrutineer and the business unit (403 for the scrutiny's other readers, 404 for anyone
else). Words leave redacted as redaction stands now, and a quote of an answer flagged since it
was tagged not at all (scrutiny.disclosure).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import findings, permissions
from scrutiny.apis.instruments import form_refused
from scrutiny.apis.schema import error_responses
from scrutiny.disclosure import QuoteLabels, Redactor, quote_published, quotes_shown
from scrutiny.forms_workspace import NoteForm
from scrutiny.models import EvidenceNote, Quote, Scrutiny, SuccessFactor, User


def _factor(request: Request, slug: str, code: str) -> tuple[Scrutiny, SuccessFactor]:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    return scrutiny, get_object_or_404(SuccessFactor, scrutiny=scrutiny, code=code)


class QuoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField(help_text="Redacted.")
    source = serializers.CharField(  # type: ignore[assignment]  # shadows Field.source
        help_text="The kind of evidence, in words."
    )
    label = serializers.CharField(  # type: ignore[assignment]  # shadows Field.label
        allow_blank=True, help_text="The agency or area it may be shown with, or empty."
    )


def _quotes(scrutiny: Scrutiny, quotes: list[Quote]) -> list[Any]:
    redactor = Redactor.for_scrutiny(scrutiny)
    labels = QuoteLabels(quotes, scrutiny=scrutiny)
    return [quote_published(quote, redactor=redactor, label=labels(quote)) for quote in quotes]


class QuoteListApi(APIView):
    @extend_schema(
        operation_id="factor_quotes",
        responses={200: QuoteOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny, factor = _factor(request, slug, code)
        quotes = list(
            quotes_shown(Quote.objects.filter(factor=factor))
            .select_related("factor")
            .order_by("pk")
        )
        return Response(QuoteOutputSerializer(_quotes(scrutiny, quotes), many=True).data)

    class QuoteInputSerializer(serializers.Serializer):
        answer = serializers.IntegerField(
            min_value=1,
            help_text="The comment's `answer_id`, as the factor's evidence lists its comments.",
        )

    @extend_schema(
        operation_id="factor_quote_create",
        request=QuoteInputSerializer,
        responses={201: QuoteOutputSerializer, **error_responses(400, 403, 404)},
        description="Tag a comment as a quote for the pack (tagging it again gives the same "
        "quote). A comment that may be a child's disclosure of harm is refused.",
    )
    def post(self, request: Request, slug: str, code: str) -> Response:
        scrutiny, factor = _factor(request, slug, code)
        data = self.QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        quote = findings.quote_tag(
            scrutiny=scrutiny,
            factor=factor,
            answer_id=data.validated_data["answer"],
            user=request.user,
        )
        (shown,) = _quotes(scrutiny, [quote])
        return Response(QuoteOutputSerializer(shown).data, status=status.HTTP_201_CREATED)


class QuoteDeleteApi(APIView):
    @extend_schema(
        operation_id="factor_quote_delete",
        responses={204: None, **error_responses(403, 404)},
        description="Take the quote out of the pack.",
    )
    def delete(self, request: Request, slug: str, code: str, quote_id: int) -> Response:
        scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
        # One answer for a quote of no factor, another factor or another scrutiny.
        quote = Quote.objects.filter(pk=quote_id, factor__scrutiny=scrutiny, factor__code=code)
        found = quote.first()
        if found is None:
            raise Http404("No such quote.")
        findings.quote_remove(quote=found)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_field(
    {"type": "string", "enum": list(EvidenceNote.Kind.values)}, component_name="EvidenceNoteKind"
)
class NoteKindField(serializers.ChoiceField):
    """Where a note comes from, as its own schema component (other `kind`s have other values)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EvidenceNote.Kind.choices, **kwargs)


class NoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = NoteKindField()
    kind_label = serializers.CharField()
    text = serializers.CharField(help_text="Redacted.")
    factors = serializers.ListField(child=serializers.CharField(), help_text="Factor codes.")
    recorded_at = serializers.DateTimeField()


def _notes(scrutiny: Scrutiny, notes: list[EvidenceNote]) -> list[dict[str, Any]]:
    redactor = Redactor.for_scrutiny(scrutiny)
    return [
        {
            "id": note.pk,
            "kind": note.kind,
            "kind_label": note.get_kind_display(),
            "text": redactor.redact(note.text),
            "factors": sorted(factor.code for factor in note.factors.all()),
            "recorded_at": note.recorded_at,
        }
        for note in notes
    ]


class NoteListApi(APIView):
    @extend_schema(
        operation_id="factor_notes",
        responses={200: NoteOutputSerializer(many=True), **error_responses(403, 404)},
        description="The notes tagged to the factor, newest first.",
    )
    def get(self, request: Request, slug: str, code: str) -> Response:
        scrutiny, factor = _factor(request, slug, code)
        notes = list(factor.notes.prefetch_related("factors").order_by("-recorded_at", "-pk"))
        return Response(NoteOutputSerializer(_notes(scrutiny, notes), many=True).data)

    class NoteInputSerializer(serializers.Serializer):
        kind = NoteKindField()
        text = serializers.CharField(help_text="What was said; people's roles, not names.")

    @extend_schema(
        operation_id="factor_note_create",
        request=NoteInputSerializer,
        responses={201: NoteOutputSerializer, **error_responses(400, 403, 404)},
        description="Record a note tagged to the factor.",
    )
    def post(self, request: Request, slug: str, code: str) -> Response:
        scrutiny, factor = _factor(request, slug, code)
        form = NoteForm(data=request.data)
        if not form.is_valid():
            raise form_refused(form)
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        note = findings.note_record(
            scrutiny=scrutiny,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            factor_codes=[factor.code],
            user=request.user,
        )
        (shown,) = _notes(scrutiny, [note])
        return Response(NoteOutputSerializer(shown).data, status=status.HTTP_201_CREATED)
