"""The surveys' part of the navigation: a board member's questionnaires (no query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scrutiny import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    is_board = user is not None and permissions.is_board_member(user)
    return {"survey_nav": {"board_questionnaires": is_board}}
