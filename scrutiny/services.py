"""Writes to the partnership and to jobs. Keyword-only, typed, atomic."""

from __future__ import annotations

import socket

from django.db import transaction

from scrutiny.models import Job, Partnership, User


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    name: str,
    contact_email: str,
    accessibility_statement: str,
    privacy_notice: str,
    safeguarding_lead_name: str = "",
    safeguarding_lead_email: str = "",
    brag_blue: str = "",
    brag_green: str = "",
    brag_amber: str = "",
    brag_red: str = "",
    redaction_terms: str | None = None,
) -> Partnership:
    """The partnership's details; a BRAG word left out keeps the one it has, and so do the
    redaction terms (one a line, kept without blank lines or surrounding spaces)."""
    partnership.name = name.strip()
    if redaction_terms is not None:
        partnership.redaction_terms = "\n".join(
            line.strip() for line in redaction_terms.splitlines() if line.strip()
        )
    for field, words in (
        ("brag_blue", brag_blue),
        ("brag_green", brag_green),
        ("brag_amber", brag_amber),
        ("brag_red", brag_red),
    ):
        if words.strip():
            setattr(partnership, field, words.strip())
    partnership.contact_email = contact_email.strip()
    partnership.safeguarding_lead_name = safeguarding_lead_name.strip()
    partnership.safeguarding_lead_email = safeguarding_lead_email.strip()
    partnership.accessibility_statement = accessibility_statement.strip()
    partnership.privacy_notice = privacy_notice.strip()
    partnership.full_clean()
    partnership.save()
    return partnership


def job_create(*, kind: str, user: User | None) -> Job:
    return Job.objects.create(kind=kind, created_by=user)


def job_progress(*, job_id: int, progress: int, message: str = "") -> None:
    """Record how far a task has got. Called by tasks as they go; a page polls it."""
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        progress=max(0, min(100, progress)),
        message=message,
        worker=socket.gethostname(),
    )


def job_finish(*, job_id: int, result: dict[str, object], message: str = "Finished.") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, progress=100, result=result, message=message
    )


def job_fail(*, job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=message)


def job_start_selfcheck(*, user: User) -> Job:
    """Start a task that only proves the background workers run, and where.

    The business unit uses it after a deployment; CI uses it to prove tasks reach a real worker.
    """
    from scrutiny.tasks import selfcheck

    job = job_create(kind="selfcheck", user=user)
    transaction.on_commit(lambda: selfcheck.delay(job_id=job.pk))
    return job
