"""A route under /api/ that matches nothing answers in JSON with where the routes are listed,
and a server error under /api/ in JSON too; any other address gets the site's own pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/api/scrutinies/x/y/z/w/", "/api/v2/"])
def test_an_unknown_api_route_answers_json_with_the_way_to_the_routes(path, business_unit):
    for client in (Client(), client_for(business_unit)):
        response = client.get(path, HTTP_ACCEPT="application/json")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        detail = response.json()["detail"]
        assert path in detail and "/api/docs/" in detail and "/api/schema/" in detail


def test_an_unknown_page_is_still_the_sites_page():
    response = Client().get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()


def test_a_view_under_api_that_finds_nothing_says_not_found_as_drf_does(rf):
    """A plain Django view under /api/ raising Http404 reaches the handler with its route
    matched: it answers as the API's own views do, not "no route"."""
    from django.http import Http404
    from django.urls import resolve

    from scrutiny.views.errors import not_found

    request = rf.get("/api/scrutinies/no-such-scrutiny/")
    request.resolver_match = resolve(request.path_info)
    response = not_found(request, Http404())
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("path", "kind"), [("/api/scrutinies/", "application/json"), ("/scrutinies/", "text/html")]
)
def test_a_server_error_answers_as_the_address_does(rf, path, kind):
    from scrutiny.views.errors import server_failed

    response = server_failed(rf.get(path))
    assert response.status_code == 500
    assert response["Content-Type"].startswith(kind)
    if kind == "application/json":
        assert "logged" in json.loads(response.content)["detail"]
