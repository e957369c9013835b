"""Workbook imports from the pages, run as jobs: the upload kept in a private folder, the import
run by a worker with its progress on the job's page, and the upload deleted when the job ends.

Three imports run this way: a scrutiny workbook, an instrument workbook and a responses workbook.
Each page checks permission, keeps the upload (`upload_save`) and starts a job
(`*_import_start`); the job's task calls `*_import_run`, which imports all or nothing and ends
the job with what was made or every problem found (`running.import_run`).

The folder (JOB_UPLOADS_DIR) is never served; web and workers must share it (it is under
MEDIA_ROOT by default, which docker-compose.yml mounts in both). A job keeps its upload while it
may still run: a worker that dies mid-import leaves it for the next attempt, and a stalled job
keeps it for "Start again" until `uploads_clean` (celery beat, daily) deletes what no live job
needs once it is a day old.
"""

from __future__ import annotations

from scrutiny.imports.responses import (
    RESPONSES_IMPORT,
    responses_import_run,
    responses_import_start,
)
from scrutiny.imports.setup import (
    INSTRUMENT_IMPORT,
    SCRUTINY_IMPORT,
    instrument_import_run,
    instrument_import_start,
    scrutiny_import_run,
    scrutiny_import_start,
)
from scrutiny.imports.uploads import (
    CHUNK,
    upload_delete,
    upload_path,
    upload_save,
    uploads_clean,
    uploads_dir,
)

# The kinds of job that are imports, as the job's page names them.
IMPORT_KINDS = (RESPONSES_IMPORT, INSTRUMENT_IMPORT, SCRUTINY_IMPORT)

__all__ = [
    "CHUNK",
    "IMPORT_KINDS",
    "INSTRUMENT_IMPORT",
    "RESPONSES_IMPORT",
    "SCRUTINY_IMPORT",
    "instrument_import_run",
    "instrument_import_start",
    "responses_import_run",
    "responses_import_start",
    "scrutiny_import_run",
    "scrutiny_import_start",
    "upload_delete",
    "upload_path",
    "upload_save",
    "uploads_clean",
    "uploads_dir",
]
