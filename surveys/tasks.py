"""Celery tasks of the surveys: thin. Each takes ids and calls one service; enqueued with
transaction.on_commit by the services."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from celery import shared_task

from surveys import services

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
def invitations_email(*, invitation_ids: Sequence[int]) -> int:
    """Email each new invitation its personal link (once)."""
    return services.invitations_send(invitation_ids=list(invitation_ids))


@shared_task
def reminders_schedule() -> int:
    """Run by celery beat: find the invitations owed a reminder and send them in one task."""
    due = services.reminders_due()
    if due:
        reminders_email.delay(invitation_ids=due)
    return len(due)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=6,
)
def reminders_email(*, invitation_ids: Sequence[int]) -> int:
    """Email a reminder to each invitation still owed one (checked again, so never to someone
    who has answered since)."""
    return services.reminders_send(invitation_ids=list(invitation_ids))
