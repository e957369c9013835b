"""A scrutineer who has not proved a second factor reaches no page with case data (issue 14).

Signed in with the password alone, the scrutineer of partnership A tries every route of the URL
configuration (read from it, so a route added later is tried too), with A's real scrutiny, case
file, audit, survey, pack, plan and job in the address and every method: each answers with a
redirect to setting up the second factor (or, once they have an app, to entering its code),
keeping where they were going, and the API with a 403 that says why. Only the routes that need
no second factor are let through: signing in and out, resetting a forgotten password (not
changing it), the two-factor pages, another
way to sign in, health, the public statements, surveys answered by link, the token endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for, second_factor_for
from tests.red_team.test_scoping import PARAMETER, url_for, world, world_built  # noqa: F401

pytestmark = pytest.mark.django_db

# Open to a session that has not proved a second factor (scrutiny/mfa/middleware.py).
EXEMPT = (
    "accounts/login/",
    "accounts/logout/",
    "accounts/password-reset/",
    "accounts/reset/",
    "accounts/two-factor/",
    "oidc/",
    "health/",
    "i18n/",
    "accessibility/",
    "privacy/",
    "p/",
    "i/",
    "invited/",
    "s/",
    "api/token/",
    "api/surveys/open/",
    "api/surveys/invitations/response/",
)
API_METHODS = ("get", "post", "put", "patch", "delete")


def _routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _is_exempt(route: str) -> bool:
    return route.startswith(EXEMPT)


def _is_api(route: str) -> bool:
    return route.startswith("api/") and not route.startswith(("api/docs/", "api/redoc/"))


def _admin_urls() -> list[str]:
    """The admin site's pages, with a real object of each model where there is one."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [reverse(f"{name}_{view}", args=[first.pk]) for view in ("change", "delete")]
    return urls


def _addresses(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(route, address) for every route that needs a second factor, with A's objects in it."""
    found = []
    for route in _routes():
        if route.startswith("admin/") or _is_exempt(route):
            continue
        found.append((route, url_for(route, values, missing=False)))
    found += [("admin/", url) for url in _admin_urls()]
    return found


def _refused(
    client: Client, route: str, url: str, to: str, *, every_method: bool = True
) -> list[str]:
    """What is wrong with the answers of `url`: each method must be sent to `to` (keeping the
    address as `next`) or, for the API, be a 403 saying a second factor is needed."""
    problems = []
    methods = (API_METHODS if _is_api(route) else ("get", "post")) if every_method else ("get",)
    for method in methods:
        answer = getattr(client, method)(url)
        if _is_api(route):
            if answer.status_code != 403 or "second factor" not in answer.json()["detail"]:
                problems.append(f"{method.upper()} {url}: {answer.status_code}")
            continue
        location = urlsplit(answer.headers.get("Location", ""))
        sent_on = answer.status_code == 302 and location.path == to
        if not sent_on or parse_qs(location.query).get("next") != [url]:
            problems.append(f"{method.upper()} {url}: {answer.status_code} {location.geturl()}")
    return problems


def _password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_route_with_case_data_needs_the_second_factor(world, scrutineer):  # noqa: F811
    addresses = _addresses(world.values)
    assert len(addresses) > 150
    assert any(url.startswith("/audits/") for _, url in addresses)
    case_pages = [url for route, url in addresses if "<int:case_id>" in route]
    assert case_pages and all(f"/{world.values['case_id']}/" in url for url in case_pages)

    client = _password_only(scrutineer)
    set_up = reverse("two-factor-set-up")
    problems = [p for route, url in addresses for p in _refused(client, route, url, set_up)]
    assert not problems, "reached without a second factor:\n" + "\n".join(problems)

    # With an app set up but its code not entered: to verification instead (the same check in
    # the middleware, so reading is enough here).
    second_factor_for(scrutineer)
    verify = reverse("two-factor-verify")
    problems = [
        p
        for route, url in addresses
        for p in _refused(client, route, url, verify, every_method=False)
    ]
    assert not problems, "reached without the code:\n" + "\n".join(problems)


def test_the_business_unit_reaches_neither_pages_nor_the_admin_site(world):  # noqa: F811
    client = _password_only(world.admin_a)
    set_up = reverse("two-factor-set-up")
    for url in [reverse("home"), reverse("partnership-edit"), *_admin_urls()]:
        assert not _refused(client, "admin/", url, set_up), url


def test_the_same_person_with_the_code_reaches_the_case_data(world, scrutineer):  # noqa: F811
    """Not vacuous: the addresses tried hold A's real objects, which the scrutineer reaches
    once the second factor is proved."""
    client = client_for(scrutineer)
    slug = world.values["slug"]
    for url in [reverse("scrutiny-detail", args=[slug]), reverse("workspace", args=[slug])]:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert world.names[1] in answer.content.decode()


def test_only_the_routes_that_need_no_second_factor_are_let_through(scrutineer):
    """The exempt routes answer as they would for anyone: never sent to the second factor."""
    client = _password_only(scrutineer)
    for route in _routes():
        if not _is_exempt(route) or route.startswith(("accounts/two-factor/", "accounts/logout/")):
            continue
        url = "/" + PARAMETER.sub("x", route)
        answer = client.get(url)
        location = answer.headers.get("Location", "")
        assert "/accounts/two-factor/" not in location, url
        assert answer.status_code != 403 or "second factor" not in answer.content.decode(), url
