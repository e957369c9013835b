"""Real-browser tests: headless Chromium through Playwright against pytest-django's live server.

One browser for the whole session, a new context (cookies, storage) for each test. Every page a
test opens goes through `visit` (or `follow`/`submit`, for a link or a form that leads to a page),
which runs axe-core on it and fails the test on any violation of WCAG 2.0/2.1/2.2 A and AA, and of
axe's best-practice rules (see AXE_TAGS and SLOW_RULES).

Chromium comes from Debian (`apt-get install chromium`), never from `playwright install`. Without
it the tests skip, except in CI (`CI=true`), where they fail: CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from scrutiny.models import User
from scrutiny.permissions import needs_second_factor
from tests.conftest import IN_CI, client_for, second_factor_for, totp_code
from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).parent

# The success criteria checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's
# best-practice rules (one main landmark, one h1, headings in order, skip link target...), which
# catch real problems for screen-reader users and raise no false alarms on these pages.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# "region" (best-practice: all content inside landmarks) takes half of axe's time on every page,
# and every page shares base.html's banner, main and contentinfo: it runs on the layout tests'
# pages (each variant of base.html: signed out, signed in, a form with errors) and on the error
# pages, not on every page.
SLOW_RULES = ["region"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}

# axe-core goes into every page through the browser context's init script (sent to the browser
# once per test, compiled once per page) instead of Axe.run evaluating its 600 kB again before
# each check, which costs a third of the time; Axe.run then only checks it is there and runs it.
_axe = Axe(axe_script="if (!window.axe) throw new Error('axe-core is not in this page')")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is an e2e test, whatever its module says (before -m filters)."""
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


# --- The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"{reason}: CI must run the browser tests, not skip them.")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM
    # calls from the test (fixtures, assertions) as if they were made from async code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser refused under the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)
    during the test: the page fixture fails on any left in it, so a test that expects one takes it
    out, saying why."""
    return []


@pytest.fixture
def page(browser: Browser, live_server, csp_violations: list[str]) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(script=AXE_SCRIPT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Whatever the browser refuses under the Content-Security-Policy (an inline script or style, a
    # resource from another site) fails the test.
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


# --- Accessibility checks ------------------------------------------------------------------------


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').strip()}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def check_accessibility(
    page: Page,
    *,
    all_rules: bool = False,
    exclude: list[str] | None = None,
    skip_rules: list[str] | None = None,
) -> None:
    """Run axe-core on the page as it is now; fail listing every violation.

    `all_rules` adds the slow rules (SLOW_RULES). `exclude` (CSS selectors) and `skip_rules` (axe
    rule ids) are for third-party pages only, each use explained where it is made."""
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    off = [*(skip_rules or []), *([] if all_rules else SLOW_RULES)]
    options = {**AXE_OPTIONS, "rules": {rule: {"enabled": False} for rule in off}}
    results = _axe.run(page, context=context, options=options)
    violations = results.response["violations"]
    if violations:
        pytest.fail(
            f"Accessibility violations on {page.url} ({page.title()!r}):\n"
            + format_violations(violations),
            pytrace=False,
        )


def visit(page: Page, path: str, *, status: int = 200, **axe: Any) -> Page:
    """Open a page of the live server, check its HTTP status, and run axe on it."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    check_accessibility(page, **axe)
    return page


def follow(page: Page, target: Locator, *, status: int = 200, **axe: Any) -> Page:
    """Click a link or a submit button; check and run axe on the page it leads to (after any
    redirect)."""
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{page.url} answered {response.status}, not {status}"
    check_accessibility(page, **axe)
    return page


def submit(page: Page, button: str, *, status: int = 200, **axe: Any) -> Page:
    """Press a form's submit button, named by its accessible name, and check the page it leads
    to."""
    return follow(page, page.get_by_role("button", name=button, exact=True), status=status, **axe)


VERIFY_PATH = "/accounts/two-factor/verify/"


def prepare_second_factor(email: str) -> TOTPDevice | None:
    """For whoever must prove a second factor: their authenticator app (set up for them here,
    as if they had done it before), so the sign-in goes on to ask for its code."""
    user = User.objects.get(email__iexact=email)
    return second_factor_for(user) if needs_second_factor(user) else None


def enter_code(page: Page, device: TOTPDevice | None, *, keyboard: bool = False) -> None:
    """On the page that asks for the code after the password: type the one the person's app
    shows now (computed from the device, RFC 6238) and continue, by keyboard if asked (the code
    field has the focus)."""
    if device is None:
        return
    assert urlsplit(page.url).path == VERIFY_PATH, f"no code was asked for, at {page.url}"
    check_accessibility(page)
    code = totp_code(device)
    if keyboard:
        expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
        page.keyboard.type(code)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        check_accessibility(page)
    else:
        page.get_by_label("Code from your authenticator app").fill(code)
        submit(page, "Continue")


def sign_in(page: Page, email: str, password: str = PASSWORD) -> Page:
    """Sign in through the real form, as a person would (with the code from their app where
    they need a second factor); lands on the home page."""
    device = prepare_second_factor(email)
    visit(page, "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    submit(page, "Sign in")
    enter_code(page, device)
    assert urlsplit(page.url).path == "/", f"signing in as {email} led to {page.url}"
    return page


@pytest.fixture
def log_in(page: Page, live_server) -> Callable[[Any], Page]:
    """Start the browser's session as a user without the login form, for tests about something
    else (test_roles and test_sign_in use the form itself)."""

    def _log_in(user: Any) -> Page:
        # With the second factor proved, for those who need one.
        client = client_for(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return _log_in


def nav_links(page: Page) -> list[str]:
    """The names of the links in the main navigation, in order."""
    return [
        name.strip()
        for name in page.get_by_role("navigation", name="Main")
        .get_by_role("link")
        .all_inner_texts()
    ]


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")
