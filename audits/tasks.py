"""Celery tasks of the audits: thin. Each takes ids, calls one service (audits.assignments,
audits.concerns), and retries when the mail server is briefly unreachable
(scrutiny.notifications.email_task). Enqueued with transaction.on_commit by the services, so that
nothing is sent for a change that was rolled back. The sample drawn through the page runs as a
job (audits.imports), reporting through `jobs.job_running`."""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from audits import assignments, concerns
from scrutiny import jobs
from scrutiny.notifications import email_task


@email_task()
def assignments_email(*, assignment_ids: Sequence[int]) -> int:
    """Tell each auditor about their new audits (one email each)."""
    return assignments.assignments_notify(assignment_ids=list(assignment_ids))


# A child may be at risk: tried again sooner and for longer than other emails.
@email_task(retry_backoff=5, retry_backoff_max=60, max_retries=10)
def concern_email(*, concern_id: int) -> bool:
    """Tell the safeguarding lead at once that an immediate concern was raised."""
    return concerns.concern_notify(concern_id=concern_id)


@shared_task(acks_late=True)
def sample_draw(
    *,
    job_id: int,
    scrutiny_id: int,
    upload: str,
    file_name: str,
    sha256: str,
    by: str,
    per: int,
    seed: int,
    filters: dict[str, list[str]],
    instrument_id: int | None,
) -> None:
    """Draw the sample from a case list uploaded through the page (audits.imports)."""
    from audits.imports import sample_draw_run

    with jobs.job_running(job_id=job_id, failure=_("The sample could not be drawn")) as run:
        if run is None:
            return
        sample_draw_run(
            run=run,
            scrutiny_id=scrutiny_id,
            upload=upload,
            file_name=file_name,
            sha256=sha256,
            by=by,
            per=per,
            seed=seed,
            filters=filters,
            instrument_id=instrument_id,
        )
