"""Issue 15's journeys: each role signs in through the real form, lands on its home page and
reaches its main task by following links only, at 320 px and at 1280 px, on the demo's data.
Every page passed is checked with axe (`follow`) and must not scroll sideways at 320 px. The
board reads the published scorecard and the event pack's web page; the anonymous practitioner
starts from the open link they were sent, as they would."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from scrutiny.demo import SCRUTINY_SLUG, demo_load
from scrutiny.models import Scrutiny
from surveys.models import Survey
from tests.e2e.conftest import check_accessibility, follow, sign_in, visit
from tests.e2e.test_layout import assert_no_horizontal_scroll, check_page

pytestmark = pytest.mark.e2e

WIDTHS = ((320, 640), (1280, 800))


@pytest.fixture
def demo(settings, transactional_db) -> Scrutiny:
    settings.DEMO_LOGINS_ALLOWED = True
    demo_load()
    return Scrutiny.objects.get(slug=SCRUTINY_SLUG)


def step(page: Page, link, width: int) -> Page:
    """Follow a link (axe runs on the page it leads to), which must fit the screen's width."""
    follow(page, link)
    assert_no_horizontal_scroll(page, width)
    return page


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def business_unit(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → the scrutiny in progress → its surveys → the practitioner survey.
    task = page.locator("section[aria-labelledby=main-task]")
    expect(task.get_by_role("heading", name="Scrutinies")).to_be_visible()
    step(page, task.get_by_role("link", name=demo.title, exact=True), width)
    assert heading(page) == demo.title
    step(page, page.get_by_role("link", name=re.compile("^The scrutiny's surveys")), width)
    assert heading(page) == "Surveys"
    survey = Survey.objects.filter(scrutiny=demo, instrument__kind="practitioner_survey").first()
    assert survey is not None
    step(page, page.get_by_role("link", name=survey.title, exact=True), width)
    assert heading(page) == survey.title
    expect(page.get_by_text(re.compile(r"/s/"))).not_to_have_count(0)  # the open link


def scrutineer(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → the workspace of the scrutiny in progress → a factor's evidence.
    task = page.locator("section[aria-labelledby=main-task]")
    step(page, task.get_by_role("link", name=demo.title, exact=True), width)
    assert heading(page) == "Scrutineer's workspace"
    scorecard = page.get_by_role("table", name=re.compile("^Success factors"))
    step(page, scorecard.get_by_role("link", name="SF1"), width)
    assert heading(page).startswith("SF1 ")
    expect(page.get_by_role("heading", name="Comments")).to_be_visible()


def auditor(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → Your audits → an audit.
    task = page.locator("section[aria-labelledby=main-task]")
    step(page, task.get_by_role("link", name="Your audits"), width)
    assert heading(page) == "Your audits"
    audits = page.get_by_role("table", name=re.compile("^Audits assigned to you"))
    step(page, audits.get_by_role("link").first, width)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def agency_lead(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → one of the agency's actions, to give it an update.
    task = page.locator("section[aria-labelledby=main-task]")
    expect(task.get_by_role("heading", name="Your agency's actions")).to_be_visible()
    step(page, task.get_by_role("listitem").get_by_role("link").first, width)
    expect(page.get_by_role("heading", name=re.compile("update", re.IGNORECASE))).not_to_have_count(
        0
    )


def board_member(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → the published results → the earlier scrutiny's scorecard → its event pack's page.
    task = page.locator("section[aria-labelledby=main-task]")
    expect(task.get_by_role("heading", name="Published results")).to_be_visible()
    published = demo.previous
    assert published is not None and hasattr(published, "publication")
    step(page, task.get_by_role("link", name=published.title, exact=True), width)
    assert heading(page) == f"{published.title}: published results"
    scorecard = page.get_by_role("table", name=re.compile("^Success factors"))
    expect(scorecard.locator("tbody tr")).to_have_count(published.factors.count())
    expect(scorecard).to_contain_text(re.compile("Strong evidence|Some evidence|Limited evidence"))
    step(page, page.get_by_role("link", name="Read the event pack as a web page"), width)
    assert heading(page) == f"Scrutiny event pack: {published.title}"
    for section in ("Summary scorecard", "Method: what was gathered", "Draft action plan"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()


def rights_officer(page: Page, width: int, demo: Scrutiny) -> None:
    # Home → family feedback → enter a family's feedback: its first page of questions.
    task = page.locator("section[aria-labelledby=main-task]")
    step(page, task.get_by_role("link", name="Family feedback", exact=True), width)
    assert heading(page) == "Family feedback"
    step(page, page.get_by_role("button", name=re.compile("^Enter feedback from a family")), width)
    expect(page.get_by_role("button", name="Save and continue")).to_be_visible()


JOURNEYS: dict[str, tuple[str, Callable[[Page, int, Scrutiny], None]]] = {
    "business unit": ("admin@demo.invalid", business_unit),
    "scrutineer": ("scrutineer@demo.invalid", scrutineer),
    "auditor": ("auditor.nbc@demo.invalid", auditor),
    "agency lead": ("lead.nhb@demo.invalid", agency_lead),
    "board member": ("board@demo.invalid", board_member),
    "rights officer": ("rights.officer@demo.invalid", rights_officer),
}


def test_every_role_on_the_demo_from_its_home_page_and_the_set_up_pages_on_a_phone(
    page: Page, demo, settings, log_in
):
    """One load of the demo (it takes seconds) for every journey: each role's in turn, each in
    a fresh session (its failure names the role's journey function), then the anonymous
    practitioner's and the set-up pages at 320 px."""
    for email, journey in JOURNEYS.values():
        page.context.clear_cookies()
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            if width == WIDTHS[0][0]:
                # The demo's login, with its published password: lands on the home page.
                sign_in(page, email, settings.DEMO_PASSWORD)
            else:  # the journey ended on its task; the next starts at home again
                visit(page, "/")
            assert_no_horizontal_scroll(page, width)
            journey(page, width, demo)
    anonymous_practitioner(page, demo)
    set_up_pages_fit_a_phone(page, demo, log_in)


def anonymous_practitioner(page: Page, demo: Scrutiny) -> None:
    """From the open link they were sent: the first page of questions."""
    survey = Survey.objects.get(
        scrutiny=demo, instrument__kind="practitioner_survey", open_link_enabled=True
    )
    for width, height in WIDTHS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": height})
        visit(page, f"/s/{survey.public_key}/")
        assert_no_horizontal_scroll(page, width)
        assert heading(page) == survey.title
        agency = page.get_by_label("Which agency do you work for?")
        agency.select_option(index=1)
        role = page.get_by_label("What is your role?")
        role.select_option(index=1)
        step(page, page.get_by_role("button", name="Start", exact=True), width)
        expect(page.get_by_role("button", name="Save and continue")).to_be_visible()
        check_accessibility(page)


def set_up_pages_fit_a_phone(page: Page, demo: Scrutiny, log_in) -> None:
    """The pages the issue found too wide at 320 px: the template library, each instrument's
    page (its option lists scroll in a focusable region), the survey set-up form and the
    scorecard (its table scrolls inside its wrapper, not the page)."""
    from scrutiny.models import User

    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 640})
    log_in(User.objects.get(email="admin@demo.invalid"))
    paths = [
        f"/scrutinies/{demo.slug}/library/",
        f"/scrutinies/{demo.slug}/surveys/new/",
        f"/scrutinies/{demo.slug}/workspace/",
        *(
            f"/scrutinies/{demo.slug}/instruments/{pk}/"
            for pk in demo.instruments.values_list("pk", flat=True)
        ),
    ]
    for path in paths:
        visit(page, path)
        assert_no_horizontal_scroll(page, 320)
    check_page(page, 320, "instrument", screenshot=True)
    visit(page, f"/scrutinies/{demo.slug}/workspace/")
    check_page(page, 320, "scorecard", screenshot=True)
    # The form's controls: the dates styled as the other inputs, the box before its label.
    visit(page, f"/scrutinies/{demo.slug}/surveys/new/")
    opens = page.get_by_label("Opens")
    assert opens.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"
    box = page.get_by_role("checkbox", name="Anyone with the open link may answer")
    # Where the label's words start, and that every line of them is right of the box.
    words_left = box.evaluate(
        """(input) => {
            const range = document.createRange();
            range.selectNodeContents(input.closest('label'));
            range.setStartAfter(input);
            return Math.min(...[...range.getClientRects()].map((r) => r.left));
        }"""
    )
    edge = box.bounding_box()
    assert edge is not None and words_left >= edge["x"] + edge["width"]
