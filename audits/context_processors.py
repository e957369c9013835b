from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from audits import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The audits app's links in the header and on a scrutiny's page (no query); the pages
    check again."""
    # A request refused before the authentication middleware (a 400 for a disallowed Host
    # header) has no user: the error page must not become a 500.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "audit_nav": {
            "my_audits": permissions.is_auditor(user),
            "run_audits": permissions.can_run_audits(user),
        }
    }
