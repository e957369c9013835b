"""Celery tasks of the audits: thin. Each takes ids, calls one service (audits.assignments,
audits.concerns), and retries when the mail server is briefly unreachable
(scrutiny.notifications.email_task). Enqueued with transaction.on_commit by the services, so that
nothing is sent for a change that was rolled back."""

from __future__ import annotations

from collections.abc import Sequence

from audits import assignments, concerns
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
