"""The surveys' part of the navigation (no query): a board member's questionnaires, a
practitioner's family feedback, and, on a scrutiny's page, its surveys for those who run them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scrutiny import permissions
from scrutiny.models import User
from surveys.permissions import can_run_surveys


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {"survey_nav": {}}
    return {
        "survey_nav": {
            "board_questionnaires": permissions.is_board_member(user),
            # Others may enter family feedback too (surveys.permissions); it is the
            # practitioner's (the rights officer's) main task, the others' home shows it when a
            # form is open.
            "family_feedback": permissions.role_of(user) == User.Role.PRACTITIONER,
            "run_surveys": can_run_surveys(user),
        }
    }
