"""Issue 3 in a browser: the business unit sets up a scrutiny, adds a template from the library,
and previews it as a respondent would see it; no axe violations on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from scrutiny.models import Scrutiny
from tests.e2e.conftest import follow, submit, visit

pytestmark = pytest.mark.e2e

FACTORS = "\n".join(f"SF{n} | Success factor number {n}" for n in range(1, 7))


def test_business_unit_sets_up_a_scrutiny_from_the_library(page: Page, log_in, business_unit):
    log_in(business_unit)
    visit(page, "/")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Scrutinies"))
    follow(page, page.get_by_role("link", name="Set up a scrutiny"))

    # A mistake first: nothing is saved and the summary says what to fix.
    page.get_by_label("Title").fill("Learning from Practice 2027")
    page.get_by_label("Short name for web addresses").fill("Not A Slug")
    submit(page, "Set up the scrutiny")
    expect(page).to_have_title(re.compile(r"^Error: Set up a scrutiny"))
    assert not Scrutiny.objects.exists()

    page.get_by_label("Short name for web addresses").fill("lfp-2027")
    page.get_by_label("Success factors").fill(FACTORS)
    submit(page, "Set up the scrutiny")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning from Practice 2027")
    expect(page.get_by_role("status")).to_contain_text("is set up")

    follow(page, page.get_by_role("link", name="The template library"))
    page.get_by_label("Template", exact=True).select_option(label="Multi-agency case-file audit")
    page.get_by_label("Yes, this scrutiny has those factors").check()
    submit(page, "Add the template")
    expect(page.get_by_role("status")).to_contain_text("is added")

    follow(page, page.get_by_role("link", name=re.compile(r"^Preview")))
    expect(page.get_by_text(re.compile(r"^Preview . answers are not saved"))).to_be_visible()
    submit(page, "Continue")
    # Required questions are checked as a respondent's would be.
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
