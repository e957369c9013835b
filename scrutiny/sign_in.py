"""The one rule for the user name typed at sign-in, shared by the sign-in page, the API's token
endpoint and the lock-out after repeated failures.

A person signs in with their e-mail address, matched without regard to case, to surrounding
spaces or to compatibility forms of letters (a full-width S is an S): `sign_in_name` is
what the account is looked up by (case-insensitively). The lock-out counts failures under
`lockout_username`, the same name case-folded, so every spelling that can reach one account
shares one count: `Sam@…` gets no fresh attempts once `sam@…` is locked.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.throttling import BaseThrottle


def sign_in_name(typed: str | None) -> str:
    """The name as the account is looked up: compatibility forms folded (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", typed or "").strip()


def lockout_name(typed: str | None) -> str:
    """The name failures are counted under: `sign_in_name`, case-folded (NFKC again, since
    folding can undo it). Coarser than the case-insensitive look-up, never finer."""
    return unicodedata.normalize("NFKC", sign_in_name(typed).casefold())


def lockout_username(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE: called with the request (Django's or DRF's) and the
    credentials given to `authenticate`, or None when axes reads the name from the request."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", None)
        typed = data.get(field) if isinstance(data, Mapping) else None
    if typed is None:
        return None
    return lockout_name(str(typed))


def client_address(request: Any) -> str:
    """The address a request came from, as the API's throttle reads it: REMOTE_ADDR, or behind
    `NUM_PROXIES` trusted proxies (REST_FRAMEWORK, from the environment) the address the
    nearest of them added to X-Forwarded-For, never one the client wrote itself. django-axes'
    AXES_CLIENT_IP_CALLABLE, so that behind a proxy failures are counted by the person's
    address, not the proxy's (which every person would share), and the trail's record of a
    sign-in's address. Only an IP address counts: what a proxy wrote otherwise ("unknown", a
    port after it) falls back to the connection's own, which django-axes can store."""
    found = BaseThrottle().get_ident(request) or ""
    try:
        return str(ipaddress.ip_address(found))
    except ValueError:
        return str(request.META.get("REMOTE_ADDR", ""))
