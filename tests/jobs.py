"""Waiting for a background job, whether it ran in-process or on a real celery worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery import current_app as celery_app

from scrutiny.models import Job


def wait_for_job(job: Job, timeout: float = 30.0) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.is_finished or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    """Tasks run in-process, even where CI configures a broker for the worker's tests."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def job_uploads(settings, tmp_path) -> Path:
    """Workbooks uploaded through the pages wait in a folder of the test's own."""
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"
    return settings.JOB_UPLOADS_DIR


@pytest.fixture
def through_job(monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks):
    """Post a workbook to an import page and follow its job (run in-process) to its page.

    `through_job(client, url, data)` gives the job's page; the upload folder is the test's own,
    and is empty again once the job has ended."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"

    def post(client, url: str, data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, data)
        assert started.status_code == 302, started.status_code
        assert "/jobs/" in started.url, started.url
        page = client.get(started.url)
        assert page.status_code == 200
        assert not any(Path(settings.JOB_UPLOADS_DIR).iterdir()), "an upload was kept"
        return page

    return post
