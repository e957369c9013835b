"""The Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY) on every page.

The policy forbids inline script and style, so the templates must hold none: the last test reads
them all. The browser tests (tests/e2e/conftest.py) fail on any violation the browser reports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response: HttpResponse) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} response"
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_site_policy(response: HttpResponse) -> dict[str, str]:
    found = directives(response)
    for name, value in REQUIRED.items():
        assert found.get(name) == value, f"{name}: {found.get(name)!r}"
    for name in ("script-src", "style-src"):
        assert "unsafe-inline" not in found.get(name, ""), name
    return found


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


urlpatterns = [path("broken/", _broken)]


@pytest.mark.django_db
def test_pages_carry_the_policy(client, scrutineer):
    assert_site_policy(client.get(reverse("login")))
    assert_site_policy(client_for(scrutineer).get(reverse("home")))


@pytest.mark.django_db
def test_error_pages_carry_the_policy(client, settings):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_site_policy(missing)

    settings.ROOT_URLCONF = __name__
    failing = Client(raise_request_exception=False).get("/broken/")
    assert failing.status_code == 500
    assert_site_policy(failing)


@pytest.mark.django_db
def test_api_documentation_has_its_own_narrow_additions(auditor_council):
    client = client_for(auditor_council)
    swagger = client.get(reverse("api-docs"))
    found = assert_site_policy(swagger)
    assert found["img-src"] == "'self' data:"
    html = swagger.content.decode()
    # Swagger UI starts from a script served at the page's own address, not an inline one.
    start = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', html)
    assert start, html
    script = client.get(start.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()

    redoc = client.get(reverse("api-redoc"))
    found = directives(redoc)
    for name, value in REQUIRED.items():
        assert found[name] == value, name
    assert found["style-src"] == "'self' 'unsafe-inline'"
    assert found["worker-src"] == "'self' blob:"
    assert "script-src" not in found


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"  # a script with no src
    r"|<style\b"  # a style element
    r"|\sstyle=\"|\sstyle='"  # a style attribute
    r"|\son[a-z]+\s*=",  # an event handler attribute
    re.IGNORECASE,
)


def test_templates_hold_no_inline_script_or_style():
    offenders = [
        f"{template.relative_to(ROOT)}: {match.group(0)!r}"
        for folder in ("templates", "scrutiny", "audits", "surveys")
        for template in (ROOT / folder).rglob("*.html")
        for match in INLINE.finditer(template.read_text())
    ]
    assert not offenders, "\n".join(offenders)
