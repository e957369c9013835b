"""Issue 7 in a browser: the scrutineer drafts the action plan from the demo scrutiny's signed-off
findings and assigns leads; the health board's lead moves their action through Green and Amber,
is refused Blue without evidence and given it with an audit; the daily check flags an overdue
action and emails its lead, whose link opens the action showing the flag; the delivery plan is
downloaded and read back, every action under its priority with its BRAG status and latest
update. Every page is checked with axe; the update form at 320 px too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from scrutiny import findings
from scrutiny.demo import SCRUTINY_SLUG, demo_load
from scrutiny.models import Action, Brag, Scrutiny, User
from scrutiny.tasks import actions_flag_overdue
from tests.e2e.conftest import follow, submit, visit
from tests.e2e.test_audit_journey import HEIGHT, WIDTH, fits

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_demo(settings, transactional_db) -> Scrutiny:
    settings.DEMO_LOGINS_ALLOWED = True
    demo_load()
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    scrutineer = User.objects.get(partnership=scrutiny.partnership, role=User.Role.SCRUTINEER)
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        code = finding.factor.code
        findings.finding_update(
            finding=finding,
            strengths=f"{code}: practitioners describe the learning (PS).",
            improvements=f"{code}: re-audit the case files for the learning within six months.",
            user=scrutineer,
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    return scrutiny


def _open_action(page: Page, code: str) -> None:
    row = page.get_by_role("row").filter(has_text=f"Learning from Practice 2026, {code}")
    follow(page, row.get_by_role("link"))


def _assign(page: Page, *, agency: str, lead: str, email: str, timescale: dt.date) -> None:
    follow(page, page.get_by_role("link", name="Change the action, its lead or timescale"))
    page.get_by_label("Agency responsible").select_option(label=agency)
    page.get_by_label("Named lead (optional)", exact=True).fill(lead)
    page.get_by_label("Named lead's email address").fill(email)
    page.get_by_label("Timescale").fill(timescale.isoformat())
    submit(page, "Save the action")
    expect(page.get_by_role("status")).to_have_text("The action is saved.")


def _update(page: Page, status: str, note: str, *, expect_status: int = 200) -> None:
    page.get_by_role("radio", name=status).check()
    page.get_by_label("Update", exact=True).fill(note)
    submit(page, "Save the update", status=expect_status)


def test_from_the_findings_to_the_delivery_plan(page: Page, log_in, signed_demo):
    partnership = signed_demo.partnership
    scrutineer = User.objects.get(partnership=partnership, role=User.Role.SCRUTINEER)
    health_lead = User.objects.get(partnership=partnership, role=User.Role.AGENCY_LEAD)
    log_in(scrutineer)

    # Draft the plan from the signed-off findings.
    visit(page, f"/scrutinies/{SCRUTINY_SLUG}/")
    follow(page, page.get_by_role("link", name="The scrutiny's action plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The scrutiny's action plan")
    submit(page, "Draft the action plan")
    expect(page.get_by_role("status")).to_contain_text("Drafted ")
    drafted = list(Action.objects.filter(scrutiny=signed_demo).order_by("factor__code"))
    assert len(drafted) >= 2  # the demo has factors rated below strong
    first, second = drafted[0], drafted[1]
    table = page.get_by_role("table", name="This scrutiny's actions")
    expect(table.locator("tbody tr")).to_have_count(len(drafted))

    # Assign leads: the first to the health board's lead, the second overdue already.
    _open_action(page, first.factor.code)
    _assign(
        page,
        agency="North Hills Health Board (NHB)",
        lead=health_lead.full_name,
        email=health_lead.email,
        timescale=dt.date(2027, 6, 30),
    )
    visit(page, f"/scrutinies/{SCRUTINY_SLUG}/actions/")
    _open_action(page, second.factor.code)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _assign(
        page,
        agency="Northbrook and Westmere Police (POL)",
        lead="Rowan Castellane",
        email="rowan.castellane@demo.invalid",
        timescale=yesterday,
    )

    # The health board's lead finds their action in the plan and moves it through BRAG.
    log_in(health_lead)
    visit(page, "/")
    follow(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Action plan")
    )
    follow(page, page.get_by_role("link", name=signed_demo.priority))
    follow(page, page.get_by_role("link", name=re.compile(re.escape(first.text[:30]))))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    fits(page)
    _update(page, "Green: On track", "Re-audit booked with the designated nurse.")
    expect(page.get_by_role("status")).to_have_text(
        "The update is saved: the action is Green: On track."
    )
    _update(page, "Amber: At risk", "Re-audit slipped: two auditors on leave.")
    expect(page.locator(".summary-list")).to_contain_text("Amber: At risk")
    _update(page, "Blue: Complete", "Re-audit done.", expect_status=400)
    expect(page.get_by_role("alert")).to_contain_text("Blue means complete and evidenced")
    fits(page)
    first.refresh_from_db()
    assert first.status == Brag.AMBER
    page.get_by_role("radio", name="An audit").check()
    page.get_by_label("What the evidence shows").fill(
        "Re-audit of 12 files in November: the learning is recorded in 10, up from 3."
    )
    submit(page, "Save the update")
    expect(page.get_by_role("status")).to_have_text(
        "The update is saved: the action is Blue: Complete."
    )
    history = page.locator(".history li")
    expect(history).to_have_count(3)
    expect(history.first).to_contain_text("Evidence of impact (an audit)")
    page.set_viewport_size({"width": 1280, "height": 800})
    # The police action is not the health board's: not found.
    visit(page, f"/plan/actions/{second.pk}/", status=404)

    # The daily check flags the overdue action and emails its lead; the link opens it.
    mail.outbox.clear()
    assert actions_flag_overdue.apply().get() >= 1
    message = next(m for m in mail.outbox if "rowan.castellane@demo.invalid" in m.to)
    assert "overdue" in message.body
    link = re.search(r"https?://\S+/plan/actions/\d+/", message.body).group(0)
    log_in(scrutineer)
    visit(page, urlsplit(link).path)
    flag = page.locator(".summary-list").get_by_text(re.compile("^Overdue: its timescale was"))
    expect(flag).to_be_visible()

    # The delivery plan, downloaded and read back.
    visit(page, "/plan/")
    with page.expect_download() as download:
        page.get_by_role("link", name="The delivery plan as a workbook (.xlsx)").click()
    rows = list(
        load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(
            values_only=True
        )
    )
    assert rows[2] == ("Priority", "Outcome", "Action", "Timescale", "Responsible", "Update", "RAG")
    found, under = {}, None
    for row in rows[3:]:
        if row[0] and not any(row[1:]):
            under = row[0]  # a priority's own row: the actions below are under it
            continue
        assert row[0] == under
        found[row[2]] = (row[0], row[6], row[5])
    expected = {
        action.text: (
            action.outcome.priority.title,
            action.status.capitalize(),
            action.updates.first().note if action.updates.exists() else None,
        )
        for action in Action.objects.filter(partnership=partnership).select_related(
            "outcome__priority"
        )
    }
    assert found == expected
    assert found[first.text] == (
        signed_demo.priority,
        "Blue",
        "Re-audit done.",
    )
