"""The request being answered, kept while its view runs: the signal handlers
(scrutiny.trail.signals) ask it who changed a person or wrote the admin's log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.http import HttpRequest

from scrutiny.models import User


@dataclass
class RequestState:
    request: HttpRequest
    # The admin's log entries already recorded in this request (signals.admin_log_saved).
    admin_logged: set[int] = field(default_factory=set)

    def actor(self) -> User | None:
        """The person signed in, if any (DRF sets the API's person on this request too)."""
        user = getattr(self.request, "user", None)
        return user if isinstance(user, User) else None


current: ContextVar[RequestState | None] = ContextVar("trail_request", default=None)
