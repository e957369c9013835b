"""The uploads waiting for their import job, in JOB_UPLOADS_DIR: kept, found, deleted, and
cleaned up when a job left one behind."""

from __future__ import annotations

import logging
import os
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.models import Job

logger = logging.getLogger(__name__)

_UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.(?:xlsx|csv)$")
# What a kept upload may be: a workbook, or a list (case list, invitation list) as CSV.
SUFFIXES = (".xlsx", ".csv")
CHUNK = 1024 * 1024
# An upload no live job names is deleted once it is this old: a fresh one may be waiting for
# the transaction that records its job to commit.
KEPT_FOR = timedelta(days=1)


def uploads_dir() -> Path:
    return Path(settings.JOB_UPLOADS_DIR)


def upload_path(name: str) -> Path:
    """The upload's file, from the name a job recorded (nothing outside the folder)."""
    if not _UPLOAD_NAME.match(name):
        raise ApplicationError("The uploaded file's name is not one this platform gave.")
    return uploads_dir() / name


def upload_save(file: IO[bytes], *, suffix: str = ".xlsx") -> str:
    """Keep an uploaded file (a workbook, or a list as CSV: `suffix`) until its job ends;
    returns the name its job records."""
    if suffix not in SUFFIXES:
        raise ValueError(f"An upload is kept as one of {', '.join(SUFFIXES)}, not {suffix!r}.")
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}{suffix}"
    if hasattr(file, "seek"):
        file.seek(0)
    with (folder / name).open("xb") as out:
        while chunk := file.read(CHUNK):
            out.write(chunk)
    return name


def upload_delete(name: str) -> None:
    upload_path(name).unlink(missing_ok=True)


def upload_discard(name: str) -> None:
    """Delete an upload kept for a page's next step (a case list between its upload and its
    draw), unless a job still queued or running reads it: that job deletes it when it ends."""
    if name not in _names_of_live_jobs():
        upload_delete(name)


def _names_of_live_jobs() -> set[str]:
    """The uploads that jobs still queued or running (a stalled one among them, until recovery
    gives it up) may yet read."""
    arguments = Job.objects.filter(
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING), arguments__has_key="upload"
    ).values_list("arguments", flat=True)
    return {str(args.get("upload")) for args in arguments}


def uploads_clean(*, now: datetime | None = None) -> int:
    """Delete the uploads left behind, older than KEPT_FOR: those whose job has ended (finished,
    failed, or stalled for good) and those no job names. How many files were deleted.

    A job ending deletes its own upload; what is left is a job's whose worker died for good, or
    an upload whose job was never recorded. "Start again" on a job whose upload was deleted ends
    the job with a message to upload the workbook again."""
    folder = uploads_dir()
    if not folder.is_dir():
        return 0
    before = (now or timezone.now()).timestamp() - KEPT_FOR.total_seconds()
    live = _names_of_live_jobs()
    deleted = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in live or not (entry.is_file() or entry.is_symlink()):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= before:
                continue
            Path(entry.path).unlink(missing_ok=True)
            deleted += 1
    if deleted:
        logger.info("Job uploads cleaned: %s left behind by ended jobs deleted", deleted)
    return deleted
