"""Jobs that survive a dead worker: the claim, the heartbeat, recovery, "Start again", and a
responses workbook imported through the page as a job (scrutiny/jobs.py, scrutiny/imports.py).

The killing of a real worker is proved in ci/system/ (run by .ci/run); here the same rules are
driven directly, with tasks in-process.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny import jobs, tasks
from scrutiny.models import EventPack, Job, Response
from scrutiny.packs.build import pack_build
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny
from tests.scrutiny.test_scrutiny_pages import audit as audit
from tests.scrutiny.test_scrutiny_pages import xlsx

pytestmark = pytest.mark.django_db


def selfcheck_job(user, **fields) -> Job:
    return Job.objects.create(
        kind="selfcheck",
        created_by=user,
        partnership=user.partnership,
        task="scrutiny.tasks.selfcheck",
        **fields,
    )


def stale(seconds_over: int = 5):
    return timezone.now() - timedelta(seconds=jobs.stall_seconds() + seconds_over)


# ---------------------------------------------------------------------------------------------
# Claiming: once


def test_a_queued_job_is_claimed_once(business_unit):
    job = selfcheck_job(business_unit)
    claimed = jobs.job_claim(job_id=job.pk)
    assert claimed is not None
    assert (claimed.status, claimed.attempts) == (Job.Status.RUNNING, 1)
    assert claimed.heartbeat_at is not None and claimed.worker
    assert jobs.job_claim(job_id=job.pk) is None, "a live job was taken twice"


def test_a_running_job_with_a_stale_heartbeat_is_taken_over(business_unit, settings):
    job = selfcheck_job(business_unit, status=Job.Status.RUNNING, attempts=1, heartbeat_at=stale())
    claimed = jobs.job_claim(job_id=job.pk)
    assert claimed is not None and claimed.attempts == 2
    # Out of attempts, a stale job is not taken: recovery marks it stalled instead.
    Job.objects.filter(pk=job.pk).update(attempts=settings.JOB_MAX_ATTEMPTS, heartbeat_at=stale())
    assert jobs.job_claim(job_id=job.pk) is None


def test_a_message_for_a_finished_or_live_job_does_nothing(business_unit):
    done = selfcheck_job(business_unit, status=Job.Status.DONE, progress=100, result={"x": 1})
    tasks.selfcheck(job_id=done.pk)
    done.refresh_from_db()
    assert (done.status, done.result, done.attempts) == (Job.Status.DONE, {"x": 1}, 0)
    live = selfcheck_job(
        business_unit, status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    tasks.selfcheck(job_id=live.pk)
    live.refresh_from_db()
    assert (live.status, live.attempts) == (Job.Status.RUNNING, 1)


def test_progress_refreshes_the_heartbeat_and_a_replaced_attempt_writes_nothing(business_unit):
    job = selfcheck_job(business_unit)
    claimed = jobs.job_claim(job_id=job.pk)
    assert claimed is not None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale())
    jobs.job_progress(job_id=job.pk, progress=40, message="Halfway.", attempt=1)
    job.refresh_from_db()
    assert (job.progress, job.message) == (40, "Halfway.")
    assert not jobs.job_stalled(job)
    # Another worker took the job over (attempt 2): the first one's late writes change nothing.
    Job.objects.filter(pk=job.pk).update(attempts=2)
    jobs.job_progress(job_id=job.pk, progress=90, message="Late.", attempt=1)
    jobs.job_finish(job_id=job.pk, result={"late": True}, attempt=1)
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == (Job.Status.RUNNING, 40, "Halfway.")


def test_an_error_fails_the_job_with_its_reason(business_unit):
    job = selfcheck_job(business_unit)
    with pytest.raises(RuntimeError), jobs.job_running(job_id=job.pk, failure="It broke") as run:
        assert run is not None
        raise RuntimeError("the disk is full")
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "It broke: the disk is full")


@pytest.mark.django_db(transaction=True)
def test_progress_the_heartbeat_could_not_write_is_written_on_the_next_beat(
    business_unit, settings, monkeypatch
):
    """A write the database refused for a moment (SQLite's "table is locked", a dropped
    connection) loses nothing: the progress goes with the next beat."""
    from django.db import OperationalError

    settings.JOB_STALL_SECONDS = 3  # a beat every half second
    refused: list[int] = []
    real = jobs.job_progress

    def once_refused(**kwargs):  # the first write fails as a locked table does
        if not refused:
            refused.append(kwargs["progress"])
            raise OperationalError("database table is locked: scrutiny_job")
        return real(**kwargs)

    monkeypatch.setattr(jobs, "job_progress", once_refused)
    job = selfcheck_job(business_unit)
    with jobs.job_running(job_id=job.pk, heartbeat=True) as run:
        assert run is not None
        run.progress(30, "Reading.")
        deadline = time.monotonic() + 10
        while Job.objects.get(pk=job.pk).progress != 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = Job.objects.get(pk=job.pk)
        assert refused == [30] and (seen.progress, seen.message) == (30, "Reading.")
        run.finish(result={}, message="Done.")


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_writes_progress_while_the_task_is_busy(business_unit, settings):
    """On a worker, progress and the heartbeat are written by a thread of the job's own, with its
    own connection: the task itself may be deep in one long transaction."""
    settings.JOB_STALL_SECONDS = 3  # a beat every half second
    job = selfcheck_job(business_unit)
    with jobs.job_running(job_id=job.pk, heartbeat=True) as run:
        assert run is not None
        first = Job.objects.get(pk=job.pk).heartbeat_at
        run.progress(30, "Reading.")
        deadline = time.monotonic() + 10
        while Job.objects.get(pk=job.pk).progress != 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.2)
        seen = Job.objects.get(pk=job.pk)
        assert (seen.progress, seen.message) == (30, "Reading.")
        assert seen.heartbeat_at is not None and first is not None
        assert seen.heartbeat_at > first, "the heartbeat did not move while the task ran"
        run.finish(result={}, message="Done.")
    assert not any(t.name == f"job-{job.pk}-heartbeat" for t in threading.enumerate())
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


# ---------------------------------------------------------------------------------------------
# Recovery


@pytest.mark.usefixtures("eager_tasks")
def test_recovery_sends_stale_jobs_again_and_marks_the_exhausted_stalled(
    business_unit, settings, django_capture_on_commit_callbacks
):
    dead = selfcheck_job(business_unit, status=Job.Status.RUNNING, attempts=1, heartbeat_at=stale())
    spent = selfcheck_job(
        business_unit,
        status=Job.Status.RUNNING,
        attempts=settings.JOB_MAX_ATTEMPTS,
        heartbeat_at=stale(),
    )
    alive = selfcheck_job(
        business_unit, status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.jobs_recover() == {"sent_again": 1, "stalled": 1}
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.message) == (
        Job.Status.DONE,
        2,
        "Background work is running.",
    )
    spent.refresh_from_db()
    assert spent.status == Job.Status.FAILED and jobs.job_stalled(spent)
    alive.refresh_from_db()
    assert (alive.status, alive.attempts) == (Job.Status.RUNNING, 1)


def test_recovery_takes_the_same_queries_for_one_stale_job_or_many(business_unit):
    def recovering(n: int) -> int:
        for _ in range(n):
            selfcheck_job(
                business_unit, status=Job.Status.RUNNING, attempts=1, heartbeat_at=stale()
            )
        with CaptureQueriesContext(connection) as queries:
            assert jobs.jobs_recover()["sent_again"] == n
        return len(queries)

    assert recovering(1) == recovering(4)


def test_beat_runs_recovery_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["jobs-recover"]
    assert entry == {"task": "scrutiny.tasks.jobs_recover", "schedule": 60.0}
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST and settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert (settings.JOB_STALL_SECONDS, settings.JOB_MAX_ATTEMPTS) == (90, 3)


# ---------------------------------------------------------------------------------------------
# The job's page: stalled, and "Start again"


@pytest.mark.usefixtures("eager_tasks")
def test_a_stalled_job_shows_as_stalled_and_its_starter_can_start_it_again(
    scrutineer, business_unit, board_member, django_capture_on_commit_callbacks
):
    job = selfcheck_job(scrutineer, status=Job.Status.RUNNING, attempts=1, heartbeat_at=stale())
    url = reverse("job-detail", args=[job.pk])
    page = client_for(scrutineer).get(url).text
    assert re.search(r"<span data-job-status[^>]*>Stalled</span>", page)
    assert "Start again</button>" in page
    assert "Start again</button>" in client_for(business_unit).get(url).text
    assert client_for(board_member).get(url).status_code == 404
    restart = reverse("job-restart", args=[job.pk])
    assert client_for(board_member).post(restart).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(scrutineer).post(restart)
    assert response.url == url
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)
    page = client_for(scrutineer).get(url).text
    assert "Stalled" not in page and "Start again" not in page


def test_a_live_job_cannot_be_started_again(scrutineer):
    job = selfcheck_job(
        scrutineer, status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    client = client_for(scrutineer)
    # The notice is there for job.js to show should the job stall, hidden while it is alive.
    page = client.get(reverse("job-detail", args=[job.pk])).text
    assert "data-job-stalled hidden>" in page
    assert re.search(r"<span data-job-status[^>]*>In progress<", page)
    page = client.post(reverse("job-restart", args=[job.pk]), follow=True).text
    assert "This job is not stalled" in page
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)
    assert client.get(reverse("job-restart", args=[job.pk])).status_code == 405


def test_the_job_page_takes_a_fixed_number_of_queries(scrutineer):
    client = client_for(scrutineer)

    def queries(job: Job) -> int:
        url = reverse("job-detail", args=[job.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    stalled = selfcheck_job(scrutineer, status=Job.Status.RUNNING, heartbeat_at=stale())
    done = selfcheck_job(scrutineer, status=Job.Status.DONE)
    assert queries(stalled) == queries(done) <= 8


# ---------------------------------------------------------------------------------------------
# Imports through the page, as jobs; packs safe to build twice


@pytest.mark.usefixtures("eager_tasks")
def test_a_responses_import_runs_as_a_job_and_shows_its_problems(
    scrutineer, audit, job_uploads, django_capture_on_commit_callbacks
):
    url = reverse("instrument-responses-import", args=[audit.scrutiny.slug, audit.pk])
    rows = [["ref", "Q1", "Q2", "Q6"], ["r1", "maybe", "Plan", "3"], ["r2", "yes", "Plan", "9"]]
    client = client_for(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"file": xlsx({"responses": rows})})
    job = Job.objects.get()
    assert started.url == reverse("job-detail", args=[job.pk])
    assert (job.kind, job.task, job.created_by) == (
        "responses import",
        "scrutiny.tasks.responses_import",
        scrutineer,
    )
    assert job.status == Job.Status.FAILED and job.result["error_count"] == 2
    page = client.get(started.url).text
    assert (
        "There is a problem" in page and "<caption>Problems found in the workbook</caption>" in page
    )
    assert "<td>responses</td><td>2</td><td>B (Q1)</td>" in page
    assert "Upload a corrected workbook" in page
    assert not Response.objects.exists()
    assert list(job_uploads.iterdir()) == [], "the upload was kept after its job ended"


@pytest.mark.usefixtures("eager_tasks")
def test_a_responses_import_job_reports_the_rows_imported(
    scrutineer, audit, job_uploads, django_capture_on_commit_callbacks
):
    url = reverse("instrument-responses-import", args=[audit.scrutiny.slug, audit.pk])
    rows = [["ref", "Q1", "Q2", "Q6"], *([f"r{i}", "yes", "Plan", "3"] for i in range(12))]
    client = client_for(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"file": xlsx({"responses": rows})})
    job = Job.objects.get()
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert job.result["rows"] == 12 and Response.objects.count() == 12
    page = client.get(started.url).text
    assert 'data-import-rows="12"' in page and "12 rows imported: 12 created" in page
    assert reverse("instrument-detail", args=[audit.scrutiny.slug, audit.pk]) in page


def test_a_pack_built_twice_keeps_one_set_of_files(scrutiny, scrutineer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pack = EventPack.objects.create(scrutiny=scrutiny, built_by=scrutineer)
    pack_build(pack=pack)
    first = {pack.pdf.name, pack.xlsx.name}
    pack_build(pack=pack)
    stored = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(stored) == 2, stored
    assert EventPack.objects.count() == 1
    assert {pack.pdf.name, pack.xlsx.name} != first or len(stored) == 2
