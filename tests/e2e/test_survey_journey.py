"""Issue 5 in a browser: invitations, answering through a personal link at 320 px with the
keyboard alone (stopping halfway and resuming on another device), one submission only, and the
response counted in the response rates and the scores; then an open-link response and a board
questionnaire the same way.

Every page is checked with axe and must not scroll sideways at 320 CSS pixels. Only two things
are not keyboard presses: the invitation list is given to the file field (its dialog belongs to
the operating system), and sessions of the business unit and the board member start without
the sign-in form (which test_roles and the audit journey go through).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from celery import current_app as celery_app
from playwright.sync_api import Page, expect

from scrutiny.instruments import instrument_save
from scrutiny.models import PractitionerRole, Response, Scrutiny, Source, SuccessFactor
from surveys.models import Invitation
from surveys.services.invited_drafts import invitation_answered
from tests.e2e.conftest import visit
from tests.e2e.test_audit_journey import (
    HEIGHT,
    WIDTH,
    fits,
    press,
    tab_to,
    wait_for_mail,
)
from tests.surveys.conftest import make_survey, survey_definition

pytestmark = pytest.mark.e2e

SLUG = "learning-2026"
ADDRESSES = ["ash.practitioner@fernhill.invalid", "bo.practitioner@fernhill.invalid"]


@pytest.fixture
def eager_tasks(monkeypatch, settings, tmp_path) -> None:
    """Emails are sent and jobs run in the live server's thread, into mail.outbox, even where
    CI configures a broker; uploads kept for their jobs wait in a folder of the test's own."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"


@pytest.fixture
def scrutiny(partnership, council, police) -> Scrutiny:
    # A threshold of one, so that the single responses of this test show in the rates.
    scrutiny = Scrutiny.objects.create(
        partnership=partnership,
        slug=SLUG,
        title="Learning from Practice 2026",
        suppression_threshold=1,
        min_responses=1,
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    PractitionerRole.objects.create(partnership=partnership, code="SW", name="Social worker")
    return scrutiny


@pytest.fixture
def practitioner_survey(scrutiny):
    instrument = instrument_save(scrutiny=scrutiny, definition=survey_definition()).instrument
    return make_survey(instrument, title="Practitioners' views 2026")


@pytest.fixture
def board_survey(scrutiny):
    definition = survey_definition(Source.BOARD_QUESTIONNAIRE, "BQ")
    instrument = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    return make_survey(instrument, title="Board questionnaire 2026")


@pytest.fixture
def invitation_list(tmp_path) -> Path:
    path = tmp_path / "practitioners.csv"
    path.write_text(
        "email,agency,role\n" + "".join(f"{a},FHC,SW\n" for a in ADDRESSES), encoding="utf-8"
    )
    return path


def answer_first_page(page: Page) -> None:
    """Page 1: "Was there a plan?" Yes (Space), and what the plan said (typed)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("About the case")
    expect(page.locator("#progress-label")).to_have_text("Page 1 of 2")
    yes = page.get_by_role("radio", name="Yes")
    tab_to(page, yes)
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    tab_to(page, page.get_by_role("textbox", name="What did the plan say?"))
    page.keyboard.type("Weekly visits and a review in six weeks.")


def answer_second_page_and_submit(page: Page, *, grade_presses: int) -> None:
    """Page 2: the grade by arrow keys (Outstanding, then down), then check and submit."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice")
    expect(page.locator("#progress-label")).to_have_text("Page 2 of 2")
    tab_to(page, page.get_by_role("radio", name="Outstanding"))
    page.keyboard.press("Space")
    for _ in range(grade_presses):
        page.keyboard.press("ArrowDown")
    press(page, page.get_by_role("button", name="Save and check your answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you submit"
    )
    press(page, page.get_by_role("button", name="Submit your answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are submitted"
    )


def factor_sources(page: Page) -> dict[str, dict]:
    response = page.request.get(
        f"/api/scrutinies/{SLUG}/scores/", headers={"Accept": "application/json"}
    )
    assert response.ok, response.status
    return {f["code"]: f for f in response.json()["factors"]}["SF1"]["sources"]


@pytest.mark.usefixtures("eager_tasks")
def test_invite_answer_resume_submit_once_and_count(
    page: Page,
    log_in,
    practitioner_survey,
    board_survey,
    invitation_list,
    business_unit,
    board_member,
):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    # 1. The business unit invites two practitioners from a list; the emails go. --------------
    log_in(business_unit)
    visit(page, f"/scrutinies/{SLUG}/surveys/")
    fits(page)
    press(page, page.get_by_role("link", name="Practitioners' views 2026"))
    press(page, page.get_by_role("link", name="Invite people from a list"))
    tab_to(page, page.get_by_label("Invitation list"))
    page.get_by_label("Invitation list").set_input_files(invitation_list)
    # The list is read by a job, whose page says how many were invited.
    press(page, page.get_by_role("button", name="Invite everyone on the list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inviting people from a list")
    expect(page.get_by_role("status")).to_contain_text("2 people were invited")
    press(page, page.get_by_role("link", name="Go back to the survey"))
    emails = wait_for_mail(2)
    assert sorted(m.to[0] for m in emails) == ADDRESSES
    ash = next(m for m in emails if m.to[0] == ADDRESSES[0])
    link = re.search(r"https?://\S+/i/[^/\s]+/", ash.body).group(0)
    token_path = "/i/" + link.rstrip("/").rsplit("/", 1)[1] + "/"

    # 2. Ash, on a phone with no account: the first page, then "come back later". ---------------
    page.context.clear_cookies()
    visit(page, token_path)
    fits(page)
    expect(page.get_by_role("heading", name="What is recorded")).to_be_visible()
    expect(page.get_by_text("This survey is anonymous.")).to_be_visible()
    press(page, page.get_by_role("link", name="Start"))
    answer_first_page(page)
    press(page, page.get_by_role("button", name="Save and come back later"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are saved")

    # Another device, days later: the same link opens where Ash stopped, answers kept.
    page.context.clear_cookies()
    visit(page, token_path)
    press(page, page.get_by_role("link", name="Continue your answers"))
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    expect(page.get_by_role("textbox", name="What did the plan say?")).to_have_value(
        "Weekly visits and a review in six weeks."
    )
    press(page, page.get_by_role("button", name="Save and continue"))
    answer_second_page_and_submit(page, grade_presses=1)  # Good: scores 2/3

    # It cannot be submitted again: not by going back, not by the link.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "These answers have already been submitted"
    )
    visit(page, token_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "These answers have already been submitted"
    )
    survey_responses = Response.objects.filter(instrument=practitioner_survey.instrument)
    assert survey_responses.filter(status=Response.Status.SUBMITTED).count() == 1
    ash_invitation = Invitation.objects.select_related("survey").get(email=ADDRESSES[0])
    # Anonymous: the invitation itself records nothing of the answering, its keyed draft that
    # it was answered (surveys.services.invited_drafts), and neither the day it was submitted.
    assert not ash_invitation.answered and ash_invitation.response is None
    assert invitation_answered(ash_invitation)
    assert ash_invitation.used_at is None and ash_invitation.started_at is None

    # 3. The open link: Fernhill Police, social worker, chosen with the arrow keys. ------------
    page.context.clear_cookies()
    visit(page, f"/s/{practitioner_survey.public_key}/")
    fits(page)
    tab_to(page, page.get_by_label("Which agency do you work for?"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Fernhill Council, then Fernhill Police
    tab_to(page, page.get_by_label("What is your role?"))
    page.keyboard.press("ArrowDown")
    press(page, page.get_by_role("button", name="Start"))
    answer_first_page(page)
    press(page, page.get_by_role("button", name="Save and continue"))
    answer_second_page_and_submit(page, grade_presses=0)  # Outstanding: scores 1

    # 4. The board questionnaire, answered by name by a board member signed in. ---------------
    page.context.clear_cookies()
    log_in(board_member)
    visit(page, "/")
    press(
        page,
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Board questionnaires"
        ),
    )
    press(page, page.get_by_role("button", name="Answer the questionnaire"))
    answer_first_page(page)
    press(page, page.get_by_role("button", name="Save and continue"))
    answer_second_page_and_submit(page, grade_presses=2)  # Requires improvement: scores 1/3
    expect(page.get_by_text("Your answers are stored with your name.")).to_be_visible()
    board_response = Response.objects.get(instrument=board_survey.instrument)
    assert board_response.created_by == board_member

    # 5. The business unit sees both practitioner returns in the rates and all in the scores. ---
    page.context.clear_cookies()
    log_in(business_unit)
    visit(page, f"/scrutinies/{SLUG}/surveys/rates/PS/")
    fits(page)
    summary = page.locator("dl.summary-list")
    expect(summary).to_contain_text("Invited2")
    expect(summary).to_contain_text("Submitted2")
    table = page.get_by_role("table", name="Response rates by agency")
    council = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("FHC"))
    )
    expect(council).to_contain_text("2")  # invited
    expect(council).to_contain_text("50.0%")  # 1 of 2 invited
    police = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("POL"))
    )
    expect(police).to_contain_text("1")
    roles = page.get_by_role("table", name="Response rates by role")
    expect(roles.get_by_role("row").filter(has_text="Social worker")).to_contain_text("100.0%")
    sources = factor_sources(page)
    # Ash's Good (2/3) and the open link's Outstanding (1): a mean of 5/6.
    assert sources["practitioner_survey"] == {"score": 83.3, "n": 2}
    assert sources["board_questionnaire"] == {"score": 33.3, "n": 1}
