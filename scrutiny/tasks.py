"""Celery tasks: thin. Each takes ids, loads, calls a service and reports through the job."""

from __future__ import annotations

import os
import socket

from celery import shared_task

from scrutiny import services
from scrutiny.notifications import email_task


@shared_task(acks_late=True)
def selfcheck(*, job_id: int) -> None:
    services.job_progress(job_id=job_id, progress=50, message="The worker has the task.")
    services.job_finish(
        job_id=job_id,
        result={"hostname": socket.gethostname(), "pid": os.getpid()},
        message="Background work is running.",
    )


@shared_task(acks_late=True)
def event_pack_build(*, pack_id: int) -> None:
    """Build a queued event pack, reporting its progress through the pack's job."""
    from scrutiny.models import EventPack
    from scrutiny.packs.build import pack_build

    pack = EventPack.objects.select_related("scrutiny__partnership").get(pk=pack_id)
    job_id = pack.job_id
    assert job_id is not None

    def progress(percent: int, message: str) -> None:
        services.job_progress(job_id=job_id, progress=percent, message=message)

    try:
        pack_build(pack=pack, progress=progress)
    except Exception as exc:
        services.job_fail(job_id=job_id, message=f"The pack could not be built: {exc}")
        raise
    services.job_finish(
        job_id=job_id, result={"pack": pack.pk}, message="The event pack is ready to download."
    )


@email_task()
def actions_flag_overdue() -> int:
    """Run daily by celery beat: flag overdue and drifting actions to their leads (retried when
    the mail server is briefly unreachable; an action emailed already is not emailed again)."""
    from scrutiny.plan.flags import actions_flag

    return actions_flag()
