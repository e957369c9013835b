"""A job speaks the language of the person who started it (scrutiny/jobs.py): the language of
the page it was started from is kept with the job, its task runs in it, and a job sent again
after its worker died keeps it. The Welsh is the catalogue's (locale/cy)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery import current_app as celery_app
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from scrutiny import jobs
from scrutiny.exports.jobs import EXPORT_KIND
from scrutiny.models import Job
from tests.conftest import client_for
from tests.scrutiny.test_responses_export import SLUG
from tests.scrutiny.test_responses_export import jobs_in_process as jobs_in_process
from tests.scrutiny.test_responses_export import survey as survey
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

EXPORTED_EN = "15 responses exported: the file is ready to download."
EXPORTED_CY = "15 ymateb wedi'u hallforio: mae'r ffeil yn barod i'w lawrlwytho."


def _export(client, survey, capture) -> Job:
    url = reverse("instrument-responses-export", args=[SLUG, survey.pk])
    with capture(execute=True):
        response = client.post(url, {"format": "csv", "options": "labels"})
    assert response.status_code == 302
    return Job.objects.filter(kind=EXPORT_KIND).latest("pk")


def test_a_job_started_from_a_welsh_page_ends_in_welsh_and_an_english_one_in_english(
    survey, business_unit, jobs_in_process, django_capture_on_commit_callbacks
):
    welsh = client_for(business_unit)
    welsh.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    job = _export(welsh, survey, django_capture_on_commit_callbacks)
    assert job.arguments[jobs.LANGUAGE] == "cy"
    assert (job.status, job.message) == (Job.Status.DONE, EXPORTED_CY)

    with translation.override("en-gb"):
        job = _export(client_for(business_unit), survey, django_capture_on_commit_callbacks)
    assert (job.status, job.message) == (Job.Status.DONE, EXPORTED_EN)
    # The job's page and the API show the job, never its arguments.
    api = client_for(business_unit).get(reverse("api-job-detail", args=[job.pk])).json()
    assert "arguments" not in api and api["message"] == EXPORTED_EN


def _dead(job: Job) -> None:
    """As a job looks when its worker died: running, its heartbeat long stopped."""
    stale = timezone.now() - timedelta(seconds=jobs.stall_seconds() + 5)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, heartbeat_at=stale, message="Started."
    )


def test_a_job_sent_again_after_its_worker_died_keeps_its_language(
    business_unit, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    started = {}
    with django_capture_on_commit_callbacks(execute=False):  # the first worker never ran it
        for language in ("cy", "en-gb"):
            with translation.override(language):
                started[language] = jobs.job_enqueue(
                    kind="selfcheck", user=business_unit, task="scrutiny.tasks.selfcheck"
                )
    for job in started.values():
        _dead(job)
    with django_capture_on_commit_callbacks(execute=False) as resend:
        assert jobs.jobs_recover() == {"sent_again": 2, "stalled": 0}
    welsh, english = (Job.objects.get(pk=started[k].pk) for k in ("cy", "en-gb"))
    assert welsh.message == (
        "Stopiodd y gweithiwr a oedd yn rhedeg y dasg hon; bydd yn dechrau eto cyn bo hir."
    )
    assert english.message == "The worker running this job stopped; it will start again shortly."
    for callback in resend:  # the resend: the task is not given the language, the job keeps it
        callback()
    welsh.refresh_from_db()
    english.refresh_from_db()
    assert (welsh.status, welsh.attempts, welsh.message) == (
        Job.Status.DONE,
        2,
        "Mae'r gwaith cefndir yn rhedeg.",
    )
    assert welsh.arguments == {jobs.LANGUAGE: "cy"}
    assert (english.status, english.message) == (Job.Status.DONE, "Background work is running.")


def test_a_welsh_job_that_fails_says_so_in_welsh(business_unit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False), translation.override("cy"):
        job = jobs.job_enqueue(
            kind="selfcheck", user=business_unit, task="scrutiny.tasks.selfcheck"
        )
    with pytest.raises(ValueError), jobs.job_running(job_id=job.pk, heartbeat=False) as run:
        assert run is not None
        assert Job.objects.get(pk=job.pk).message == "Wedi dechrau."
        raise ValueError("boom")
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, "Nid oedd modd gorffen y dasg: boom")
    # A job kept before jobs recorded their language runs in the site's own.
    old = Job.objects.create(kind="selfcheck", created_by=business_unit, task="x.y")
    with translation.override("cy"), jobs.job_running(job_id=old.pk, heartbeat=False) as run:
        assert run is not None and translation.get_language() == settings.LANGUAGE_CODE
