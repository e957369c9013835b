from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scrutiny import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header offers the person signed in; the pages themselves check again."""
    user = request.user
    return {
        "nav": {
            "agencies": permissions.agencies_visible_to(user).exists()
            if user.is_authenticated
            else False,
            "manage_partnership": permissions.can_manage_partnership(user),
            "admin_site": user.is_authenticated and user.is_active and user.is_staff,
            "api": permissions.can_use_api_docs(user),
            "scrutinies": permissions.can_read_scrutinies(user),
            "plan": permissions.can_read_plan(user),
            "trail": permissions.can_read_trail(user),
            "people_data": permissions.can_manage_people_data(user),
            "dpia": permissions.can_read_dpia(user),
        }
    }
