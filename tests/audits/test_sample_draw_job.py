"""The sample drawn from a case list through the pages, as a job (audits.imports): the case list
kept in the private uploads folder between the steps (the session holding its name only), the
draw run by the job, a refusal that lists the problems and changes nothing, permission checked
again when the job runs, and the kept list deleted once the draw is done."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits import imports
from audits.models import Sample
from scrutiny.models import Job, User
from scrutiny.workbooks.lists import list_sha256
from tests.audits.conftest_samples import areas as areas
from tests.audits.conftest_samples import audit_tool as audit_tool
from tests.audits.conftest_samples import case_list, draw
from tests.audits.conftest_samples import scrutiny as scrutiny
from tests.audits.test_sample_pages import DRAW, PAGE, draw_posted, options, title, upload
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

BLANK_AREA = b"case_ref,area,team\r\nC-1,,A\r\nC-2,NTH,B\r\nC-3,STH,A\r\n"


def kept_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_session_holds_the_kept_lists_name_never_its_case_data(
    scrutiny, business_unit, job_uploads
):
    client = client_for(business_unit)
    assert upload(client).status_code == 302
    (name,) = kept_files(job_uploads)
    assert name.endswith(".csv")
    assert (job_uploads / name).read_bytes() == case_list()
    kept = client.session[f"audits.sample_upload.{scrutiny.pk}"]
    assert kept == {"upload": name, "file_name": "cases.csv", "sha256": list_sha256(case_list())}
    stored = json.dumps(dict(client.session.items()))
    refs = [line.split(b",")[0].decode() for line in case_list().splitlines()[1:]]
    assert len(refs) == 40 and not any(ref in stored for ref in refs)
    # The options step reads the kept file.
    step2 = client.get(DRAW)
    assert title(step2).startswith("Choose how to draw the sample")
    assert step2.context["cases_count"] == 40


def test_a_draw_runs_as_a_job_and_deletes_the_kept_list(
    scrutiny, areas, audit_tool, scrutineer, job_uploads, django_capture_on_commit_callbacks
):
    client = client_for(scrutineer)
    upload(client)
    (name,) = kept_files(job_uploads)
    data = {**options(client.get(DRAW)), "per": "2", "seed": "42"}
    page = draw_posted(client, data, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert (job.kind, job.task, job.created_by, job.status) == (
        imports.SAMPLE_DRAW,
        "audits.tasks.sample_draw",
        scrutineer,
        Job.Status.DONE,
    )
    assert {k: job.arguments[k] for k in ("upload", "file_name", "by", "per", "seed")} == {
        "upload": name,
        "file_name": "cases.csv",
        "by": "area",
        "per": 2,
        "seed": 42,
    }
    assert job.arguments["instrument_id"] == audit_tool.pk
    sample = Sample.objects.get()
    assert job.message == "Drew 6 case files of 40: 2 per area, seed 42."
    assert job.result["sample"] == sample.pk and job.result["drawn"] is True
    assert (sample.drawn_by, sample.instrument) == (scrutineer, audit_tool)
    assert "<h1>Drawing the sample of case files</h1>" in page.text
    assert f'<a href="{PAGE}">Go to the sample of case files</a>' in page.text
    # The case list is deleted, and the draw page asks for a list again.
    assert kept_files(job_uploads) == []
    assert title(client.get(DRAW)).startswith("Upload the case list")


def test_a_refused_draw_lists_its_problems_changes_nothing_and_keeps_the_list(
    scrutiny, areas, business_unit, job_uploads, django_capture_on_commit_callbacks
):
    before = draw(scrutiny).sample
    refs = list(before.cases.values_list("case_ref", flat=True))
    client = client_for(business_unit)
    upload(client, BLANK_AREA)
    kept = kept_files(job_uploads)
    data = {**options(client.get(DRAW)), "by": "area", "per": "1", "seed": "7"}
    page = draw_posted(client, data, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.message.startswith("Row 2 of the case list has no area")
    assert title(page).startswith("Error: ") and "There is a problem" in page.text
    assert "Nothing was drawn: the sample is as it was." in page.text
    assert f'<a href="{DRAW}">Change the options and draw again</a>' in page.text
    after = Sample.objects.get()
    assert (after.seed, after.file_sha256) == (42, before.file_sha256)
    assert list(after.cases.values_list("case_ref", flat=True)) == refs
    # The list is still kept: the options are changed and the draw tried again, no new upload.
    assert kept_files(job_uploads) == kept
    step2 = client.get(DRAW)
    assert title(step2).startswith("Choose how to draw the sample")
    again = {**options(step2), "by": "team", "per": "1", "seed": "7"}
    done = draw_posted(client, again, django_capture_on_commit_callbacks)
    assert "Drew 2 case files of 3: 1 per team, seed 7. It replaces the earlier draw." in done.text
    assert Sample.objects.get().by == "team"
    assert kept_files(job_uploads) == []


def test_permission_is_checked_again_when_the_job_runs(
    scrutiny, areas, scrutineer, job_uploads, django_capture_on_commit_callbacks
):
    """Between the draw and the worker, the scrutineer became a board member: the job checks
    again, and draws nothing."""
    client = client_for(scrutineer)
    upload(client)
    data = {**options(client.get(DRAW)), "per": "2", "seed": "1"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.post(DRAW, data)
    assert "/jobs/" in started["Location"]
    User.objects.filter(pk=scrutineer.pk).update(role=User.Role.BOARD_MEMBER)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.message == (
        "The person who uploaded this case list may no longer run audits here: nothing was drawn."
    )
    assert not Sample.objects.exists()


def test_a_list_replaced_in_another_tab_is_refused_and_the_first_deleted_unless_a_draw_reads_it(
    scrutiny, areas, business_unit, job_uploads, django_capture_on_commit_callbacks
):
    client = client_for(business_unit)
    upload(client)
    (first,) = kept_files(job_uploads)
    stale = {**options(client.get(DRAW)), "per": "2", "seed": "1"}
    upload(client, BLANK_AREA)  # another tab: the first list is deleted
    (second,) = kept_files(job_uploads)
    assert second != first
    refused = client.post(DRAW, stale)
    assert refused.status_code == 200 and title(refused).startswith("Error: Choose how")
    assert not Job.objects.exists() and not Sample.objects.exists()

    # A draw queued from the second list keeps it while a third is uploaded, then deletes it.
    data = {**options(client.get(DRAW)), "by": "team", "per": "1", "seed": "1"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(DRAW, data)
    upload(client)
    assert len(kept_files(job_uploads)) == 2 and second in kept_files(job_uploads)
    for callback in callbacks:
        callback()
    assert Job.objects.get().status == Job.Status.DONE and Sample.objects.get().by == "team"
    (third,) = kept_files(job_uploads)
    assert third not in (first, second)


def test_the_jobs_page_takes_the_same_queries_for_a_bigger_draw(
    scrutiny, areas, business_unit, job_uploads, django_capture_on_commit_callbacks
):
    client = client_for(business_unit)

    def job_page_queries(per: str) -> int:
        upload(client)
        data = {**options(client.get(DRAW)), "per": per, "seed": "3"}
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(DRAW, data)
        client.get(started["Location"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(started["Location"]).status_code == 200
        return len(queries)

    assert job_page_queries("1") == job_page_queries("20")
