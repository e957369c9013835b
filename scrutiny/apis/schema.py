"""The API's error bodies, documented once so that every endpoint's schema says what it returns.

`exception_handler` (scrutiny.apis.core) gives every error as a JSON object with a `detail`
message, except a form's field errors (400 from a serializer), which DRF gives as
`{"field": ["message", ...]}`. An endpoint documents its errors with
`extend_schema(responses={200: ..., **error_responses(400, 404)})`.
"""

from __future__ import annotations

from typing import Any

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


# What any operation may answer besides what it documents itself, and when (`document_errors`).
ERROR_COMPONENT = "ErrorOutput"
# An address no operation has (an id that is not a number) is answered by the site's own "page
# not found".
NOT_FOUND_PAGE = {"schema": {"type": "string"}}


def _error_codes(method: str, operation: dict[str, Any]) -> list[int]:
    codes = []
    parameters = operation.get("parameters", [])
    if parameters or "requestBody" in operation:
        codes.append(400)  # a parameter or field refused, or a rule of the partnership broken
    if {} not in operation.get("security", [{}]):
        codes += [401, 403]  # no (or a wrong) token or session; a role that may not do it
    if codes[-1:] == [403] or any(parameter["in"] == "path" for parameter in parameters):
        codes.append(404)  # no such thing (the plan, a scrutiny), or not one this account may see
    if method != "get":
        codes.append(503)  # the database too busy to write (SQLite): try again
    return codes


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the errors every
    operation of its kind can give (`exception_handler`, DRF's authentication, permissions and
    validation), unless it documents that status itself. 400 is a `detail` or field errors;
    every other code a `detail`."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        ERROR_COMPONENT,
        {
            "type": "object",
            "description": ErrorOutputSerializer.__doc__,
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    )
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            _path_segments(operation)
            responses = operation.setdefault("responses", {})
            for code in _error_codes(method, operation):
                responses.setdefault(str(code), _error_response(code))
            if "404" in responses and "content" in responses["404"]:
                responses["404"]["content"].setdefault("text/html", NOT_FOUND_PAGE)
    return result


def _path_segments(operation: dict[str, Any]) -> None:
    """A text path parameter is one segment of the address (Django's `str`): no `/`."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path" and schema.get("type") == "string":
            schema.setdefault("pattern", "^[^/]+$")


def _error_response(code: int) -> dict[str, Any]:
    body: dict[str, Any] = (
        {"type": "object", "additionalProperties": {}}
        if code == 400
        else {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    )
    return {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": body}}}


# What a count's `suppressed` means, wherever an answer's distribution is given.
SUPPRESSED_HELP = (
    "A count hidden (SCORING.md §9, scrutiny.disclosure.distributions): of a board "
    "questionnaire, family feedback, a children's survey, or a version of an instrument with "
    "fewer than 20 responses, a count from 1 to the suppression threshold - 1, the next smallest "
    "where only one would be hidden, and every count of a question whose source's score would "
    "give it back."
)
