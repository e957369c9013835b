"""Each role signs in through the real form and sees exactly the navigation it should; the pages
it must not reach answer with accessible 403 and 404 pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from scrutiny.models import User
from tests.e2e.conftest import follow, nav_links, sign_in, visit
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.e2e

# Persona fixture -> the links of the main navigation, in order, and the agencies the Agencies
# page lists (None: no Agencies link at all).
EXPECTED = {
    "business_unit": (
        [
            "Home",
            "Scrutinies",
            "Published results",
            "Action plan",
            "Agencies",
            "Partnership",
            "API",
            "Admin site",
        ],
        ["Fernhill Council", "Fernhill Police"],
    ),
    "scrutineer": (
        ["Home", "Scrutinies", "Published results", "Action plan", "Agencies", "API"],
        ["Fernhill Council", "Fernhill Police"],
    ),
    # Auditors and practitioners have nothing to do on their agency's page: no link to it,
    # though they may still open it.
    "auditor_council": (["Home", "Your audits"], ["Fernhill Council"]),
    "agency_lead": (["Home", "Action plan", "Your agency"], ["Fernhill Council"]),
    "board_member": (
        ["Home", "Scrutinies", "Published results", "Action plan", "Board questionnaires"],
        None,
    ),
    "practitioner": (["Home", "Family feedback"], ["Fernhill Council"]),
    "practitioner_without_agency": (["Home", "Family feedback"], None),
}


@pytest.fixture
def practitioner_without_agency(partnership):
    return UserFactory(
        partnership=partnership, email="lee@fernhill.invalid", role=User.Role.PRACTITIONER
    )


@pytest.fixture
def other_partnership_agency():
    """An agency of another partnership: no one in Fernhill may open it."""
    other = PartnershipFactory(name="Elsewhere Safeguarding Partnership")
    return AgencyFactory(partnership=other, code="ELS", name="Elsewhere Council")


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_role_sees_its_navigation_and_nothing_more(
    page: Page, request, persona, council, police, other_partnership_agency
):
    user = request.getfixturevalue(persona)
    links, agencies = EXPECTED[persona]

    sign_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fernhill Safeguarding Children Partnership"
    )
    assert nav_links(page) == links
    expect(page.get_by_role("button", name=f"Sign out ({user.email})")).to_be_visible()

    if agencies is None:
        visit(page, "/agencies/")
        expect(page.get_by_text("You are not linked to any agency")).to_be_visible()
    else:
        nav = page.get_by_role("navigation", name="Main")
        if "Your agency" in links:  # straight to the one agency's page
            follow(page, nav.get_by_role("link", name="Your agency"))
        else:
            if "Agencies" in links:
                follow(page, nav.get_by_role("link", name="Agencies"))
            else:
                visit(page, "/agencies/")
            table = page.get_by_role("table", name="Agencies you can see")
            assert table.locator("tbody tr td a").all_inner_texts() == agencies
            follow(page, table.get_by_role("link", name=agencies[0]))
        expect(page.get_by_role("heading", level=1)).to_have_text(agencies[0])
        # Who works for the agency: for the business unit and the agency's own lead only.
        people = page.get_by_role("heading", name="People on the platform")
        if persona in ("business_unit", "agency_lead"):
            expect(people).to_be_visible()
        else:
            expect(people).to_have_count(0)
        if persona == "agency_lead":
            expect(page.get_by_role("table", name=f"People of {agencies[0]}")).to_contain_text(
                user.email
            )

    # Another agency's page (another partnership's for everyone; the police for council staff)
    # is not found, whatever the id.
    forbidden = [other_partnership_agency]
    if agencies != ["Fernhill Council", "Fernhill Police"]:
        forbidden += [police]
    if agencies is None:
        forbidden += [council]
    for agency in forbidden:
        visit(page, f"/agencies/{agency.pk}/", status=404, all_rules=True)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text(agency.name)).to_have_count(0)

    if "Partnership" in links:
        visit(page, "/partnership/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Partnership details")
    else:
        visit(page, "/partnership/", status=403, all_rules=True)
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")


def test_signed_out_people_are_sent_to_sign_in(page: Page, council):
    visit(page, f"/agencies/{council.pk}/")
    assert "/accounts/login/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert nav_links(page) == ["Sign in"]
