from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from scrutiny import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header offers the person signed in, only what their role can use; the pages
    themselves check again."""
    # A request refused before the authentication middleware (a 400 for a disallowed Host
    # header) has no user: the error page must not become a 500.
    user = getattr(request, "user", None) or AnonymousUser()
    all_agencies = permissions.can_see_all_agencies(user)
    return {
        "nav": {
            # The partnership's agencies for the business unit and the scrutineer; an agency
            # lead's own agency and who works for it (auditors and practitioners find their
            # agency's page from home: there is nothing there for them to do).
            "agencies": all_agencies and permissions.agencies_visible_to(user).exists(),
            "own_agency": permissions.is_agency_lead(user) and getattr(user, "agency_id", None),
            "manage_partnership": permissions.can_manage_partnership(user),
            "admin_site": user.is_authenticated and user.is_active and user.is_staff,
            "api": permissions.can_use_api_docs(user),
            "scrutinies": permissions.can_read_scrutinies(user),
            "published": permissions.can_read_published(user),
            "plan": permissions.can_read_plan(user),
            "trail": permissions.can_read_trail(user),
            "people_data": permissions.can_manage_people_data(user),
            "dpia": permissions.can_read_dpia(user),
        }
    }
