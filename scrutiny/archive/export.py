"""`archive_export`: the whole partnership as one zip (docs/archive.md), written as it streams."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile

from django.db import connection, transaction
from django.utils import timezone

from scrutiny.archive.copies import copies_write
from scrutiny.archive.data import data_write
from scrutiny.archive.members import MANIFEST, manifest_json
from scrutiny.archive.scope import unclassified_models
from scrutiny.errors import ApplicationError
from scrutiny.models import Partnership
from scrutiny.trail import trail_record


@dataclass
class ExportSummary:
    rows: int
    tables: int
    workbooks: int
    files: int
    not_copied: list[dict[str, str]] = field(default_factory=list)


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """On PostgreSQL every read of the export sees the database as at its start, whatever is
    written meanwhile. (SQLite would take its one write lock for the whole export: there it
    reads as it goes, so run it while the partnership is quiet.)"""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Already in a transaction (a caller's, a test's): its isolation holds, and can no
        # longer be set.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def archive_export(*, partnership: Partnership, out: IO[bytes]) -> ExportSummary:
    """Writes the partnership's archive into `out`. Changes nothing stored."""
    unclassified = unclassified_models()
    if unclassified:
        raise ApplicationError(
            "The archive does not yet say whether to carry these tables: "
            f"{', '.join(unclassified)}. Add each to scrutiny/archive/scope.py, then run this "
            "again."
        )
    created_at = timezone.now()
    with _snapshot(), ZipFile(out, "w", compression=ZIP_DEFLATED) as archive:
        data = data_write(archive, partnership_id=partnership.pk)
        copies = copies_write(archive, partnership=partnership)
        archive.writestr(
            MANIFEST,
            manifest_json(
                partnership={"slug": partnership.slug, "name": partnership.name},
                created_at=created_at,
                members=[*data, *copies.members],
                load_order=[member.model for member in data],
                not_copied=copies.skipped,
            ),
        )
    rows = sum(member.rows or 0 for member in data)
    # After the snapshot (read only), and not in the archive it describes.
    trail_record(
        action="archive_exported",
        partnership=partnership,
        detail=f"The whole partnership written as an archive: {rows:,} rows of {len(data)} tables.",
    )
    return ExportSummary(
        rows=rows,
        tables=len(data),
        workbooks=sum(1 for member in copies.members if member.kind == "workbook"),
        files=sum(1 for member in copies.members if member.kind == "file"),
        not_copied=copies.skipped,
    )
