"""Workbook imports through the pages in a browser: the upload becomes a job whose page shows
the problems or what was made; and a job whose worker stops shows as stalled, with "Start
again", without reloading the page (job.js and the job API's `stalled`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from config import celery_app
from scrutiny import jobs
from scrutiny.models import Job, Scrutiny
from tests.e2e.conftest import check_accessibility, follow, submit, visit

pytestmark = pytest.mark.e2e


def _workbook(path: Path, slug: str) -> Path:
    book = Workbook()
    book.remove(book.active)
    settings_sheet = book.create_sheet("scrutiny")
    for row in (["key", "value"], ["slug", slug], ["title", "Neglect 2026"]):
        settings_sheet.append(row)
    factors = book.create_sheet("success_factors")
    for row in (["code", "statement"], ["SF1", "Neglect is seen early."]):
        factors.append(row)
    book.save(path)
    return path


def test_a_scrutiny_workbook_is_imported_through_its_job_page(
    page: Page, log_in, business_unit, settings, tmp_path, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # no worker needed
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"
    log_in(business_unit)
    visit(page, "/scrutinies/import/")
    page.get_by_label("Workbook").set_input_files(_workbook(tmp_path / "bad.xlsx", "Not A Slug"))
    submit(page, "Upload")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing a scrutiny workbook")
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    expect(page.get_by_role("table", name="Problems found in the workbook")).to_be_visible()
    assert not Scrutiny.objects.exists()

    follow(page, page.get_by_role("link", name="Upload a corrected workbook"))
    page.get_by_label("Workbook").set_input_files(_workbook(tmp_path / "good.xlsx", "neglect-2026"))
    submit(page, "Upload")
    expect(page.locator("[data-job-status]")).to_have_text("Finished")
    expect(page.get_by_role("status")).to_have_text(
        "Scrutiny “Neglect 2026” is set up from the workbook."
    )
    follow(page, page.get_by_role("link", name="Go to the scrutiny “Neglect 2026”"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neglect 2026")
    assert list((tmp_path / "job-uploads").iterdir()) == []


def test_a_job_whose_worker_stops_shows_as_stalled_without_a_reload(page: Page, log_in, scrutineer):
    job = Job.objects.create(
        kind="selfcheck",
        created_by=scrutineer,
        partnership=scrutineer.partnership,
        task="scrutiny.tasks.selfcheck",
        status=Job.Status.RUNNING,
        attempts=1,
        message="The worker has the task.",
    )
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    log_in(scrutineer)
    visit(page, f"/jobs/{job.pk}/")
    expect(page.locator("[data-job-status]")).to_have_text("In progress")
    expect(page.get_by_role("button", name="Start again")).to_be_hidden()

    # The worker died: no heartbeat for longer than JOB_STALL_SECONDS.
    stale = timezone.now() - timedelta(seconds=jobs.stall_seconds() + 5)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    expect(page.locator("[data-job-status]")).to_have_text("Stalled")
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    check_accessibility(page)
