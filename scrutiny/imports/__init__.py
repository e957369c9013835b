"""Workbook imports from the pages, run as jobs: the upload kept in a private folder, the import
run by a worker with its progress on the job's page, and the upload deleted when the job ends.

Three imports of the core run this way: a scrutiny workbook, an instrument workbook and a
responses workbook. Each page checks permission, keeps the upload (`upload_save`) and starts a job
(`*_import_start`); the job's task calls `*_import_run`, which imports all or nothing and ends
the job with what was made or every problem found (`running.import_run`). The apps' imports run
the same way (audits.imports: a sample drawn from a case list; surveys.imports: an invitation
list), their job page's heading declared by their AppConfig (`kinds.app_import_headings`) and
its links carried by the job's result.

The folder (JOB_UPLOADS_DIR) is never served; web and workers must share it (it is under
MEDIA_ROOT by default, which docker-compose.yml mounts in both). A job keeps its upload while it
may still run: a worker that dies mid-import leaves it for the next attempt, and a stalled job
keeps it for "Start again" until `uploads_clean` (celery beat, daily) deletes what no live job
needs once it is a day old.
"""

from __future__ import annotations

from scrutiny.imports.kinds import app_import_headings
from scrutiny.imports.responses import (
    RESPONSES_IMPORT,
    responses_import_run,
    responses_import_start,
)
from scrutiny.imports.running import import_run, starter_checked
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
    upload_discard,
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
    "app_import_headings",
    "import_run",
    "instrument_import_run",
    "instrument_import_start",
    "responses_import_run",
    "responses_import_start",
    "scrutiny_import_run",
    "scrutiny_import_start",
    "starter_checked",
    "upload_delete",
    "upload_discard",
    "upload_path",
    "upload_save",
    "uploads_clean",
    "uploads_dir",
]
