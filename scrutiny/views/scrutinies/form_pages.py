"""The form pages of setting up: the posted data, the one form template, and a definition's
errors shown on the field they are about. (Workbook imports show theirs on their job's page.)"""

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
