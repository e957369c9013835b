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
