"""The set-up workbooks imported through the pages as jobs (scrutiny/imports/): the scrutiny and
the instrument workbook each to what it made or to every problem, permission at the start and
again when the job runs, the upload deleted when the job ends; the job API's stalled flag; and
the daily clean-up of uploads that ended or dead jobs left behind."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny import imports, jobs, tasks
from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Job, Scrutiny, User
from scrutiny.workbooks import instrument_to_workbook
from tests.conftest import client_for
from tests.factories import PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.jobs import through_job as through_job
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny
from tests.scrutiny.test_scrutiny_pages import upload, xlsx

pytestmark = pytest.mark.django_db

SCRUTINY_BOOK = {
    "scrutiny": [["key", "value"], ["slug", "neglect-2026"], ["title", "Neglect 2026"]],
    "success_factors": [["code", "statement"], ["SF1", "Neglect is seen early."]],
}


def stale() -> datetime:
    return timezone.now() - timedelta(seconds=jobs.stall_seconds() + 5)


# ---------------------------------------------------------------------------------------------
# The scrutiny workbook


def test_a_scrutiny_workbook_is_imported_by_a_job_into_the_starters_partnership(
    scrutineer, partnership, through_job
):
    page = through_job(
        client_for(scrutineer), reverse("scrutiny-import"), {"file": xlsx(SCRUTINY_BOOK)}
    )
    job = Job.objects.get()
    assert (job.kind, job.task, job.created_by, job.status) == (
        "scrutiny import",
        "scrutiny.tasks.scrutiny_import",
        scrutineer,
        Job.Status.DONE,
    )
    assert job.arguments["partnership_id"] == partnership.pk
    made = Scrutiny.objects.get(slug="neglect-2026")
    assert made.partnership == partnership and made.factors.count() == 1
    assert job.result == {
        "scrutiny": "neglect-2026",
        "title": "Neglect 2026",
        "created": True,
        "changed": True,
    }
    assert "<h1>Importing a scrutiny workbook</h1>" in page.text
    assert 'data-import-outcome="created"' in page.text
    assert f'href="{reverse("scrutiny-detail", args=["neglect-2026"])}"' in page.text


def test_a_scrutiny_workbook_with_problems_lists_them_and_changes_nothing(
    scrutineer, partnership, through_job
):
    book = {
        "scrutiny": [["key", "value"], ["slug", "Not A Slug"], ["strong_threshold", "lots"]],
        "success_factors": [["code", "statement"], ["SF1", ""]],
    }
    page = through_job(client_for(scrutineer), reverse("scrutiny-import"), {"file": xlsx(book)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.message.startswith("The scrutiny workbook has")
    assert job.result["error_count"] == len(job.result["problems"]) >= 3
    for problem in job.result["problems"]:
        row = "" if problem["row"] is None else problem["row"]
        cells = f"<td>{problem['sheet']}</td><td>{row}</td><td>{problem['column']}</td>"
        assert cells in page.text
    assert "There is a problem" in page.text
    assert f'href="{reverse("scrutiny-import")}">Upload a corrected workbook' in page.text
    assert not Scrutiny.objects.exists()


# ---------------------------------------------------------------------------------------------
# The instrument workbook


def test_an_instrument_workbook_is_imported_by_a_job(scrutineer, scrutiny, through_job):
    url = reverse("instrument-import", args=[scrutiny.slug])
    page = through_job(
        client_for(scrutineer), url, {"file": upload(instrument_to_workbook(sample_definition()))}
    )
    job = Job.objects.get()
    instrument = Instrument.objects.get(scrutiny=scrutiny, code="AUDIT")
    assert (job.kind, job.task, job.status) == (
        "instrument import",
        "scrutiny.tasks.instrument_import",
        Job.Status.DONE,
    )
    assert job.arguments["scrutiny_id"] == scrutiny.pk
    assert job.result == {
        "scrutiny": scrutiny.slug,
        "instrument": instrument.pk,
        "code": "AUDIT",
        "version": 1,
        "outcome": "created",
    }
    assert job.message == "Imported: instrument AUDIT created (version 1)."
    assert "<h1>Importing an instrument workbook</h1>" in page.text
    detail = reverse("instrument-detail", args=[scrutiny.slug, instrument.pk])
    assert f'href="{detail}">Go to instrument AUDIT</a>' in page.text


def test_an_instrument_workbook_with_problems_lists_them_and_changes_nothing(
    scrutineer, scrutiny, through_job
):
    book = instrument_to_workbook(sample_definition())
    book["questions"]["C2"] = "essay"
    url = reverse("instrument-import", args=[scrutiny.slug])
    page = through_job(client_for(scrutineer), url, {"file": upload(book)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    problem = next(p for p in job.result["problems"] if "essay" in p["message"])
    assert (problem["sheet"], problem["row"], problem["column"]) == ("questions", 2, "C (type)")
    assert "<td>questions</td><td>2</td><td>C (type)</td>" in page.text
    assert "<caption>Problems found in the workbook</caption>" in page.text
    assert f'href="{url}">Upload a corrected workbook' in page.text
    assert not Instrument.objects.exists()


# ---------------------------------------------------------------------------------------------
# Permission: at the start, and again when the job runs


@pytest.mark.usefixtures("eager_tasks")
def test_those_who_may_not_set_up_start_no_import(
    board_member, auditor_council, scrutiny, job_uploads, django_capture_on_commit_callbacks
):
    book = instrument_to_workbook(sample_definition())
    ashdown = PartnershipFactory(name="Ashdown Safeguarding Partnership")
    other = Scrutiny.objects.create(partnership=ashdown, slug="theirs", title="T")
    outsider = UserFactory(partnership=other.partnership, role=User.Role.SCRUTINEER)
    with django_capture_on_commit_callbacks(execute=True):
        refused = [
            client_for(board_member).post(
                reverse("scrutiny-import"), {"file": xlsx(SCRUTINY_BOOK)}
            ),
            client_for(auditor_council).post(
                reverse("scrutiny-import"), {"file": xlsx(SCRUTINY_BOOK)}
            ),
            client_for(board_member).post(
                reverse("instrument-import", args=[scrutiny.slug]), {"file": upload(book)}
            ),
            client_for(outsider).post(
                reverse("instrument-import", args=[scrutiny.slug]), {"file": upload(book)}
            ),
        ]
    assert [r.status_code for r in refused] == [403, 404, 403, 404]
    assert not Job.objects.exists()
    assert not job_uploads.exists() or not any(job_uploads.iterdir())
    assert not Instrument.objects.exists() and Scrutiny.objects.count() == 2


@pytest.mark.usefixtures("eager_tasks")
def test_a_starter_who_may_no_longer_set_up_imports_nothing(
    scrutineer, scrutiny, job_uploads, django_capture_on_commit_callbacks
):
    """Between the upload and the worker, the scrutineer became a board member: the job
    checks again, and imports nothing."""
    url = reverse("instrument-import", args=[scrutiny.slug])
    book = instrument_to_workbook(sample_definition())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(scrutineer).post(url, {"file": upload(book)})
    User.objects.filter(pk=scrutineer.pk).update(role=User.Role.BOARD_MEMBER)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.message.startswith("The person who uploaded this workbook may no longer")
    assert not Instrument.objects.exists()
    assert list(job_uploads.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Stalled: the job API says so


def test_the_job_api_says_whether_a_job_is_stalled(scrutineer, settings):
    def job(**fields) -> Job:
        return Job.objects.create(
            kind="selfcheck",
            created_by=scrutineer,
            partnership=scrutineer.partnership,
            task="scrutiny.tasks.selfcheck",
            **fields,
        )

    cases = {
        "alive": (job(status=Job.Status.RUNNING, heartbeat_at=timezone.now()), False),
        "dead worker": (job(status=Job.Status.RUNNING, heartbeat_at=stale()), True),
        "given up": (job(status=Job.Status.FAILED, result={jobs.STALLED: True}), True),
        "failed": (job(status=Job.Status.FAILED, result={"refused": True}), False),
        "done": (job(status=Job.Status.DONE, heartbeat_at=stale()), False),
        "queued": (job(status=Job.Status.QUEUED), False),
    }
    client = client_for(scrutineer)
    seen = {
        name: client.get(reverse("api-job-detail", args=[j.pk])).json()["stalled"]
        for name, (j, _) in cases.items()
    }
    assert seen == {name: expected for name, (_, expected) in cases.items()}


# ---------------------------------------------------------------------------------------------
# Uploads left behind


def _left(folder: Path, name: str, *, hours_old: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"PK workbook")
    when = time.time() - hours_old * 3600
    os.utime(path, (when, when))
    return path


def test_uploads_left_by_ended_jobs_or_by_no_job_are_cleaned_up_a_day_old(scrutineer, job_uploads):
    def upload_of(status: str, *, hours_old: float) -> Path:
        name = f"{os.urandom(16).hex()}.xlsx"
        Job.objects.create(
            kind=imports.RESPONSES_IMPORT,
            created_by=scrutineer,
            partnership=scrutineer.partnership,
            task="scrutiny.tasks.responses_import",
            status=status,
            arguments={"instrument_id": 1, "upload": name},
        )
        return _left(job_uploads, name, hours_old=hours_old)

    kept = [
        upload_of(Job.Status.RUNNING, hours_old=50),  # alive, or stalled and not yet given up
        upload_of(Job.Status.QUEUED, hours_old=50),
        upload_of(Job.Status.FAILED, hours_old=2),  # stalled for good, but only today
        _left(job_uploads, f"{'a' * 32}.xlsx", hours_old=1),  # its job not yet committed
    ]
    deleted = [
        upload_of(Job.Status.DONE, hours_old=25),
        upload_of(Job.Status.FAILED, hours_old=30),  # stalled for good yesterday
        _left(job_uploads, f"{'b' * 32}.xlsx", hours_old=25),  # named by no job
        _left(job_uploads, "partial.tmp", hours_old=48),
    ]
    assert tasks.job_uploads_clean() == 4
    assert sorted(job_uploads.iterdir()) == sorted(kept)
    assert not any(path.exists() for path in deleted)
    assert imports.uploads_clean() == 0


def test_uploads_are_kept_as_workbooks_or_csv_lists_by_names_the_platform_gave(job_uploads):
    name = imports.upload_save(io.BytesIO(b"email,agency\n"), suffix=".csv")
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", name)
    assert imports.upload_path(name).read_bytes() == b"email,agency\n"
    assert imports.upload_save(io.BytesIO(b"PK")).endswith(".xlsx")
    with pytest.raises(ValueError):
        imports.upload_save(io.BytesIO(b"%PDF"), suffix=".pdf")
    for bad in ("../secret.csv", f"{'a' * 32}.pdf", f"{'a' * 32}.csv/../x", f"{'A' * 32}.csv"):
        with pytest.raises(ApplicationError):
            imports.upload_path(bad)


def test_beat_cleans_uploads_daily(settings, tmp_path):
    entry = settings.CELERY_BEAT_SCHEDULE["job-uploads-clean"]
    assert entry == {"task": "scrutiny.tasks.job_uploads_clean", "schedule": 86400.0}
    settings.JOB_UPLOADS_DIR = tmp_path / "never-made"
    assert imports.uploads_clean() == 0  # no folder yet: nothing to do


@pytest.mark.usefixtures("eager_tasks")
def test_starting_again_after_the_upload_was_cleaned_asks_for_it_again(
    scrutineer, partnership, job_uploads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client_for(scrutineer).post(reverse("scrutiny-import"), {"file": xlsx(SCRUTINY_BOOK)})
    job = Job.objects.get()
    # Its worker died for good, a day ago; the clean-up took the upload.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, attempts=3, result={jobs.STALLED: True}
    )
    (left,) = job_uploads.iterdir()
    os.utime(left, (time.time() - 90000, time.time() - 90000))
    assert imports.uploads_clean() == 1
    with django_capture_on_commit_callbacks(execute=True):
        restarted = client_for(scrutineer).post(reverse("job-restart", args=[job.pk]))
    page = client_for(scrutineer).get(restarted.url).text
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not jobs.job_stalled(job)
    assert job.message.startswith("The uploaded workbook is no longer kept")
    assert "There is a problem" in page and "Upload a corrected workbook" in page
    assert not Scrutiny.objects.exists()
