"""`archive_import`: a partnership's archive restored into an empty installation.

All is checked first (scrutiny.archive.checking) and the installation must hold none of the
tables the archive carries; then every table is loaded in dependency order in one transaction,
primary keys kept, as raw saves (no model's `save`, and signal handlers that honour `raw`
record no trail entry and send no email); database sequences are moved past the restored ids;
the stored files go back into MEDIA_ROOT. Any failure changes nothing: the transaction is
rolled back and the files written so far are removed.

Each person comes back with an unusable password (the archive carries none): they set a new
one with "Forgotten your password?", and set up their second factor again.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import ZipFile

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from scrutiny.archive.checking import archive_open, manifest_read, members_check
from scrutiny.archive.members import CHUNK, FILES_FOLDER, data_member
from scrutiny.archive.scope import carried_models, model_label
from scrutiny.errors import ApplicationError
from scrutiny.models import Partnership, User
from scrutiny.trail import trail_record


@dataclass
class RestoreSummary:
    partnership: str
    rows: int
    files: int


def archive_import(*, path: Path) -> RestoreSummary:
    with archive_open(path) as archive:
        manifest = manifest_read(archive)
        members = members_check(archive, manifest)
        installation_empty_check()
        files = [entry["name"] for entry in members if entry["name"].startswith(FILES_FOLDER)]
        targets = _file_targets(files)
        written: list[Path] = []
        try:
            with transaction.atomic():
                rows = _data_load(archive)
                _sequences_reset()
                for name, target in zip(files, targets, strict=True):
                    _file_restore(archive, name, target, written)
                trail_record(
                    action="archive_restored",
                    partnership=Partnership.objects.filter(
                        slug=(manifest.get("partnership") or {}).get("slug", "")
                    ).first(),
                    detail=f"Restored from an archive of {manifest.get('created_at', '')}: "
                    f"{rows:,} rows, {len(files)} stored files.",
                )
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    partnership = manifest.get("partnership") or {}
    return RestoreSummary(
        partnership=str(partnership.get("name", "")), rows=rows, files=len(written)
    )


def installation_empty_check() -> None:
    held = [
        f"{model._default_manager.count()} {model._meta.verbose_name_plural}"
        for model in carried_models()
        if model._default_manager.exists()
    ]
    if held:
        raise ApplicationError(
            "This installation is not empty: it already holds "
            f"{', '.join(held[:4])}{' and more' if len(held) > 4 else ''}. An archive is "
            "restored only into an empty installation: make a new database, run `manage.py "
            "migrate`, and run `manage.py archive import` again. Nothing was changed."
        )


def _file_targets(names: list[str]) -> list[Path]:
    root = Path(settings.MEDIA_ROOT).resolve()
    targets = [(root / name.removeprefix(FILES_FOLDER)).resolve() for name in names]
    for name, target in zip(names, targets, strict=True):
        if root not in target.parents:
            raise ApplicationError(f"The archive's {name} would be written outside MEDIA_ROOT.")
        if target.exists():
            raise ApplicationError(
                f"MEDIA_ROOT already has a file {target.relative_to(root)}, which the archive "
                "would restore: an archive is restored only into an empty installation. Move "
                "MEDIA_ROOT's files away and run this again. Nothing was changed."
            )
    return targets


def _rows(archive: ZipFile, name: str) -> Iterator[dict[str, Any]]:
    """A data member's rows, one a line as `archive_export` writes them (a JSON array written
    otherwise is read whole)."""
    with archive.open(name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        first = text.readline()
        if first.strip() != "[":
            yield from json.loads(first + text.read())
            return
        for line in text:
            line = line.strip().removesuffix(",")
            if line and line != "]":
                yield json.loads(line)


def _data_load(archive: ZipFile) -> int:
    rows = 0
    for model in carried_models():
        name = data_member(model_label(model))
        try:
            for item in serializers.deserialize("python", _rows(archive, name)):
                if not isinstance(item.object, model):
                    raise DeserializationError(f"a row of {item.object._meta.label_lower}")
                if isinstance(item.object, User):
                    item.object.set_unusable_password()
                item.save()
                rows += 1
        except (DeserializationError, ValueError, DatabaseError) as exc:
            raise ApplicationError(
                f"{name} in the archive could not be restored ({exc}). Nothing was changed."
            ) from exc
    try:
        connection.check_constraints()
    except DatabaseError as exc:
        raise ApplicationError(
            f"The archive's data does not hold together ({exc}). Nothing was changed."
        ) from exc
    return rows


def _sequences_reset() -> None:
    """New rows get ids after the restored ones (PostgreSQL's sequences; SQLite needs none)."""
    models: list[type[Model]] = carried_models()
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _file_restore(archive: ZipFile, name: str, target: Path, written: list[Path]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(name) as source, target.open("xb") as out:
        written.append(target)
        shutil.copyfileobj(source, out, CHUNK)
