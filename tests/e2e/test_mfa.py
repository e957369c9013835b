"""Two-factor authentication in a real browser: a scrutineer signs in with the password, sets
up an authenticator app from the secret the page shows (as someone who cannot scan the QR code
types it), saves the recovery codes, signs out, and signs in again with a code from the app.
Every page passes the accessibility checks (axe) and the Content-Security-Policy."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.e2e.conftest import follow, submit, visit

pytestmark = pytest.mark.e2e


def app_code(secret: str, *, steps_later: int = 0) -> str:
    """What an authenticator app shows for the secret, now or a number of 30-second steps on."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_later
    return f"{totp.token():06d}"


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    submit(page, "Sign in")


def test_set_up_the_app_then_sign_in_with_its_code(page: Page, scrutineer, password):
    sign_in_with_password(page, scrutineer.email, password)
    assert urlsplit(page.url).path == "/accounts/two-factor/set-up/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    qr = page.get_by_role("img", name="QR code to add your Safeguarding scrutiny account")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "no QR code shown"

    secret = page.locator("#secret").inner_text()
    assert len(secret.replace(" ", "")) == 32 and " " in secret  # grouped for reading
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")

    # A mistyped code first: the error summary, linked to the field.
    code_field.fill("000000")
    submit(page, "Continue")
    expect(page).to_have_title(re.compile(r"^Error: Set up two-factor authentication"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # django-otp's wait after a wrong code

    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    submit(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    follow(page, page.get_by_role("link", name="I have saved my recovery codes"))
    assert urlsplit(page.url).path == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fernhill Safeguarding Children Partnership"
    )

    follow(page, page.get_by_role("button", name=f"Sign out ({scrutineer.email})"))
    sign_in_with_password(page, scrutineer.email, password)
    assert urlsplit(page.url).path == "/accounts/two-factor/verify/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    # The code used to set up is taken once: the app's next one.
    page.get_by_label("Code from your authenticator app").fill(app_code(secret, steps_later=1))
    submit(page, "Continue")
    assert urlsplit(page.url).path == "/"
    visit(page, "/scrutinies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutinies")
