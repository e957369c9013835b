"""Signing in and out with a keyboard: the skip link, the error summary, the field it links to."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import enter_code, follow, prepare_second_factor, submit, visit

pytestmark = pytest.mark.e2e


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase(),"
        " text: document.activeElement.textContent.trim()})"
    )


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, log_in, business_unit, council
):
    def check_skip_link(path: str) -> None:
        visit(page, path)
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Skip to main content", path
        box = page.get_by_role("link", name="Skip to main content").bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link is off screen"
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main-content", path
        # The next Tab stop is the first one inside main (or the footer's, if main has none),
        # not back in the header.
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.getElementById('main-content').compareDocumentPosition("
            "document.activeElement) & (Node.DOCUMENT_POSITION_CONTAINED_BY"
            " | Node.DOCUMENT_POSITION_FOLLOWING)"
        ), path

    check_skip_link("/")
    check_skip_link("/accessibility/")
    log_in(business_unit)
    check_skip_link("/")
    check_skip_link("/agencies/")


def test_a_failed_sign_in_shows_the_error_summary_linked_to_the_fields(page: Page, auditor_council):
    visit(page, "/accounts/login/")
    submit(page, "Sign in")  # nothing filled in

    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    email_error = summary.get_by_role("link", name=re.compile(r"^Email address:"))
    expect(email_error).to_have_attribute("href", "#id_username")
    email_error.click()
    expect(page.get_by_label("Email address")).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_username_error\b")
    )

    page.get_by_label("Email address").fill(auditor_council.email)
    page.get_by_label("Password").fill("not the password")
    submit(page, "Sign in")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_have_count(0)


def test_sign_in_and_out_with_the_keyboard_only(page: Page, auditor_council, password):
    """An auditor needs a second factor: after the password, the code from the app, typed in
    the field that has the focus."""
    device = prepare_second_factor(auditor_council.email)
    visit(page, "/accounts/login/")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(auditor_council.email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    enter_code(page, device, keyboard=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fernhill Safeguarding Children Partnership"
    )
    follow(page, page.get_by_role("button", name=re.compile("^Sign out")))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        ["Sign in"]
    )
