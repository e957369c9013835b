"""Celery tasks of the surveys: thin. Each takes ids and calls one service; enqueued with
transaction.on_commit by the services. The emails are retried when the mail server is briefly
unreachable (scrutiny.notifications.email_task). An invitation list uploaded through the page runs
as a job (surveys.imports), reporting through `jobs.job_running`."""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from scrutiny import jobs
from scrutiny.notifications import email_task
from surveys.services import invitations


@email_task()
def invitations_email(*, invitation_ids: Sequence[int]) -> int:
    """Email each new invitation its personal link (once)."""
    return invitations.invitations_send(invitation_ids=list(invitation_ids))


@shared_task
def reminders_schedule() -> int:
    """Run by celery beat: find the invitations owed a reminder and send them in one task."""
    due = invitations.reminders_due()
    if due:
        reminders_email.delay(invitation_ids=due)
    return len(due)


@email_task()
def reminders_email(*, invitation_ids: Sequence[int]) -> int:
    """Email a reminder to each invitation still owed one (checked again, so never to someone
    who has answered since)."""
    return invitations.reminders_send(invitation_ids=list(invitation_ids))


@shared_task(acks_late=True)
def invitation_list_import(*, job_id: int, survey_id: int, upload: str, file_name: str) -> None:
    """Invite everyone on a list uploaded through the survey's page (surveys.imports)."""
    from surveys.imports import invitation_list_run

    with jobs.job_running(job_id=job_id, failure=_("The invitation list could not be read")) as run:
        if run is None:
            return
        invitation_list_run(run=run, survey_id=survey_id, upload=upload, file_name=file_name)
