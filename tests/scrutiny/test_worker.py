"""Background tasks reach a real celery worker when a broker is configured.

Skipped where tasks run in-process (no REDIS_URL); a failure in the PostgreSQL phase of CI, where
`.ci/run` starts Redis and `celery -A config worker` on pytest-django's test database.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from scrutiny import services
from scrutiny.models import Job
from tests.jobs import wait_for_job
from tests.services import require_broker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_selfcheck_runs_on_a_separate_worker(business_unit):
    require_broker()
    job = services.job_start_selfcheck(user=business_unit)
    job = wait_for_job(job, timeout=60)
    assert job.status == Job.Status.DONE, (
        f"the selfcheck job is {job.status!r} ({job.message!r}): "
        "no celery worker took it within 60 s"
    )
    assert job.progress == 100
    assert job.result["pid"] != os.getpid(), "the task ran in the test process, not on a worker"
    assert job.result["hostname"]
    assert job.worker


@pytest.mark.worker
@pytest.mark.django_db
def test_health_reports_the_broker(client):
    require_broker()
    response = client.get(reverse("health"))
    body = response.json()
    assert body["checks"]["broker"] == "ok", body
    assert response.status_code == 200, body
