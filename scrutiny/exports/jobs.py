"""The responses export as a job (docs/jobs.md): started from the instrument's page, written
by a celery task with its progress, and kept, like an event pack's files, in the site's file
storage, downloaded only through a permission-checked page (`responses_export_file`).

An export is kept for KEPT_FOR, then deleted by the next export's job or by the daily
clean-up (`exports_clean`, run by celery beat as `scrutiny.tasks.responses_exports_clean`): it
holds people's words, redacted but still theirs, and a copy is the person's to keep, not ours.
Each export is recorded in the trail (`responses_exported`), whichever way it was made.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.exports.responses import ExportResult, Progress, responses_export
from scrutiny.imports.running import starter_checked
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Instrument, Job, User
from scrutiny.trail import trail_record

EXPORT_KIND = "responses export"
FOLDER = "exports/responses"
KEPT_FOR = timedelta(days=7)
TASK = "scrutiny.tasks.responses_export"


def responses_export_start(*, instrument: Instrument, user: User, fmt: str, labels: bool) -> Job:
    """Queue the export (after the transaction commits; in-process with no broker)."""
    return job_enqueue(
        kind=EXPORT_KIND,
        user=user,
        task=TASK,
        arguments={"instrument_id": instrument.pk, "fmt": fmt, "labels": labels},
    )


def responses_export_record(
    *, instrument: Instrument, user: User | None, result: ExportResult, fmt: str, labels: bool
) -> None:
    trail_record(
        action="responses_exported",
        user=user,
        partnership=instrument.scrutiny.partnership,
        obj=instrument,
        detail=f"{result.rows:,} responses to {instrument.code} as {fmt.upper()}, "
        f"options as {'labels' if labels else 'values'}.",
    )


def responses_export_store(
    *,
    instrument: Instrument,
    user: User | None,
    fmt: str,
    labels: bool,
    progress: Progress | None = None,
) -> tuple[str, ExportResult]:
    """Write the export to a temporary file, then into the site's storage; its stored name."""
    exports_clean()
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"{FOLDER}/{instrument.scrutiny.slug}-{instrument.code}-responses-{stamp}.{fmt}"
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as file:
        result = responses_export(
            instrument=instrument, out=file.name, fmt=fmt, labels=labels, progress=progress
        )
        with open(file.name, "rb") as written:
            stored = default_storage.save(name, File(written))
    responses_export_record(instrument=instrument, user=user, result=result, fmt=fmt, labels=labels)
    return stored, result


def responses_export_run(*, run: JobRun, instrument_id: int, fmt: str, labels: bool) -> None:
    """The job's work: check again that its starter may still export, export, keep the file."""
    instrument = Instrument.objects.select_related("scrutiny__partnership").get(pk=instrument_id)
    back: dict[str, object] = {"scrutiny": instrument.scrutiny.slug, "instrument": instrument.pk}
    try:
        user = starter_checked(
            run,
            partnership_id=instrument.scrutiny.partnership_id,
            may=permissions.can_configure_scrutinies,
            refusal=_("You may no longer export this scrutiny's responses: nothing was exported."),
        )
        stored, result = responses_export_store(
            instrument=instrument, user=user, fmt=fmt, labels=labels, progress=run.progress
        )
    except ApplicationError as exc:
        run.fail(message=exc.message, result={**back, "refused": True})
        return
    run.finish(
        result={**back, "file": stored, "rows": result.rows, "format": fmt, "labels": labels},
        message=ngettext(
            "%(rows)s response exported: the file is ready to download.",
            "%(rows)s responses exported: the file is ready to download.",
            result.rows,
        )
        % {"rows": f"{result.rows:,}"},
    )


def responses_export_file(job: Job, instrument: Instrument) -> str:
    """The stored name of a finished export of the instrument (a job fetched through
    `permissions.access_job_for_user`); an ApplicationError when there is none (any more)."""
    name = job.result.get("file") if job.kind == EXPORT_KIND else None
    if (
        job.status != Job.Status.DONE
        or job.result.get("instrument") != instrument.pk
        or not isinstance(name, str)
        or not default_storage.exists(name)
    ):
        raise ApplicationError(_("That export is not ready, or is no longer kept: export again."))
    return name


def exports_clean(*, now: datetime | None = None) -> int:
    """Delete the exports older than KEPT_FOR; how many were deleted."""
    before = (now or timezone.now()) - KEPT_FOR
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < before:
            default_storage.delete(path)
            deleted += 1
    return deleted
