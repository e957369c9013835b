"""Issue 6 in a browser: the scrutineer opens the demo scrutiny's workspace, drills into a
factor, tags a quote, writes and signs off the findings, builds the event pack with its progress
shown, and downloads both files; the files are read back for every factor, rating and the quote.

Where CI runs a celery worker, the pack is built there and the page follows its progress until
the downloads appear; elsewhere the task runs in-process and the page shows it finished.
Every page is checked with axe.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from scrutiny import findings
from scrutiny.demo import SCRUTINY_SLUG, demo_load
from scrutiny.models import Scrutiny, User
from tests.e2e.conftest import follow, submit, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(settings, transactional_db) -> Scrutiny:
    settings.DEMO_LOGINS_ALLOWED = True
    demo_load()
    return Scrutiny.objects.get(slug=SCRUTINY_SLUG)


def test_from_the_scorecard_to_the_event_pack(page: Page, log_in, demo):
    scrutineer = User.objects.get(partnership=demo.partnership, role=User.Role.SCRUTINEER)
    # Five findings written already; the scrutineer writes the sixth here.
    for finding in findings.findings_ensure(scrutiny=demo):
        if finding.factor.code != "SF3":
            findings.finding_update(
                finding=finding,
                strengths=f"{finding.factor.code}: practitioners describe the learning (PS).",
                improvements=f"{finding.factor.code}: case files do not yet show it (audits).",
                user=scrutineer,
            )
    log_in(scrutineer)
    visit(page, f"/scrutinies/{SCRUTINY_SLUG}/")
    follow(page, page.get_by_role("link", name="The scrutineer's workspace"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutineer's workspace")
    scorecard = page.get_by_role("table", name=re.compile("^Success factors"))
    expect(scorecard.locator("tbody tr")).to_have_count(6)
    expect(scorecard).to_contain_text("Strong evidence")
    expect(scorecard).to_contain_text("Limited evidence")
    expect(scorecard).to_contain_text("Divergent")

    # Drill into SF3, find a comment, tag it.
    follow(page, scorecard.get_by_role("link", name="SF3"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("SF3")
    page.get_by_label("Search the comments").fill("children alone")
    submit(page, "Show comments")
    comment = page.locator(".comment-list").first.locator(".comment").first
    quote_text = comment.locator("p").first.inner_text().strip("“”")
    follow(page, comment.get_by_role("button", name=re.compile("^Tag as a quote")))
    expect(page.get_by_role("status")).to_contain_text("tagged as a quote")
    expect(page.locator("#quotes + .comment-list")).to_contain_text(quote_text)

    # Write the finding, then sign all six off.
    page.get_by_label("Strengths").fill(
        "Practitioners see children alone more often (PS comments)."
    )
    page.get_by_label("Areas for improvement").fill("Audits find the child's voice missing (AUD).")
    submit(page, "Save the finding")
    expect(page.get_by_role("status")).to_contain_text("The finding for SF3 is saved.")
    follow(page, page.get_by_role("link", name="Workspace"))
    submit(page, "Sign off the findings")
    expect(page.get_by_role("status")).to_contain_text("The findings are signed off")

    # Build the pack: its progress, then the downloads.
    submit(page, "Build the event pack")
    expect(page.get_by_role("heading", level=1)).to_have_text("Building the event pack")
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.get_by_role("heading", name="Download the event pack")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_role("status")).to_have_text("The event pack is ready to download.")
    files = {}
    for name in ("The event pack as a PDF", "The event pack as a workbook (.xlsx)"):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        files[name] = download.value.path().read_bytes()
    pdf = PdfReader(io.BytesIO(files["The event pack as a PDF"]))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    workbook = load_workbook(
        io.BytesIO(files["The event pack as a workbook (.xlsx)"]), read_only=True
    )
    cells = " ".join(
        str(v)
        for ws in workbook.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v
    )
    for found in (text, cells):
        for code in ("SF1", "SF2", "SF3", "SF4", "SF5", "SF6"):
            assert code in found
        for rating in ("Strong evidence", "Some evidence", "Limited evidence"):
            assert rating in found
        assert " ".join(quote_text.split()) in " ".join(found.split())
        assert "Practitioners see children alone more often" in found
