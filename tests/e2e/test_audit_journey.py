"""Issue 4 in a browser, from the sample to the agreed grade in the scores.

The business unit draws twelve case files from an uploaded case list and gives each one to two
agencies; the council's auditor completes an audit (leaving halfway, signing out, and resuming
in a new session where they left) and raises an immediate concern on the way; the police auditor
completes the same case file with a different grade; the scrutineer moderates it, and the agreed
grade counts in the scores in place of the two contributions.

The whole journey runs at 320 CSS pixels wide and with the keyboard alone (Tab, Shift+Tab,
arrow keys, Space, Enter and typing; the focus must be visible wherever it lands). Every page is
checked with axe and must not scroll sideways. Only two things are not keyboard presses: the case
list is given to the file field (its dialog belongs to the operating system), and the police
auditor's and the scrutineer's sessions start without the sign-in form, which the business unit
and the council's auditor (twice) go through.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery import current_app as celery_app
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from audits.models import Assignment, ImmediateConcern
from scrutiny.instruments import (
    FactorRef,
    InstrumentDefinition,
    OptionDef,
    QuestionDef,
    instrument_save,
)
from scrutiny.models import Area, Response, Scrutiny, SuccessFactor
from tests.e2e.conftest import (
    check_accessibility,
    enter_code,
    prepare_second_factor,
    scroll_width,
    visit,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 320, 640
SLUG = "neglect-2026"
TITLE = "Neglect 2026"
PER_GROUP = 6
LEAD_EMAIL = "dana.lead@fernhill.invalid"

# The audit tool: two pages, a required follow-up (Q2, asked when Q1 is yes), one scored
# question (G1, mapped to SF1) and a comment. Grades: Outstanding 4 ... Inadequate 1, so an
# answer scores (p - 1) / 3 (SCORING.md §2).
YES_NO = (OptionDef("yes", "Yes"), OptionDef("no", "No"))
GRADE = (
    OptionDef("4", "Outstanding", 4),
    OptionDef("3", "Good", 3),
    OptionDef("2", "Requires improvement", 2),
    OptionDef("1", "Inadequate", 1),
    OptionDef("na", "Not applicable"),
)
TOOL = InstrumentDefinition(
    code="CFA",
    title="Neglect case-file audit",
    kind="file_audit",
    questions=(
        QuestionDef("The plan", "Q1", "single", "Was there a plan for the child?", "yesno", True),
        QuestionDef(
            "The plan",
            "Q2",
            "text",
            "What did the plan say?",
            required=True,
            show_if="Q1 = yes",
        ),
        QuestionDef(
            "Working together",
            "G1",
            "single",
            "How well did the agencies work together?",
            "grade",
            required=True,
            factors=(FactorRef("SF1"),),
        ),
        QuestionDef("Working together", "C1", "text", "Anything else the meeting should know?"),
    ),
    option_lists={"yesno": YES_NO, "grade": GRADE},
)


# ---------------------------------------------------------------------------------------------
# The set-up: a scrutiny with its audit tool, two areas matching the case list, a named
# safeguarding lead. Everything else is done in the browser.


@pytest.fixture
def eager_tasks(monkeypatch, settings, tmp_path) -> None:
    """Emails are sent and jobs run in the live server's thread, into mail.outbox, even where
    CI configures a broker; uploads kept for their jobs wait in a folder of the test's own."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"


@pytest.fixture
def scrutiny(partnership, area) -> Scrutiny:
    partnership.safeguarding_lead_name = "Dana Lead"
    partnership.safeguarding_lead_email = LEAD_EMAIL
    partnership.save()
    Area.objects.create(partnership=partnership, code="STH", name="Fernhill South")
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug=SLUG, title=TITLE)
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Agencies work together.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    instrument_save(scrutiny=scrutiny, definition=TOOL)
    return scrutiny


@pytest.fixture
def case_list(tmp_path) -> Path:
    """Thirty made-up case files in two areas (the partnership's NTH and STH), fifteen each."""
    path = tmp_path / "cases-2026.csv"
    teams = ["Assessment", "Child Protection", "Children in Care", "Early Help"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_ref", "area", "team", "repeat_plan"])
        for i in range(30):
            area = "NTH" if i % 2 == 0 else "STH"
            writer.writerow([f"N-{3001 + i}", area, teams[i % 4], "yes" if i % 3 == 0 else "no"])
    return path


def expected_draw(path: Path, seed: int) -> list[str]:
    """The draw worked out by hand from the published method (audits/sampling.py): in each
    area, in order of first appearance, the six case files with the smallest SHA-256 of
    "<seed>:<case_ref>"."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row["area"], []).append(row["case_ref"])

    def key(ref: str) -> str:
        return hashlib.sha256(f"{seed}:{ref}".encode()).hexdigest()

    return [ref for refs in groups.values() for ref in sorted(refs, key=key)[:PER_GROUP]]


def same_as_day_and_month(*, after: dt.date) -> dt.date:
    """The first date after `after` whose day and month are one number (1 January, 2 February,
    ... 12 December): its digits type into a date field the same way whether the browser
    shows it as dd/mm/yyyy or mm/dd/yyyy."""
    day = after + dt.timedelta(days=1)
    while day.day != day.month:
        day += dt.timedelta(days=1)
    return day


# ---------------------------------------------------------------------------------------------
# Keyboard and reflow helpers


def fits(page: Page) -> Page:
    """WCAG 1.4.10: nothing makes the page scroll sideways at the current width."""
    width = page.viewport_size["width"] if page.viewport_size else WIDTH
    if scroll_width(page) <= width:
        return page
    too_wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 0.5)
            .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''))
            .slice(0, 10)""",
        width,
    )
    pytest.fail(f"{page.url} scrolls sideways at {width}px: too wide: {too_wide}")


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("(el) => el === document.activeElement"))


# The focused element, if it is the one given: whether the browser shows its focus
# (:focus-visible, as after a key press) and the page draws an indicator for it (site.css gives
# every focusable element a yellow outline or box shadow).
FOCUS_STATE = """(el) => el === document.activeElement ? {
    visible: el.matches(':focus-visible'),
    drawn: getComputedStyle(el).boxShadow !== 'none'
        || getComputedStyle(el).outlineStyle !== 'none',
} : null"""


def tab_to(page: Page, target: Locator, *, back: bool = False, limit: int = 60) -> None:
    """Press Tab (Shift+Tab with `back`) until the target has the focus, as a keyboard user
    moves through the page; the focus must be visible there (WCAG 2.4.7)."""
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        state = page.evaluate(FOCUS_STATE, element)
        if state is not None:
            assert state == {"visible": True, "drawn": True}, f"no visible focus on {target}"
            return
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    pytest.fail(f"{limit} presses of Tab never reached {target}; the focus is on {active}")


def skip_to_main(page: Page) -> None:
    """The first Tab of a page reaches the skip link; Enter moves the focus to the main."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip), "the first Tab does not reach the skip link"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def press(page: Page, target: Locator, *, back: bool = False, status: int = 200) -> Page:
    """Tab to a link or button and press Enter; check the page it leads to (its status, axe,
    reflow)."""
    tab_to(page, target, back=back)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    response = navigation.value
    assert response is not None and response.status == status, (page.url, response)
    check_accessibility(page)
    return fits(page)


def sign_in_by_keyboard(page: Page, email: str) -> None:
    """The real sign-in form, typed into and sent with Enter; then the code from the person's
    authenticator app, where they need a second factor."""
    device = prepare_second_factor(email)
    visit(page, "/accounts/login/")
    fits(page)
    tab_to(page, page.get_by_role("textbox", name="Email address"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if device is not None:
        fits(page)
    enter_code(page, device, keyboard=True)
    assert urlsplit(page.url).path == "/", f"signing in as {email} led to {page.url}"
    check_accessibility(page)
    fits(page)


def sign_out(page: Page, email: str) -> None:
    """Sign out with the header's button, by keyboard, and forget every cookie."""
    press(page, page.get_by_role("button", name=f"Sign out ({email})"))
    page.context.clear_cookies()


def next_person(page: Page, log_in: Callable[[Any], Page], user: Any, path: str) -> None:
    """A new session for someone else, opening `path`: the last person's cookies are gone, and
    the next person's session starts without the sign-in form (which test_roles and this
    test's auditor go through)."""
    page.context.clear_cookies()
    log_in(user)
    visit(page, path)
    fits(page)


def wait_for_mail(count: int, *, timeout: float = 5.0) -> list[Any]:
    """mail.outbox once it holds `count` messages (the live server sends from its thread)."""
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(mail.outbox)


def scores(page: Page) -> dict[str, Any]:
    """SF1 in the scores API's answer, read with the browser's own session."""
    response = page.request.get(
        f"/api/scrutinies/{SLUG}/scores/", headers={"Accept": "application/json"}
    )
    assert response.ok, response.status
    factors = {factor["code"]: factor for factor in response.json()["factors"]}
    return factors["SF1"]


# ---------------------------------------------------------------------------------------------
# The journey


@pytest.mark.usefixtures("eager_tasks")
def test_from_the_sample_to_the_agreed_grade_in_the_scores(
    page: Page,
    log_in,
    scrutiny,
    case_list,
    business_unit,
    scrutineer,
    auditor_council,
    auditor_police,
):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    # 1. The business unit uploads the case list and draws six case files from each area. -------
    sign_in_by_keyboard(page, business_unit.email)
    press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Scrutinies"))
    press(page, page.get_by_role("link", name=TITLE))
    press(page, page.get_by_role("link", name="The sample of case files"))
    expect(page.get_by_text("No sample has been drawn yet.")).to_be_visible()
    # The file field is reached by keyboard; the file itself is chosen in the operating
    # system's dialog, outside the page, so it is given to the field directly.
    tab_to(page, page.get_by_label("Case list"))
    page.get_by_label("Case list").set_input_files(case_list)
    press(page, page.get_by_role("button", name="Upload the case list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose how to draw the sample")
    expect(page.get_by_role("radio", name="area (2 values)")).to_be_checked()
    tab_to(page, page.get_by_role("textbox", name="How many case files from each group"))
    page.keyboard.type(str(PER_GROUP))
    seed = int(page.get_by_label("Seed", exact=True).input_value())  # the one filled in, kept
    expect(page.get_by_role("radio", name=f"CFA {TOOL.title}")).to_be_checked()
    # The draw runs as a job; its page says what was drawn and leads back to the sample.
    press(page, page.get_by_role("button", name="Draw the sample"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Drawing the sample of case files")
    expect(page.get_by_role("status")).to_have_text(
        f"Drew 12 case files of 30: {PER_GROUP} per area, seed {seed}."
    )
    press(page, page.get_by_role("link", name="Go to the sample of case files"))
    drawn = page.get_by_role("table").locator("tbody tr")
    expect(drawn).to_have_count(12)
    refs = [ref.strip() for ref in drawn.locator("th").all_inner_texts()]
    assert refs == expected_draw(case_list, seed)
    expect(drawn.filter(has_text="Fernhill North (NTH)")).to_have_count(PER_GROUP)
    expect(drawn.filter(has_text="Fernhill South (STH)")).to_have_count(PER_GROUP)

    # 2. Two agencies for each case file, one agency a pass of the form. Each case file's
    # auditor select lists nobody, then the council's auditor, then the police's: ArrowDown once
    # or twice chooses.
    press(page, page.get_by_role("link", name=TITLE))
    press(page, page.get_by_role("link", name="Assign auditors to the sampled case files"))
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^Case file "))).to_have_text(
        [f"Case file {ref}" for ref in refs]
    )
    auditors = page.get_by_label("Agency and auditor")  # one a case file, in the same order
    dates = page.get_by_label("Due date")
    due = same_as_day_and_month(after=timezone.localdate() + dt.timedelta(days=7))
    for i in range(len(refs)):
        tab_to(page, auditors.nth(i))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.type(f"{due:%d%m%Y}")
    assert auditors.evaluate_all("(all) => all.map((s) => s.value)") == [
        str(auditor_council.pk)
    ] * len(refs)
    assert dates.evaluate_all("(all) => all.map((d) => d.value)") == [due.isoformat()] * len(refs)
    press(page, page.get_by_role("button", name="Assign the chosen auditors"))
    expect(page.get_by_role("status")).to_contain_text("12 audits assigned.")
    # The second pass: the due date given last is filled in already.
    assert dates.evaluate_all("(all) => all.map((d) => d.value)") == [due.isoformat()] * len(refs)
    for i in range(len(refs)):
        tab_to(page, auditors.nth(i))
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
    assert auditors.evaluate_all("(all) => all.map((s) => s.value)") == [
        str(auditor_police.pk)
    ] * len(refs)
    press(page, page.get_by_role("button", name="Assign the chosen auditors"))
    expect(page.get_by_role("status")).to_contain_text("12 audits assigned.")
    for agency in ("FHC", "POL"):
        expect(page.get_by_role("link", name=re.compile(f"^{agency}: "))).to_have_count(12)
    first = page.get_by_role("region", name=f"Case file {refs[0]}")
    expect(first.get_by_role("listitem")).to_have_text(
        [re.compile(rf"^{code}: .*, due {due:%-d %b %Y}: not started$") for code in ("FHC", "POL")]
    )
    assert Assignment.objects.filter(due=due).count() == 24
    # One email to each auditor, naming no case file.
    emails = wait_for_mail(2)
    assert sorted(m.to[0] for m in emails) == sorted([auditor_council.email, auditor_police.email])
    assert not any(ref in m.subject + m.body for m in emails for ref in refs)

    # 3. The council's auditor: the first page, then away. --------------------------------------
    page.context.clear_cookies()
    sign_in_by_keyboard(page, auditor_council.email)
    press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Your audits"))
    ref = page.get_by_role("table").locator("tbody tr th").first.inner_text().split("\n")[0]
    assert ref in refs
    press(page, page.get_by_role("link", name=f"Start the audit of {ref}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The plan")
    expect(page.get_by_text("page 1 of 2")).to_be_visible()
    skip_to_main(page)
    page.keyboard.press("Tab")
    yes = page.get_by_role("radio", name="Yes")
    assert is_focused(yes), "the first field of the page is not the first Tab after the main"
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    # Arrow keys move within the group and choose; back to Yes.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(yes).to_be_checked()
    plan = page.get_by_role("textbox", name="What did the plan say?")
    tab_to(page, plan)
    page.keyboard.type("A child protection plan with weekly visits.")
    press(page, page.get_by_role("button", name="Save and come back later"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your audits")
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=ref))
    expect(row).to_contain_text("In draft")
    sign_out(page, auditor_council.email)

    # Back in a new session: the audit opens where they left it, with their answers.
    sign_in_by_keyboard(page, auditor_council.email)
    press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Your audits"))
    press(page, page.get_by_role("link", name=f"Continue the audit of {ref}"))
    expect(page).to_have_url(re.compile(r"/audits/\d+/fill/0/$"))
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    expect(page.get_by_role("textbox", name="What did the plan say?")).to_have_value(
        "A child protection plan with weekly visits."
    )
    press(page, page.get_by_role("button", name="Save and continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Working together")
    expect(page.get_by_text("page 2 of 2")).to_be_visible()

    # The grade and a comment.
    skip_to_main(page)
    page.keyboard.press("Tab")
    outstanding = page.get_by_role("radio", name="Outstanding")
    assert is_focused(outstanding)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("textbox", name=re.compile(r"^Anything else")))
    page.keyboard.type("Good joint visits.")

    # An immediate concern, raised from the audit page in a new tab.
    tab_to(page, page.get_by_role("link", name=re.compile(r"^Raise an immediate concern")))
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    tab = opened.value
    tab_errors: list[str] = []
    tab.on("pageerror", lambda error: tab_errors.append(str(error)))
    tab.wait_for_load_state()
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Raise an immediate concern about this child"
    )
    check_accessibility(tab)
    fits(tab)
    expect(tab.get_by_text("Dana Lead, is emailed as soon as you send this")).to_be_visible()
    tab_to(tab, tab.get_by_role("textbox", name="What have you found?"))
    tab.keyboard.type("Bruising seen at the last visit was never explained.")
    press(tab, tab.get_by_role("button", name="Raise the concern now"))
    expect(tab.get_by_role("status")).to_contain_text("Dana Lead is being emailed now")
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        f"Immediate concern about case file {ref}"
    )
    concern = ImmediateConcern.objects.get()
    assert concern.case.case_ref == ref and concern.raised_by == auditor_council
    (alert,) = [m for m in wait_for_mail(3) if LEAD_EMAIL in m.to]
    assert alert.to == [LEAD_EMAIL]
    assert not any(r in alert.subject + alert.body for r in refs)
    assert "Bruising" not in alert.body
    assert f"/audits/concerns/{concern.pk}/" in alert.body
    tab.close()
    assert not tab_errors, f"JavaScript errors in the concern's tab: {tab_errors}"

    # Back in the audit's tab, where the focus was left: back to the buttons, check, submit.
    press(page, page.get_by_role("button", name="Save and check your answers"), back=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you submit"
    )
    expect(page.get_by_text("still need")).to_have_count(0)
    expect(page.get_by_role("definition").filter(has_text="Outstanding")).to_be_visible()
    press(page, page.get_by_role("button", name="Submit the audit"))
    expect(page.get_by_role("status")).to_contain_text("Your audit is submitted.")

    # 4. The police auditor: the same case file, a different grade. ------------------------------
    next_person(page, log_in, auditor_police, "/audits/")
    press(page, page.get_by_role("link", name=f"Start the audit of {ref}"))
    skip_to_main(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    # The follow-up is asked because of Yes: going on without it is refused, with a summary
    # that takes the focus and links to the question (even after the skip link, with the
    # page's address ending in #main-content).
    press(page, page.get_by_role("button", name="Save and continue"))
    expect(page).to_have_title(re.compile(r"^Error: The plan"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    tab_to(page, summary.get_by_role("link", name="What did the plan say?: Enter an answer."))
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="What did the plan say?")).to_be_focused()
    page.keyboard.type("A plan, never reviewed.")
    press(page, page.get_by_role("button", name="Save and continue"))
    skip_to_main(page)
    page.keyboard.press("Tab")  # Outstanding, the first grade; Inadequate is the fourth
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Inadequate")).to_be_checked()
    press(page, page.get_by_role("button", name="Save and check your answers"))
    press(page, page.get_by_role("button", name="Submit the audit"))
    expect(page.get_by_role("status")).to_contain_text("Your audit is submitted.")

    # 5. The scrutineer moderates the case file: the grades differ. -----------------------------
    next_person(page, log_in, scrutineer, f"/scrutinies/{SLUG}/")
    # Before moderation both contributions count: (1 + 0) / 2.
    before = scores(page)
    assert before["sources"]["file_audit"] == {"score": 50.0, "n": 2}
    press(page, page.get_by_role("link", name=f"Case-file audits of {TITLE}"))
    press(page, page.get_by_role("link", name=f"Moderate case file {ref}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Moderate case file {ref}")
    # The page leads with the one question where the agencies disagree, in its words.
    expect(page.get_by_role("heading", name="Where the agencies disagree (1)")).to_be_visible()
    g1 = "How well did the agencies work together?"
    grades = page.get_by_role("table", name=f"The agencies' answers to “{g1}”, and who gave each")
    expect(grades.get_by_role("row", name="Outstanding Fernhill Council (FHC)")).to_be_visible()
    expect(grades.get_by_role("row", name="Inadequate Fernhill Police (POL)")).to_be_visible()
    tab_to(page, page.get_by_role("radio", name="Outstanding"))  # none chosen: the first
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Good")).to_be_checked()
    tab_to(page, page.get_by_role("textbox", name=f"Why the meeting chose this answer to “{g1}”"))
    page.keyboard.type("Joint visits were good; the police were not invited to reviews.")
    # What they agree on and what they wrote are folded below: opened from the keyboard.
    tab_to(page, page.locator("summary", has_text="Where the agencies agree"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()  # Q1: both said yes
    tab_to(page, page.locator("summary", has_text="Written answers"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("textbox", name="Agreed answer to “What did the plan say?”"))
    page.keyboard.type("A child protection plan, not reviewed after the first month.")
    press(page, page.get_by_role("button", name="Record the agreed answers"))
    expect(page.get_by_role("status")).to_contain_text(
        f"The agreed answers for case file {ref} are recorded."
    )
    agreed = page.get_by_role("definition").filter(has_text="Why: Joint visits were good")
    expect(agreed).to_contain_text("Good")

    # 6. The scores: the agreed grade (Good: (3 - 1) / 3 = 66.7) counts, once; the two
    # contributions it supersedes do not.
    after = scores(page)
    assert after["sources"]["file_audit"] == {"score": 66.7, "n": 1}
    assert (after["score"], after["n"]) == (66.7, 1)
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 3
