"""Recording the trail of pages and the API in one place: after the view has answered, the
route's rule (scrutiny.trail.routes) says whether and what to record.

What counts as done:
- a read (GET) when it answered 2xx;
- a write (POST, PUT, PATCH, DELETE) through the API when it answered 2xx; through a page when
  it redirected (the house's pattern after a change) without an error message, since a form
  shown again with its errors, or a rule refused with a message, changed nothing.

Nothing is recorded for a person not signed in, and nothing at all on the routes of answering
a survey (routes.ANSWERING). The request is also kept in a context variable while the view
runs, so that the signal handlers know who changed a person or signed out
(scrutiny.trail.signals).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from scrutiny.models import User
from scrutiny.trail import entry_create, partnership_id_of
from scrutiny.trail.context import RequestState, current
from scrutiny.trail.routes import (
    ADMIN,
    ANSWERING,
    CODE_WORDS,
    OBJECT_ARGUMENTS,
    Route,
    admin_model,
    route_for,
)
from scrutiny.trail.signals import admin_log_catch_up

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# URL arguments that say which form of a thing, not which thing: kept in the entry's data.
DETAIL_ARGUMENTS = ("kind", "fmt", "step", "template")


class TrailMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = RequestState(request)
        started = timezone.now()
        token = current.set(state)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        match = request.resolver_match
        if match is None or match.view_name in ANSWERING:
            return response
        user = state.actor()
        if user is None:
            return response
        if match.view_name.startswith(ADMIN) and request.method in WRITES:
            admin_log_catch_up(user=user, since=started, recorded=state.admin_logged)
        route = route_for(match.view_name)
        if route is not None:
            action = _action(route, request, response, api=match.view_name.startswith("api-"))
            if action:
                kwargs = dict(match.kwargs)
                _record(action, request, user, match.view_name, kwargs, route)
        return response


def _action(route: Route, request: HttpRequest, response: HttpResponse, *, api: bool) -> str:
    status = response.status_code
    if request.method == "GET":
        if not 200 <= status < 300:
            return ""
        if route.download and request.GET.get("format"):
            return route.download
        return route.read
    if request.method not in WRITES or not route.write:
        return ""
    if api:
        return route.write if 200 <= status < 300 else ""
    return route.write if 300 <= status < 400 and not _refused(request) else ""


def _refused(request: HttpRequest) -> bool:
    """Whether the view said, with an error message, that it did not do what was asked. The
    messages wait in the storage until the messages middleware (listed before this one, so
    answering after it) stores them: reading the queue here leaves them for the page."""
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= messages.ERROR for message in queued)


def _record(
    action: str,
    request: HttpRequest,
    user: User,
    view_name: str,
    kwargs: dict[str, Any],
    route: Route,
) -> None:
    object_type, object_id, label = _object_named(view_name, kwargs, route)
    data: dict[str, Any] = {
        "route": view_name,
        "method": request.method,
        "via": "api" if view_name.startswith("api-") else "page",
    }
    data.update({name: str(kwargs[name]) for name in DETAIL_ARGUMENTS if name in kwargs})
    if action == route.download and route.download:
        data["format"] = request.GET.get("format", "")
        data["filters"] = {
            key: value for key, value in request.GET.items() if key not in ("format", "page")
        }
    entry_create(
        action=action,
        user=user,
        partnership_id=_admin_partnership_id(view_name, object_id)
        if view_name.startswith(ADMIN)
        else None,
        object_type=object_type,
        object_id=object_id,
        object_label=label,
        data=data,
    )


def _object_named(view_name: str, kwargs: dict[str, Any], route: Route) -> tuple[str, str, str]:
    """The object a URL names (the most specific of its arguments) and a label of them all,
    e.g. `scrutiny neglect-2026, factor SF1`: read from the URL, no query."""
    object_type = object_id = ""
    words = []
    for argument, kind, word in OBJECT_ARGUMENTS:
        if argument not in kwargs:
            continue
        value = str(kwargs[argument])
        if argument == "code":
            kind, word = route.code, CODE_WORDS[route.code]
        elif argument == "object_id":
            kind = word = admin_model(view_name)
        if not object_type:
            object_type, object_id = kind, value
        words.append(f"{word} {value}")
    return object_type, object_id, ", ".join(reversed(words))


def _admin_partnership_id(view_name: str, object_id: str) -> int | None:
    """The partnership of the object an admin page shows, so that a view by the platform's
    operator (of no partnership) is in the trail of the partnership whose object it was."""
    name = view_name.removeprefix(ADMIN).removesuffix("_change")
    app_label, _, model_name = name.rpartition("_")
    try:
        model = apps.get_model(app_label, model_name)
        shown = model._default_manager.filter(pk=unquote(object_id)).first()
    except (LookupError, ValueError, ValidationError):
        return None
    return partnership_id_of(shown)
