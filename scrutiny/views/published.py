"""The results published to the partnership's board: the scrutinies whose findings are signed
off, as they were signed off."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutiny import permissions


@login_required
def published_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_published(request.user):
        raise PermissionDenied("Only the board, the business unit and the scrutineer.")
    return render(request, "scrutiny/published/published_list.html", {"published": []})
