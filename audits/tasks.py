"""Celery tasks of the audits: thin. Each takes ids, calls one service in audits.completion, and
retries when the mail server is briefly unreachable. Enqueued with transaction.on_commit by the
services, so that nothing is sent for a change that was rolled back."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from celery import shared_task

from audits import completion

# A mail server that is down, restarting or busy: worth another try. A refused address is not.
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
)
def assignments_email(*, assignment_ids: Sequence[int]) -> int:
    """Tell each auditor about their new audits (one email each)."""
    return completion.assignments_notify(assignment_ids=list(assignment_ids))


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=10,
)
def concern_email(*, concern_id: int) -> bool:
    """Tell the safeguarding lead at once that an immediate concern was raised."""
    return completion.concern_notify(concern_id=concern_id)
