"""Issue 16 in a browser: a young scrutineer signs in, reads the demo's published scrutiny (its
scorecard and the plain-language summary the scrutineer approved), records an observation
against a success factor, and reaches no case reference and no unpublished scrutiny by any
address: each answers 404 (or 403) and shows nothing of them. Every page is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from audits.models import CaseFile
from scrutiny.demo import SCRUTINY_SLUG, demo_load
from scrutiny.demo.earlier import SLUG as PUBLISHED_SLUG
from scrutiny.models import EvidenceNote, Publication, Scrutiny, User
from scrutiny.young_scrutineers import plain_summary_approve, plain_summary_save
from tests.e2e.conftest import follow, sign_in, submit, visit
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

EMAIL = "riley.young@demo.invalid"
SUMMARY = "We found that most children were listened to, but not all of them."


@pytest.fixture
def demo(settings, transactional_db) -> Scrutiny:
    settings.DEMO_LOGINS_ALLOWED = True
    demo_load()
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    scrutineer = User.objects.get(partnership=scrutiny.partnership, role=User.Role.SCRUTINEER)
    publication = Publication.objects.get(scrutiny__slug=PUBLISHED_SLUG)
    publication = plain_summary_save(publication=publication, text=SUMMARY, user=scrutineer)
    plain_summary_approve(publication=publication, user=scrutineer)
    UserFactory(
        partnership=scrutiny.partnership,
        email=EMAIL,
        full_name="Riley Young",
        role=User.Role.YOUNG_SCRUTINEER,
    )
    return scrutiny


def test_a_young_scrutineer_reads_records_and_reaches_nothing_else(page: Page, demo):
    assert not Publication.objects.filter(scrutiny=demo).exists()  # this year's: unpublished
    sign_in(page, EMAIL)
    published = Scrutiny.objects.get(slug=PUBLISHED_SLUG)
    task = page.locator("section[aria-labelledby=main-task]")
    expect(task.get_by_role("heading", name="Your scrutinies")).to_be_visible()
    expect(task).not_to_contain_text(demo.title)
    follow(page, task.get_by_role("link", name=published.title, exact=True))

    # The published scorecard and the approved summary.
    expect(page.get_by_role("heading", level=1)).to_have_text(published.title)
    scorecard = page.get_by_role("table", name=re.compile("^Success factors"))
    expect(scorecard.locator("tbody tr")).to_have_count(6)
    expect(page.get_by_text(SUMMARY)).to_be_visible()

    # An observation from the event, against SF1.
    follow(page, page.get_by_role("link", name="Record something you saw or heard").first)
    page.get_by_label("At the scrutiny event").check()
    page.get_by_role("checkbox", name=re.compile("^SF1 ")).check()
    page.get_by_label("What did you see or hear?").fill("The young people felt rushed.")
    submit(page, "Record it")
    expect(page.get_by_role("heading", level=1)).to_have_text(published.title)
    expect(page.get_by_text("The young people felt rushed.")).to_be_visible()
    note = EvidenceNote.objects.get(kind=EvidenceNote.Kind.YOUNG_SCRUTINEER)
    assert [f.code for f in note.factors.all()] == ["SF1"]
    assert note.scrutiny_id == published.pk

    # Did we listen? Once.
    follow(page, page.get_by_role("link", name="Tell us whether we listened to you"))
    submit(page, "Send my answers")  # nothing chosen: the summary of problems
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_focused()
    page.get_by_label("4 Most of the time").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What changed?").fill("The leaflet was rewritten.")
    submit(page, "Send my answers")
    expect(page.get_by_text("You have told us whether we listened to you.")).to_be_visible()

    # No case reference and no unpublished scrutiny, by any address.
    case = CaseFile.objects.filter(sample__scrutiny=demo).first()
    assert case is not None
    refused = [
        f"/scrutinies/{SCRUTINY_SLUG}/audits/cases/{case.pk}/moderate/",
        f"/scrutinies/{SCRUTINY_SLUG}/audits/cases/{case.pk}/trail/",
        f"/scrutinies/{SCRUTINY_SLUG}/audits/",
        f"/scrutinies/{SCRUTINY_SLUG}/",
        f"/scrutinies/{SCRUTINY_SLUG}/workspace/",
        f"/published/{SCRUTINY_SLUG}/",
        f"/young-scrutineers/scrutinies/{SCRUTINY_SLUG}/",
        f"/young-scrutineers/scrutinies/{SCRUTINY_SLUG}/observation/",
        f"/scrutinies/{PUBLISHED_SLUG}/workspace/",
    ]
    for path in refused:
        response = page.goto(path)
        assert response is not None and response.status in (403, 404), path
        body = page.content()
        assert case.case_ref not in body and demo.title not in body, path
    visit(page, f"/young-scrutineers/scrutinies/{SCRUTINY_SLUG}/", status=404)


def test_the_scrutineer_approves_the_summary_and_the_board_reads_the_feedback(
    page: Page, demo, log_in
):
    """At 320 px: the scrutineer rewrites and approves the summary; the board reads the young
    scrutineers' feedback over time from its home page."""
    page.set_viewport_size({"width": 320, "height": 640})
    scrutineer = User.objects.get(partnership=demo.partnership, role=User.Role.SCRUTINEER)
    log_in(scrutineer)
    visit(page, f"/young-scrutineers/scrutinies/{PUBLISHED_SLUG}/summary/")
    expect(page.get_by_text("approved on")).to_be_visible()
    page.get_by_label("The findings in plain words").fill("Most children were listened to.")
    submit(page, "Save")
    expect(page.get_by_text("saved, not yet approved")).to_be_visible()
    submit(page, "Save and approve")
    expect(page.get_by_text("The summary is approved")).to_be_visible()
    assert Publication.objects.get(scrutiny__slug=PUBLISHED_SLUG).plain_summary_approved_at

    board = User.objects.filter(partnership=demo.partnership, role=User.Role.BOARD_MEMBER).first()
    assert board is not None
    page.context.clear_cookies()
    log_in(board)
    visit(page, "/")
    follow(page, page.get_by_role("link", name="Young scrutineers' feedback"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Young scrutineers' feedback over time"
    )
    expect(page.get_by_role("heading", name="Learning from Practice 2025")).to_be_visible()
