"""Emails: the one way the platform sends mail, for audits, surveys and the plan alike.

- `site_link`: an absolute link to a page (SITE_URL and the page's path), for an email to carry.
- `email_send`: sends one plain-text email from the default sender.
- `email_task`: a celery task that sends email, retried when the mail server is briefly
  unreachable (`TRANSIENT_MAIL_ERRORS`). The service it calls must mark each email as sent when
  it goes (or send it inside the transaction that marks it), so that a retry sends nobody the
  same email twice.

An email leaves the platform: what it says is the caller's to keep free of case details.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

# A mail server that is down, restarting or busy: worth another try. A refused address is not.
TRANSIENT_MAIL_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
)

# Tried again with a growing pause, up to five minutes apart, six times at the most.
EMAIL_RETRY: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_MAIL_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 6,
}


def site_link(name: str, *args: Any) -> str:
    """The absolute address of the page named `name` (with its arguments)."""
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def email_send(*, subject: str, body: str, to: Sequence[str]) -> None:
    """Send one email. A transient error of the mail server is raised for the task to retry."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=list(to))


def email_task(**retry: Any) -> Callable[[Callable[..., Any]], Any]:
    """A celery task that sends email, retried on `TRANSIENT_MAIL_ERRORS` (EMAIL_RETRY, with
    `retry` overriding it, e.g. a shorter pause for an urgent email)."""
    return shared_task(**{**EMAIL_RETRY, **retry})
