"""Jobs: long work run by a celery task, that survives the worker running it dying.

One way to start a job: `job_enqueue` records the task's name and keyword arguments on the Job
and sends it after the transaction commits. The task claims the job when it starts
(`job_running`): a conditional UPDATE that succeeds only for a queued job, or a running one whose
heartbeat is older than JOB_STALL_SECONDS. A message delivered twice (Redis gives an unacknowledged
message again after its visibility timeout; celery again when a worker is lost) therefore finds
the job finished or alive and does nothing: each job runs once at a time, and its work is written
so that running it again overwrites rather than duplicates.

While a task runs on a worker, a thread of its own (with its own database connection, so that
it is seen even while the task's transaction is open) writes the job's heartbeat every few
seconds, and the progress the task reports. When a worker dies, the heartbeat stops:
`jobs_recover` (celery beat, every minute) sends a job whose heartbeat is stale again, up to
JOB_MAX_ATTEMPTS starts, then marks it failed as stalled; the job's page then offers "Start
again" (`job_restart`). docs/jobs.md tells the whole story.

A job speaks the language of the person who started it: `job_enqueue` keeps the active language
in the job's arguments under LANGUAGE (never passed to the task), and `job_running` runs the
task's block in it, so that its progress, result and failure messages are in that language.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from scrutiny.errors import ApplicationError
from scrutiny.models import Job, User

logger = logging.getLogger(__name__)

# A job that ran out of attempts, or stalled with no worker left to pick it up, fails with this
# in its result, so that its page can offer to start it again.
STALLED = "stalled"

# The key of the job's arguments holding the language of the person who started it: kept with
# the job (so a job sent again after its worker died keeps it), never given to the task.
LANGUAGE = "_language"
FAILURE = gettext_lazy("The job could not be finished")
STARTED = gettext_lazy("Started.")


def stall_seconds() -> int:
    return int(settings.JOB_STALL_SECONDS)


def heartbeat_seconds() -> float:
    """How often a running job says it is alive: six times within the stall time, so that a
    slow database or a busy worker does not make a live job look dead."""
    return max(0.5, stall_seconds() / 6)


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=stall_seconds())


# ---------------------------------------------------------------------------------------------
# Starting, and the job's states.


def _recorded(kind: str, user: User | None, **fields: Any) -> Job:
    """A new job, the work of its starter's partnership as they start it (`Job.partnership`)."""
    partnership_id = user.partnership_id if user is not None else None
    return Job.objects.create(kind=kind, created_by=user, partnership_id=partnership_id, **fields)


def job_create(*, kind: str, user: User | None) -> Job:
    """A job recorded without a task to start it (its work runs where it is created)."""
    return _recorded(kind, user)


def job_enqueue(
    *, kind: str, user: User | None, task: str, arguments: dict[str, Any] | None = None
) -> Job:
    """Record a job and send its task (by name, with the keyword arguments and `job_id`) once
    the transaction commits. With no broker, the task runs in-process right then."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    job = _recorded(kind, user, task=task, arguments={**(arguments or {}), LANGUAGE: language})
    transaction.on_commit(lambda: _send(job.pk, task, job.arguments))
    return job


def _send(job_id: int, task: str, arguments: dict[str, Any]) -> None:
    """Send the task named by its module path (e.g. "scrutiny.tasks.selfcheck")."""
    module, _, name = task.rpartition(".")
    kwargs = {key: value for key, value in arguments.items() if key != LANGUAGE}
    getattr(import_module(module), name).apply_async(kwargs={**kwargs, "job_id": job_id})


def job_language(job: Job) -> str:
    """The language of the person who started the job (the site's default for a job recorded
    before jobs kept it, or one started where no language was active)."""
    return _language_of(job.arguments)


def _language_of(arguments: Any) -> str:
    language = arguments.get(LANGUAGE) if isinstance(arguments, dict) else None
    return str(language or settings.LANGUAGE_CODE)


def job_claim(*, job_id: int) -> Job | None:
    """Take the job for this worker, or None when it is finished, or running and alive elsewhere.

    One UPDATE decides it, so two workers given the same job cannot both take it: the
    database lets one change the row and the other finds it no longer matches."""
    now = timezone.now()
    stale = Q(status=Job.Status.RUNNING, attempts__lt=settings.JOB_MAX_ATTEMPTS) & (
        Q(heartbeat_at__lt=_stale_before(now)) | Q(heartbeat_at__isnull=True)
    )
    taken = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=Job.Status.QUEUED) | stale)
        .update(
            status=Job.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            worker=f"{socket.gethostname()} (process {os.getpid()})",
            message=str(STARTED),
        )
    )
    return Job.objects.get(pk=job_id) if taken else None


def _running(job_id: int, attempt: int | None) -> Any:
    """The job's row while it has not ended, and while this attempt still holds it: a late
    write of an attempt taken over by another worker changes nothing."""
    if attempt is None:
        return Job.objects.filter(pk=job_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=attempt)


def job_progress(
    *, job_id: int, progress: int, message: str = "", attempt: int | None = None
) -> None:
    """Record how far a running job has got, and that it is alive. A page polls it."""
    _running(job_id, attempt).update(
        status=Job.Status.RUNNING,
        progress=max(0, min(100, progress)),
        message=message,
        heartbeat_at=timezone.now(),
    )


def job_finish(
    *,
    job_id: int,
    result: dict[str, object],
    message: str = "Finished.",
    attempt: int | None = None,
) -> None:
    _running(job_id, attempt).update(
        status=Job.Status.DONE, progress=100, result=result, message=message
    )


def job_fail(
    *,
    job_id: int,
    message: str,
    result: dict[str, object] | None = None,
    attempt: int | None = None,
) -> None:
    fields: dict[str, Any] = {"status": Job.Status.FAILED, "message": message}
    if result is not None:
        fields["result"] = result
    _running(job_id, attempt).update(**fields)


def job_stalled(job: Job, *, now: datetime | None = None) -> bool:
    """Whether the job stopped without finishing: failed as stalled, or running with no
    heartbeat for longer than JOB_STALL_SECONDS (its worker died and nothing took it up yet)."""
    if job.status == Job.Status.FAILED:
        return bool(job.result.get(STALLED))
    if job.status != Job.Status.RUNNING:
        return False
    alive = job.heartbeat_at or job.updated_at
    return alive < _stale_before(now or timezone.now())


@transaction.atomic
def job_restart(*, job: Job) -> Job:
    """Start a stalled job again from the beginning (the "Start again" button)."""
    if not job.task:
        raise ApplicationError(gettext("This job cannot be started again: start the work afresh."))
    now = timezone.now()
    stalled = Q(status=Job.Status.FAILED, result__has_key=STALLED) | (
        Q(status=Job.Status.RUNNING)
        & (Q(heartbeat_at__lt=_stale_before(now)) | Q(heartbeat_at__isnull=True))
    )
    restarted = (
        Job.objects.filter(pk=job.pk)
        .filter(stalled)
        .update(
            status=Job.Status.QUEUED,
            attempts=0,
            progress=0,
            result={},
            heartbeat_at=now,
            message=gettext("Started again; waiting for a worker."),
        )
    )
    if not restarted:
        raise ApplicationError(
            gettext("This job is not stalled: it is still running or has ended.")
        )
    transaction.on_commit(lambda: _send(job.pk, job.task, job.arguments))
    job.refresh_from_db()
    return job


_GIVEN_UP = gettext_lazy("This job stopped: the worker running it stopped and it was not finished.")
_AGAIN = gettext_lazy("The worker running this job stopped; it will start again shortly.")


def _recovered_mark(rows: list[tuple[Any, ...]], *, message: Promise, **fields: Any) -> None:
    """Write `fields` and `message` on the jobs of `rows` (pk, attempts, task, arguments): one
    UPDATE for each language their starters used, the message in that language."""
    by_language: dict[str, list[int]] = {}
    for pk, _attempts, _task, arguments in rows:
        by_language.setdefault(_language_of(arguments), []).append(pk)
    for language, pks in by_language.items():
        with translation.override(language):
            Job.objects.filter(pk__in=pks).update(message=str(message), **fields)


@transaction.atomic
def jobs_recover() -> dict[str, int]:
    """Send again every job whose worker died (its heartbeat older than JOB_STALL_SECONDS); one
    that has started JOB_MAX_ATTEMPTS times already fails as stalled. Three queries, whatever
    the number of jobs. Rows are locked while this decides, and a worker's claim waits for it."""
    now = timezone.now()
    stale = (
        Job.objects.select_for_update(skip_locked=True)
        .filter(status=Job.Status.RUNNING)
        .filter(Q(heartbeat_at__lt=_stale_before(now)) | Q(heartbeat_at__isnull=True))
        .filter(Q(heartbeat_at__isnull=False) | Q(updated_at__lt=_stale_before(now)))
    )
    rows = list(stale.values_list("pk", "attempts", "task", "arguments"))
    again = [row for row in rows if row[2] and row[1] < settings.JOB_MAX_ATTEMPTS]
    given_up = [row for row in rows if row not in again]
    _recovered_mark(given_up, status=Job.Status.FAILED, result={STALLED: True}, message=_GIVEN_UP)
    _recovered_mark(again, status=Job.Status.QUEUED, heartbeat_at=now, message=_AGAIN)
    for pk, _attempts, task, arguments in again:
        transaction.on_commit(partial(_send, pk, task, arguments))
    if rows:
        logger.warning("Jobs recovered: %s sent again, %s stalled", len(again), len(given_up))
    return {"sent_again": len(again), "stalled": len(given_up)}


# ---------------------------------------------------------------------------------------------
# Running a job: the claim, the heartbeat, the end.


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat and latest progress from its own connection, so that both are
    seen while the task's own transaction is still open (an import is all or nothing)."""

    def __init__(self, job_id: int, attempt: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.attempt = job_id, attempt
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: tuple[int, str] | None = None
        self._stopping = False

    def report(self, percent: int, message: str) -> None:
        with self._lock:
            self._pending = (percent, message)
        self._wake.set()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
        self._wake.set()
        self.join(timeout=30)

    def run(self) -> None:
        try:
            while True:
                self._wake.wait(heartbeat_seconds())
                self._wake.clear()
                with self._lock:
                    pending, self._pending = self._pending, None
                    if self._stopping:
                        return
                self._beat(pending)
        finally:
            connection.close()  # this thread's own connection

    def _beat(self, pending: tuple[int, str] | None) -> None:
        try:
            if pending is None:
                _running(self.job_id, self.attempt).update(heartbeat_at=timezone.now())
            else:
                job_progress(
                    job_id=self.job_id,
                    progress=pending[0],
                    message=pending[1],
                    attempt=self.attempt,
                )
        except DatabaseError:  # the next beat tries again with a fresh connection
            logger.exception("Job %s: the heartbeat could not be written", self.job_id)
            connection.close()
            if pending is not None:
                with self._lock:  # the progress not written goes with it, unless newer came
                    self._pending = self._pending or pending


class JobRun:
    """A claimed job, as its task sees it: report progress, then finish or fail."""

    def __init__(self, job: Job, heartbeat: _Heartbeat | None) -> None:
        self.job = job
        self.job_id = job.pk
        self.attempt = job.attempts
        self._heartbeat = heartbeat
        self.ended = False

    def progress(self, percent: int, message: str = "") -> None:
        if self._heartbeat is not None:
            self._heartbeat.report(percent, message)
        else:
            job_progress(
                job_id=self.job_id, progress=percent, message=message, attempt=self.attempt
            )

    def _end(self) -> None:
        self.ended = True
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None

    def finish(self, *, result: dict[str, object], message: str) -> None:
        self._end()
        job_finish(job_id=self.job_id, result=result, message=message, attempt=self.attempt)

    def fail(self, *, message: str, result: dict[str, object] | None = None) -> None:
        self._end()
        job_fail(job_id=self.job_id, message=message, result=result, attempt=self.attempt)


def _on_worker() -> bool:
    from celery import current_task

    # current_task is a proxy: false outside a task.
    return bool(current_task) and not current_task.request.is_eager


@contextmanager
def job_running(
    *,
    job_id: int,
    failure: str | Promise = FAILURE,
    heartbeat: bool | None = None,
) -> Iterator[JobRun | None]:
    """Claim the job and run the block with it, or give None when the job is not to run here
    (finished, or alive on another worker): the task then returns without doing anything.

    On a worker (not in-process) a heartbeat thread runs alongside; `heartbeat` forces it on or
    off. An exception fails the job with `failure` and the error, and is raised again. The block
    runs in the language of the person who started the job (give `failure` lazily marked)."""
    job = job_claim(job_id=job_id)
    if job is None:
        logger.info("Job %s is finished or running elsewhere: this message is ignored.", job_id)
        yield None
        return
    beat = None
    if heartbeat if heartbeat is not None else _on_worker():
        beat = _Heartbeat(job.pk, job.attempts)
        beat.start()
    run = JobRun(job, beat)
    with translation.override(job_language(job)):
        if job.message != str(STARTED):  # the claim wrote it in the worker's language
            job.message = str(STARTED)
            _running(job.pk, job.attempts).update(message=job.message)
        try:
            yield run
        except Exception as exc:
            if not run.ended:
                run.fail(message=f"{failure}: {exc}")
            raise
        finally:
            run._end()
