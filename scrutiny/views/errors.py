"""Error answers that depend on who asks: under /api/ a route that matches nothing, and a
server error, answer in JSON as every other API error does, so that a client reading JSON gets
a reason, not a page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.defaults import page_not_found, server_error

from scrutiny.mfa.middleware import API


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The handler of 404s: JSON under /api/ (but its documentation pages), else the page. A
    route that matched and found nothing says so as the API's own views do."""
    if API.match(request.path_info):
        if getattr(request, "resolver_match", None) is not None:
            return JsonResponse({"detail": "Not found."}, status=404)  # as DRF words it
        detail = (
            f"No API route is at {request.path_info}: the API's routes are listed at "
            f"{reverse('api-docs')} and described by {reverse('api-schema')}."
        )
        return JsonResponse({"detail": detail}, status=404)
    return page_not_found(request, exception)


def server_failed(request: HttpRequest) -> HttpResponse:
    """The handler of 500s: JSON under /api/ (but its documentation pages), else the page. The
    error itself is logged by Django, never shown."""
    if API.match(request.path_info):
        detail = (
            "The server failed to answer this request; nothing about it is shown here. It is "
            "logged: if it happens again, tell whoever runs the platform when it happened."
        )
        return JsonResponse({"detail": detail}, status=500)
    return server_error(request)
