"""The API's error bodies, documented once so that every endpoint's schema says what it returns.

`exception_handler` (scrutiny.apis.core) gives every error as a JSON object with a `detail`
message, except a form's field errors (400 from a serializer), which DRF gives as
`{"field": ["message", ...]}`. An endpoint documents its errors with
`extend_schema(responses={200: ..., **error_responses(400, 404)})`.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

DESCRIPTIONS = {
    400: "The request cannot be carried out; `detail` (or each field's messages) says why.",
    401: "Not signed in: send an API token (Authorization: Token ...) or a session cookie.",
    403: "Signed in, but this account may not do this.",
    404: "There is no such thing in the partnership, or this account may not see it.",
    409: "It conflicts with the current state; `detail` says what to do.",
    413: "The upload is too large.",
    429: "Too many requests: wait and try again.",
    503: "The database is busy: try again in a few seconds (Retry-After).",
}


class ErrorOutputSerializer(serializers.Serializer):
    """`{"detail": "..."}`: what went wrong, in words a person can act on."""

    detail = serializers.CharField()


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an endpoint, by status code. 400 may be a `detail`
    or field errors; every other code is a `detail`."""
    responses: dict[int, OpenApiResponse] = {}
    for code in codes:
        body = OpenApiTypes.OBJECT if code == 400 else ErrorOutputSerializer
        responses[code] = OpenApiResponse(
            response=body, description=DESCRIPTIONS.get(code, "An error.")
        )
    return responses
