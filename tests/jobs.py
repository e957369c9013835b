"""Waiting for a background job, whether it ran in-process or on a real celery worker."""

from __future__ import annotations

import time

from scrutiny.models import Job


def wait_for_job(job: Job, timeout: float = 30.0) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.is_finished or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
