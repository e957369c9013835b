"""A responses workbook imported through the page, as a job."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from scrutiny.imports.running import import_run, import_starter
from scrutiny.imports.uploads import upload_save
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Instrument, Job, User

RESPONSES_IMPORT = "responses import"


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
    user = import_starter(run)

    def work(path: Path) -> tuple[dict[str, object], str]:
        result = responses_import(
            instrument=instrument,
            file=path,
            user=user,
            progress=lambda percent: run.progress(
                max(1, min(95, percent)), f"Reading and checking the rows: {percent}% read."
            ),
        )
        counts: dict[str, object] = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        return counts, f"Responses imported to {instrument.code}: {result}."

    back = {"scrutiny": instrument.scrutiny.slug, "instrument": instrument.pk}
    import_run(run=run, upload=upload, back=back, work=work)
