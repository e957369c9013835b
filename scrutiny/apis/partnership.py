"""The partnership's settings through the API, as its edit page has them, and its redaction
terms on their own. For the partnership's business unit only (403 for anyone else:
`permissions.access_partnership_to_manage`). A change is checked by the page's own form
(`PartnershipForm`) and saved by the page's service (`services.partnership_update`), so it is
refused, cleaned and followed (changed disclosure phrases recheck the answers) the same way;
fields left out keep their values.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scrutiny import permissions, services
from scrutiny.apis.instruments import form_refused
from scrutiny.apis.schema import error_responses
from scrutiny.forms import PartnershipForm
from scrutiny.models import Partnership

SETTINGS_FIELDS: list[str] = list(PartnershipForm.Meta.fields)


def partnership_change(partnership: Partnership, given: dict[str, Any]) -> Partnership:
    """The settings given, over those held, checked by the page's form and saved by its
    service; a 400 with each field's problem and nothing saved otherwise."""
    unknown = sorted(set(given) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationError(
            {name: ["There is no such setting of the partnership."] for name in unknown}
        )
    data = {name: getattr(partnership, name) for name in SETTINGS_FIELDS}
    data.update({name: "" if value is None else value for name, value in given.items()})
    form = PartnershipForm(data=data, instance=partnership)
    if not form.is_valid():
        partnership.refresh_from_db()  # the form has changed it in memory: nothing is kept
        raise form_refused(form)
    return services.partnership_update(partnership=partnership, **form.cleaned_data)


class PartnershipOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["id", "slug", *SETTINGS_FIELDS]


class PartnershipInputSerializer(serializers.ModelSerializer):
    """Every field optional: those left out keep their values."""

    class Meta:
        model = Partnership
        fields = SETTINGS_FIELDS
        extra_kwargs = {name: {"required": False} for name in SETTINGS_FIELDS}


class PartnershipApi(APIView):
    @extend_schema(
        operation_id="partnership_settings",
        responses={200: PartnershipOutputSerializer, **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        partnership = permissions.access_partnership_to_manage(request.user)
        return Response(PartnershipOutputSerializer(partnership).data)

    @extend_schema(
        operation_id="partnership_settings_update",
        request=PartnershipInputSerializer,
        responses={200: PartnershipOutputSerializer, **error_responses(400, 403)},
        description="Change the settings given; those left out keep their values.",
    )
    def patch(self, request: Request) -> Response:
        partnership = permissions.access_partnership_to_manage(request.user)
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": "Send the settings as a JSON object."})
        saved = partnership_change(partnership, dict(request.data))
        return Response(PartnershipOutputSerializer(saved).data)


class RedactionTermsSerializer(serializers.Serializer):
    terms = serializers.ListField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        help_text="Names of people, places or schools removed from every text that leaves the "
        "platform, one an item; empty items are left out.",
    )


class RedactionTermsApi(APIView):
    @extend_schema(
        operation_id="partnership_redaction_terms",
        responses={200: RedactionTermsSerializer, **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        partnership = permissions.access_partnership_to_manage(request.user)
        terms = [term for term in partnership.redaction_terms.splitlines() if term.strip()]
        return Response(RedactionTermsSerializer({"terms": terms}).data)

    @extend_schema(
        operation_id="partnership_redaction_terms_update",
        request=RedactionTermsSerializer,
        responses={200: RedactionTermsSerializer, **error_responses(400, 403)},
        description="Replace the terms with those given (an empty list removes them all).",
    )
    def put(self, request: Request) -> Response:
        partnership = permissions.access_partnership_to_manage(request.user)
        data = RedactionTermsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = [" ".join(term.split()) for term in data.validated_data["terms"] if term.strip()]
        saved = partnership_change(partnership, {"redaction_terms": "\n".join(lines)})
        terms = [term for term in saved.redaction_terms.splitlines() if term.strip()]
        return Response(RedactionTermsSerializer({"terms": terms}).data)
