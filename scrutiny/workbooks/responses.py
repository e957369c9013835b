"""The responses workbook (WORKBOOKS.md §3): one row a submitted response.

Rows are read as a stream and written through `evidence.ResponseWriter` in batches, inside one
transaction: any error anywhere rolls everything back, and every error found is reported (the
first fifty listed) with its sheet, row and column.

Identity, so that importing the same workbook twice changes nothing:

- a row with a `ref` is that response: a ref imported before updates it (or, unchanged, is
  skipped);
- a row without a ref gets one from what it holds: `row-<16 hex digits of the SHA-256 of its
  values>-<k>`, where k counts identical rows (1 for the first, 2 for its twin, ...). The same
  workbook gives the same refs, so it is recognised; a corrected row is a new row, so give rows
  your own refs when you will correct and re-import them;
- the export writes each response's ref, and for a response entered on the platform (which has
  none) `response-<id>-<check>`, where the check is a keyed hash of the installation's secret,
  so that re-importing an export recognises those responses and a workbook from another
  installation cannot touch them.

A row without `submitted` keeps the date of the response it updates, or takes the time of the
import, to the second, so that an export of it imports back unchanged.

The sheet's conventions (reserved columns, refs, dates, answers as cells) are in
`scrutiny.workbooks.response_sheet`; reading one row is `scrutiny.workbooks.response_rows`.
Other tools' exports (§5): the file opened, CSV or .xlsx, two-row header or one, in
`returns_files`; which column is which question (by code, text or the map), metadata and
personal-data columns, options by label, in `returns_columns`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from openpyxl.workbook.workbook import Workbook

from scrutiny.evidence import ResponseWriter, answer_values_by_response
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import (
    Agency,
    Area,
    Instrument,
    InstrumentVersion,
    PractitionerRole,
    Response,
    User,
)
from scrutiny.workbooks.opening import WorkbookFile
from scrutiny.workbooks.problems import Problems
from scrutiny.workbooks.response_rows import Lookups, RowImporter
from scrutiny.workbooks.response_sheet import RESERVED, answer_cell, submitted_cell, synthetic_ref
from scrutiny.workbooks.returns_columns import Columns, columns_plan
from scrutiny.workbooks.returns_files import Source, problems_raise_for, source_open
from scrutiny.workbooks.writing import sheet_write

EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        """The counts in words, in the active language (the command's and the job's)."""
        return gettext("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# ---------------------------------------------------------------------------------------------
# Import.


@transaction.atomic
def responses_import(
    *,
    instrument: Instrument,
    file: WorkbookFile,
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Import a responses workbook or CSV (WORKBOOKS.md §3 and §5: another tool's export too)
    as submitted responses to the instrument's current version, all or nothing.

    `mapping` names columns that match no question: header as written → question code, or
    "-" to ignore the column (the `--map FILE` of import_responses, the import page's choices).

    `progress`, when given, is called with the per cent of rows read (0 to 100) as the import
    goes. The number of queries grows with the rows only by ResponseWriter's batches.
    """
    compiled = version_compile(instrument_current_version(instrument))
    partnership_id = (
        Instrument.objects.filter(pk=instrument.pk).values_list("scrutiny__partnership", flat=True)
    ).get()
    lookups = Lookups(
        agency=dict(Agency.objects.filter(partnership_id=partnership_id).values_list("code", "pk")),
        area=dict(Area.objects.filter(partnership_id=partnership_id).values_list("code", "pk")),
        role=dict(
            PractitionerRole.objects.filter(partnership_id=partnership_id).values_list("code", "pk")
        ),
    )
    problems = Problems()
    with source_open(file, problems=problems) as source:
        if source is None:
            problems_raise_for(source, problems)
            raise AssertionError("unreachable")  # pragma: no cover
        columns = columns_plan(source, compiled, problems, mapping)
        problems_raise_for(source, problems)
        # Each batch is written while the next rows are read and checked (ResponseWriter).
        with ResponseWriter(
            compiled=compiled, channel=Response.Channel.WORKBOOK, user=user
        ) as writer:
            importer = RowImporter(
                compiled=compiled,
                sheet=source,
                columns=columns,
                lookups=lookups,
                writer=writer,
                problems=problems,
            )
            for number, values in _with_progress(source, progress):
                importer.row(number, values)
            problems_raise_for(source, problems)
            writer.flush()
    if progress is not None:
        progress(100)
    return ImportResult(writer.created, writer.updated, writer.unchanged)


def responses_columns(
    *, instrument: Instrument, file: WorkbookFile, mapping: dict[str, str] | None = None
) -> Columns:
    """Which column of the file holds what, read from its header alone, for the import page
    to offer a map for the columns that match nothing (`Columns.unmatched`) and to say which
    personal-data columns will be dropped (`Columns.dropped`). An ApplicationError when the
    file cannot be read or has no usable header."""
    compiled = version_compile(instrument_current_version(instrument))
    problems = Problems()
    with source_open(file, problems=problems) as source:
        if source is None:
            problems_raise_for(source, problems)
            raise AssertionError("unreachable")  # pragma: no cover
        return columns_plan(source, compiled, Problems(), mapping)


def _with_progress(
    sheet: Source, progress: Callable[[int], None] | None
) -> Iterator[tuple[int, list[Any]]]:
    total = sheet.declared_rows or 0
    reported = -1
    for number, values in sheet.rows():
        if progress is not None and total > 1:
            percent = min(99, number * 100 // total)
            if percent > reported:
                reported = percent
                progress(percent)
        yield number, values


# ---------------------------------------------------------------------------------------------
# Export.


def responses_to_workbook(
    instrument: Instrument, *, version: InstrumentVersion | None = None
) -> Workbook:
    """The submitted responses to an instrument's current version (or `version`) as a responses
    workbook that imports back unchanged.

    This is raw evidence, free text unredacted, for the business unit's own round trips: a
    caller must allow it only to those who may see every response. The workbook is write-only
    (rows stream to the file): save it once.
    """
    version = version or instrument_current_version(instrument)
    compiled = version_compile(version)
    questions = list(compiled.questions.values())
    partnership_id = (
        Instrument.objects.filter(pk=instrument.pk).values_list("scrutiny__partnership", flat=True)
    ).get()
    codes = {
        "agency": dict(
            Agency.objects.filter(partnership_id=partnership_id).values_list("pk", "code")
        ),
        "area": dict(Area.objects.filter(partnership_id=partnership_id).values_list("pk", "code")),
        "role": dict(
            PractitionerRole.objects.filter(partnership_id=partnership_id).values_list("pk", "code")
        ),
    }

    def rows() -> Iterator[list[Any]]:
        responses = Response.objects.filter(
            version_id=version.pk, status=Response.Status.SUBMITTED
        ).order_by("pk")
        last = 0
        while True:
            chunk = list(
                responses.filter(pk__gt=last).values_list(
                    "pk", "ref", "agency_id", "area_id", "role_id", "case_ref", "submitted_at"
                )[:EXPORT_CHUNK]
            )
            if not chunk:
                return
            last = chunk[-1][0]
            answers = answer_values_by_response(response_ids=[r[0] for r in chunk])
            for pk, ref, agency_id, area_id, role_id, case_ref, submitted_at in chunk:
                given = answers.get(pk, {})
                row: list[Any] = [
                    ref or synthetic_ref(pk, instrument.pk),
                    codes["agency"].get(agency_id),
                    codes["area"].get(area_id),
                    codes["role"].get(role_id),
                    case_ref,
                    submitted_cell(submitted_at),
                ]
                for question in questions:
                    row.append(answer_cell(question, given.get(question.code)))
                yield row

    workbook = Workbook(write_only=True)
    sheet_write(
        workbook,
        title="responses",
        header=(*RESERVED, *(q.code for q in questions)),
        rows=rows(),
        widths=(26, 10, 10, 10, 14, 20, *(14 for _ in questions)),
    )
    return workbook
