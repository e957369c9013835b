"""The one error type of the platform's rules.

Services raise ApplicationError for anything a person can fix (bad input, a step out of order).
The API answers it with a 400 and its message; pages show the message; commands print it and exit
non-zero. Nothing is changed when it is raised inside a service's transaction.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message


DATABASE_BUSY = "The service is busy and nothing was saved: try again in a moment."


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's answer when a writer waited its whole timeout for another (config/settings.py):
    nothing was written, and the same request shortly afterwards will work. Pages and the API
    answer it with a 503 and DATABASE_BUSY, never a 500."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "is locked" in str(exc)
