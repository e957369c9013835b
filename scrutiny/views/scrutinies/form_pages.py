"""The form pages of setting up: the posted data, the one form template, and a service's errors
shown on a form (an import's errors each naming sheet, row and column; a definition's errors on
the field they are about)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

from scrutiny import instrument_builder as builder
from scrutiny.errors import ApplicationError


def _sentence(message: str) -> str:
    message = message.strip()
    if message and not message.startswith("show_if") and message[0].islower():
        message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def add_application_error(form: Form, exc: ApplicationError, *, field: str | None = None) -> None:
    """An import's errors (each naming sheet, row and column) or a rule's message, on a form."""
    details = exc.extra.get("errors") or []
    headline = exc.message.splitlines()[0] if exc.message else "Something is wrong."
    form.add_error(field, headline)
    for detail in details:
        form.add_error(field, str(detail))


def add_definition_errors(
    form: Form, exc: ApplicationError, *, question_code: str = "", list_name: str = ""
) -> None:
    if not isinstance(exc, builder.DefinitionErrors):
        form.add_error(None, exc.message)
        return
    for error in exc.errors:
        field = builder.error_field(error, question_code=question_code, list_name=list_name)
        if field == "code" and "instrument_code" in form.fields and error.where == "settings":
            field = "instrument_code"
        if field is not None and field in form.fields:
            form.add_error(field, _sentence(error.message))
        else:
            form.add_error(None, _sentence(str(error)))


def posted(request: HttpRequest) -> QueryDict | None:
    """The posted data, or None to leave a form unbound (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def posted_with_files(
    request: HttpRequest,
) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]] | tuple[None, None]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "scrutiny/scrutinies/form_page.html", context)
