"""A responses file (a workbook or CSV, our layout or another tool's export) imported through
the page or the API, as a job."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from scrutiny.imports.running import import_run, import_starter
from scrutiny.imports.uploads import upload_save
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Instrument, Job, User

RESPONSES_IMPORT = "responses import"
CSV_START = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def upload_suffix(file: IO[bytes]) -> str:
    """How to keep an upload: ".xlsx" for a workbook (a zip) or an old Excel file, which the
    import refuses with advice; ".csv" for anything else, read as CSV text."""
    name = str(getattr(file, "name", "") or "").lower()
    if name.endswith(".csv"):
        return ".csv"
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(8)
    if hasattr(file, "seek"):
        file.seek(0)
    return ".xlsx" if not head or head.startswith(CSV_START) else ".csv"


def responses_import_start(
    *,
    instrument: Instrument,
    file: IO[bytes],
    user: User,
    mapping: dict[str, str] | None = None,
) -> Job:
    """Keep the file and queue its import into the instrument's current version. `mapping`:
    column header as written → question code, or "-" to ignore it (WORKBOOKS.md §5)."""
    name = upload_save(file, suffix=upload_suffix(file))
    return responses_import_queue(instrument=instrument, upload=name, user=user, mapping=mapping)


def responses_import_queue(
    *,
    instrument: Instrument,
    upload: str,
    user: User,
    mapping: dict[str, str] | None = None,
) -> Job:
    """Queue the import of a file already kept (`upload_save`): the import page keeps it
    between showing its columns for a map and the import."""
    arguments: dict[str, object] = {"instrument_id": instrument.pk, "upload": upload}
    if mapping:
        arguments["mapping"] = dict(mapping)
    return job_enqueue(
        kind=RESPONSES_IMPORT,
        user=user,
        task="scrutiny.tasks.responses_import",
        arguments=arguments,
    )


def responses_import_run(
    *,
    run: JobRun,
    instrument_id: int,
    upload: str,
    mapping: dict[str, str] | None = None,
) -> None:
    """The job's work: import the kept file, all or nothing, reporting the rows read; the
    job ends with the counts, or with every problem (sheet, row, column) the import found."""
    from scrutiny.workbooks import responses_import

    instrument = Instrument.objects.select_related("scrutiny").get(pk=instrument_id)
    user = import_starter(run)

    def work(path: Path) -> tuple[dict[str, object], str]:
        result = responses_import(
            instrument=instrument,
            file=path,
            user=user,
            mapping=mapping,
            progress=lambda percent: run.progress(
                max(1, min(95, percent)),
                _("Reading and checking the rows: %(percent)s%% read.") % {"percent": percent},
            ),
        )
        counts: dict[str, object] = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        message = _("Responses imported to %(code)s: %(result)s.")
        return counts, message % {"code": instrument.code, "result": result}

    back = {"scrutiny": instrument.scrutiny.slug, "instrument": instrument.pk}
    what = "file" if upload.endswith(".csv") else "workbook"
    import_run(run=run, upload=upload, back=back, work=work, what=what)
