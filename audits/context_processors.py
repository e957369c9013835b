from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audits import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The audits app's links in the header; the pages check again."""
    return {"audit_nav": {"my_audits": permissions.is_auditor(request.user)}}
