"""Workbook imports from the pages, run as jobs: the upload kept in a private folder, the import
run by a worker with its progress on the job's page, and the upload deleted when the job ends.

The folder (JOB_UPLOADS_DIR) is never served; web and workers must share it (it is under
MEDIA_ROOT by default, which docker-compose.yml mounts in both). A job keeps its upload while it
may still run: a worker that dies mid-import leaves it for the next attempt, and a stalled job
keeps it for "Start again".
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import IO

from django.conf import settings

from scrutiny.errors import ApplicationError
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Instrument, Job, User

RESPONSES_IMPORT = "responses import"
_UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.xlsx$")
CHUNK = 1024 * 1024


def uploads_dir() -> Path:
    return Path(settings.JOB_UPLOADS_DIR)


def upload_path(name: str) -> Path:
    """The upload's file, from the name a job recorded (nothing outside the folder)."""
    if not _UPLOAD_NAME.match(name):
        raise ApplicationError("The uploaded workbook's name is not one this platform gave.")
    return uploads_dir() / name


def upload_save(file: IO[bytes]) -> str:
    """Keep an uploaded workbook until its job ends; returns the name its job records."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{uuid.uuid4().hex}.xlsx"
    if hasattr(file, "seek"):
        file.seek(0)
    with (folder / name).open("xb") as out:
        while chunk := file.read(CHUNK):
            out.write(chunk)
    return name


def upload_delete(name: str) -> None:
    upload_path(name).unlink(missing_ok=True)


def responses_import_start(*, instrument: Instrument, file: IO[bytes], user: User) -> Job:
    """Keep the workbook and queue its import into the instrument's current version."""
    name = upload_save(file)
    return job_enqueue(
        kind=RESPONSES_IMPORT,
        user=user,
        task="scrutiny.tasks.responses_import",
        arguments={"instrument_id": instrument.pk, "upload": name},
    )


def responses_import_run(*, run: JobRun, instrument_id: int, upload: str) -> None:
    """The job's work: import the kept workbook, all or nothing, reporting the rows read; the
    job ends with the counts, or with every problem (sheet, row, column) the import found."""
    from scrutiny.workbooks import responses_import

    instrument = Instrument.objects.select_related("scrutiny").get(pk=instrument_id)
    starter = run.job.created_by_id
    user = User.objects.filter(pk=starter).first() if starter is not None else None
    back = {"scrutiny": instrument.scrutiny.slug, "instrument": instrument.pk}
    try:
        run.progress(1, "Opening the workbook.")
        result = responses_import(
            instrument=instrument,
            file=upload_path(upload),
            user=user,
            progress=lambda percent: run.progress(
                max(1, min(95, percent)), f"Reading and checking the rows: {percent}% read."
            ),
        )
    except ApplicationError as exc:
        run.fail(
            message=exc.message.splitlines()[0],
            result={
                **back,
                "problems": exc.extra.get("problems", []),
                "error_count": exc.extra.get("error_count", 0),
            },
        )
    else:
        run.finish(
            result={
                **back,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
            message=f"Responses imported to {instrument.code}: {result}.",
        )
    finally:
        # Only a job that ended gets here (a worker killed mid-import never does): the upload
        # is no longer needed, whether the job finished, found problems or failed.
        upload_delete(upload)
