"""Reflow (WCAG 1.4.10): pages work at 320 CSS pixels wide with no horizontal scrolling, and at
desktop width. Screenshots go to /tmp/e2e-screenshots for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from scrutiny.models import User
from tests.e2e.conftest import scroll_width, submit, visit
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e-screenshots"))  # noqa: S108
WIDTHS = {"mobile": (320, 640), "desktop": (1280, 800)}


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    overflowing = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
            .slice(0, 10)""",
        width,
    )
    assert scroll_width(page) <= width, (
        f"{page.url} scrolls sideways at {width}px: scrollWidth {scroll_width(page)}, "
        f"too wide: {overflowing}"
    )


def check_page(page: Page, width: int, name: str, *, screenshot: bool = False) -> None:
    assert_no_horizontal_scroll(page, width)
    if screenshot:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("size", WIDTHS)
def test_pages_reflow_without_horizontal_scrolling(
    page: Page, log_in, size, business_unit, agency_lead, council, police
):
    width, height = WIDTHS[size]
    # Real addresses and names are longer than the personas': they must wrap, not overflow.
    UserFactory(
        partnership=council.partnership,
        agency=council,
        role=User.Role.PRACTITIONER,
        email="alexandra.montgomery-fotheringham@fernhill-metropolitan-council.gov.uk",
        full_name="Alexandra Montgomery-Fotheringham",
    )
    police.name = "Fernhillshire and Westmarch Constabulary Safeguarding Directorate"
    police.save()
    page.set_viewport_size({"width": width, "height": height})

    visit(page, "/", all_rules=True)
    check_page(page, width, "home-signed-out")
    visit(page, "/accounts/login/", all_rules=True)
    check_page(page, width, "login")
    submit(
        page, "Sign in", all_rules=True
    )  # with nothing filled in: the error summary and field errors
    check_page(page, width, "login-errors", screenshot=True)

    log_in(business_unit)
    visit(page, "/", all_rules=True)
    check_page(page, width, "home", screenshot=True)
    visit(page, "/agencies/", all_rules=True)
    check_page(page, width, "agencies", screenshot=True)
    visit(page, f"/agencies/{council.pk}/", all_rules=True)
    check_page(page, width, "agency", screenshot=True)
    visit(page, "/partnership/", all_rules=True)
    check_page(page, width, "partnership")
