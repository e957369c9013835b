"""A database too busy to write is a 503 to try again, not a 500.

On SQLite one writer waits for another (config/settings.py: IMMEDIATE transactions and a
timeout); past the timeout the write fails with "database is locked" and nothing was saved.
The API answers it in its exception handler (scrutiny.apis.core); pages here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from scrutiny.errors import DATABASE_BUSY, is_database_busy


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        body = render_to_string("503.html", {"message": DATABASE_BUSY})
        return HttpResponse(body, status=503, headers={"Retry-After": "5"})
