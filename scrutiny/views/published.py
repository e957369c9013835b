"""The results published to the partnership's board: the scrutinies whose findings are signed
off, as they were signed off."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def published_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scrutiny/published/published_list.html", {"published": []})
