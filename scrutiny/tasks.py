"""Celery tasks: thin. Each takes ids, loads, calls a service and reports through the job."""

from __future__ import annotations

import os
import socket

from celery import shared_task

from scrutiny import services


@shared_task(acks_late=True)
def selfcheck(*, job_id: int) -> None:
    services.job_progress(job_id=job_id, progress=50, message="The worker has the task.")
    services.job_finish(
        job_id=job_id,
        result={"hostname": socket.gethostname(), "pid": os.getpid()},
        message="Background work is running.",
    )
