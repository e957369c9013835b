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
