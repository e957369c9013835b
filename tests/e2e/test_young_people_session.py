"""Issue 16 in a browser: a children's survey run as a school session, at 320 px with the keyboard
alone, and read as a screen reader reads it (the accessibility tree).

A youth worker (a practitioner) starts a session from their home page, with the consent the
setting requires; three children, each in a browser of their own, type its code and answer one
question a page; each question is a group named by the question whose radios are named by their
words (the faces are decoration), and every page has the "Worried or upset?" box. Their answers
count under the young people source in the Independent Scrutineer's scorecard. Every page is
checked with axe and must not scroll sideways at 320 CSS pixels.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings as django_settings
from playwright.sync_api import Browser, BrowserContext, Page, expect
from rest_framework.test import APIClient

from scrutiny.instruments import instrument_save
from scrutiny.models import Scrutiny, Source, SuccessFactor
from surveys.models import OpenDraft, YouthSession
from tests.conftest import client_for
from tests.e2e.conftest import check_accessibility, visit
from tests.e2e.test_audit_journey import HEIGHT, WIDTH, fits, press, tab_to
from tests.scrutiny.test_disclosures import _api_urls, _pack_text, _seen
from tests.surveys.conftest import make_survey
from tests.surveys.test_youth_sessions import young_definition

pytestmark = pytest.mark.e2e

SETTING = "Fernhill Academy, Year 8"
# Each child's answers, by the number of Down arrow presses from the first answer: an age band,
# how safe they feel (Always ... Never, I don't know), whether adults listen; then a comment.
# The third child writes what may mean harm (a phrase of the partnership's list, here the
# suggested one): flagged to the business unit, and in no pack, export or API answer.
DISCLOSURE = "Sometimes I am scared to go home"
CHILDREN = [(1, 0, 1, "More clubs after school"), (2, 1, 0, ""), (0, 0, 4, DISCLOSURE)]


@pytest.fixture
def scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership,
        slug="voices-2026",
        title="Voices 2026",
        suppression_threshold=1,
        min_responses=1,
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Children feel safe.")
    partnership.front_door_phone = "01632 960 123"
    partnership.save()
    return scrutiny


@pytest.fixture
def young_survey(scrutiny):
    instrument = instrument_save(scrutiny=scrutiny, definition=young_definition()).instrument
    return make_survey(instrument, title="Your views 2026")


@pytest.fixture
def child_contexts(browser: Browser, live_server, csp_violations) -> Iterator[list[BrowserContext]]:
    """A browser of each child's own, at 320 px: no cookie is shared with the adult's or
    another child's."""
    contexts: list[BrowserContext] = []
    for _ in CHILDREN:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": WIDTH, "height": HEIGHT},
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        context.add_init_script(script=AXE_SCRIPT)
        contexts.append(context)
    yield contexts
    for context in contexts:
        context.close()


def watch(page: Page, csp_violations: list[str], errors: list[str]) -> Page:
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def help_box_is_there(page: Page, *, front_door: bool = True) -> None:
    """Childline on every page; the partnership's front door number once the code says
    which partnership's survey it is."""
    snapshot = page.get_by_role("main").aria_snapshot()
    assert 'heading "Worried or upset?"' in snapshot, snapshot
    assert 'link "0800 1111"' in snapshot, snapshot
    assert ('link "01632 960 123"' in snapshot) == front_door, snapshot


def choose(page: Page, question: str, downs: int) -> None:
    """Tab into the question's radio group, take the first answer (Space), then move down."""
    group = page.get_by_role("group", name=question)
    tab_to(page, group.get_by_role("radio").first)
    page.keyboard.press("Space")
    for _ in range(downs):
        page.keyboard.press("ArrowDown")


def start_session(page: Page) -> str:
    """The youth worker, from their home page: start a session, with consent; the code."""
    visit(page, "/")
    fits(page)
    press(page, page.get_by_role("link", name="Children's survey sessions"))
    press(page, page.get_by_role("link", name="Start a session for Your views 2026"))
    tab_to(page, page.get_by_role("textbox", name="Where is the session?"))
    page.keyboard.type(SETTING)
    tab_to(page, page.get_by_role("checkbox", name="I have arranged this session with the consent"))
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Start the session"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Show this code to the children")
    code = page.locator(".session-code [aria-hidden=true]").inner_text().strip()
    assert len(code) == 6
    # A screen reader reads the code a character at a time.
    assert " ".join(code) in page.get_by_role("main").aria_snapshot()
    return code


def answer(page: Page, code: str, choices: tuple[int, int, int, str]) -> None:
    """A child, by keyboard alone, through the code to the thank-you page."""
    age, safe, heard, comment = choices
    visit(page, "/young/")
    fits(page)
    help_box_is_there(page, front_door=False)
    tab_to(page, page.get_by_role("textbox", name="Enter your code"))
    page.keyboard.type(code.lower())
    press(page, page.get_by_role("button", name="Go"))
    expect(page.get_by_text("Nobody will know which answers are yours.")).to_be_visible()
    help_box_is_there(page)
    press(page, page.get_by_role("button", name="Start"))

    expect(page.get_by_text("Question 1 of 4")).to_be_visible()
    choose(page, "How old are you?", age)
    press(page, page.get_by_role("button", name="Next"))

    expect(page.get_by_text("Question 2 of 4")).to_be_visible()
    # The screen reader's view: a group named by the question, one heading, each radio named
    # by its words (the face beside it is decoration), and the help box.
    group = page.get_by_role("group", name="Do you feel safe at school?")
    snapshot = group.aria_snapshot()
    for words in ("Always", "Most of the time", "Sometimes", "Never", "I don't know"):
        assert f'radio "{words}"' in snapshot, snapshot
    assert 'heading "Do you feel safe at school?" [level=1]' in snapshot, snapshot
    assert page.get_by_role("img").count() == 0  # no image reaches the tree
    help_box_is_there(page)
    choose(page, "Do you feel safe at school?", safe)
    press(page, page.get_by_role("button", name="Next"))

    expect(page.get_by_text("Question 3 of 4")).to_be_visible()
    choose(page, "Do adults listen to you?", heard)
    press(page, page.get_by_role("button", name="Next"))

    expect(page.get_by_text("Question 4 of 4")).to_be_visible()
    if comment:
        tab_to(page, page.get_by_role("textbox", name="Is there anything else?"))
        page.keyboard.type(comment)
    press(page, page.get_by_role("button", name="Next"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    press(page, page.get_by_role("button", name="Send my answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    help_box_is_there(page)


def test_a_school_session_by_keyboard_at_320px(
    page: Page,
    log_in,
    live_server,
    practitioner,
    scrutineer,
    business_unit,
    young_survey,
    child_contexts,
    csp_violations,
):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(practitioner)
    code = start_session(page)
    session = YouthSession.objects.get(code=code)
    assert (session.arranged_by, session.setting) == (practitioner, SETTING)

    errors: list[str] = []
    for context, choices in zip(child_contexts, CHILDREN, strict=True):
        answer(watch(context.new_page(), csp_violations, errors), code, choices)
    assert not errors, errors
    assert OpenDraft.objects.filter(session=session, answered=True).count() == 3

    # The youth worker ends the session: the code no longer starts the survey.
    visit(page, f"/sessions/{session.pk}/")
    press(page, page.get_by_role("link", name="End the session"))
    press(page, page.get_by_role("button", name="End the session"))
    # (A child who has answered sees the thank-you page again; a new one is turned away.)
    child_contexts[0].clear_cookies()
    late = watch(child_contexts[0].new_page(), csp_violations, errors)
    visit(late, f"/young/{code}/")
    expect(late.get_by_role("heading", level=1)).to_have_text("This code does not work")

    # The scrutineer's scorecard counts the three under children and young people.
    scorer = client_for(scrutineer)
    cookie = scorer.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    visit(page, f"/scrutinies/{young_survey.scrutiny.slug}/workspace/")
    label = str(dict(Source.choices)[Source.YOUNG_PEOPLE])
    expect(page.get_by_role("table").get_by_text(f"{label}:")).to_contain_text("(n 3)")
    check_accessibility(page)

    # The disclosure: flagged to the business unit, on their list...
    log_in(business_unit)
    visit(page, "/disclosures/")
    expect(page.get_by_role("main")).to_contain_text(DISCLOSURE)
    # ...counted in the pack under the young people source, and held back from it, from every
    # API answer of the scrutiny and from the board's published pages.
    text = _pack_text(young_survey.scrutiny)
    assert label in text and not _seen(text)
    api = APIClient()
    api.force_authenticate(scrutineer)
    for url in _api_urls(young_survey.scrutiny):
        assert not _seen(api.get(url).content.decode()), url
