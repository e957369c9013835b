from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audits import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The audits app's links in the header and on a scrutiny's page (no query); the pages
    check again."""
    user = request.user
    return {
        "audit_nav": {
            "my_audits": permissions.is_auditor(user),
            "run_audits": permissions.can_run_audits(user),
        }
    }
