"""The archive's data of record: each carried model's rows of the partnership as
`data/<app_label>.<model>.json`, written by Django's serializer with primary keys kept.

Each member is a JSON array in Django's fixture layout, one row a line, written a chunk of rows
at a time so that memory stays flat however many answers there are; the restore reads it back
the same way. On the way out (in memory only: nothing stored is changed), what must not leave
the installation is taken out:

- a person's password hash, groups and permissions are not written at all (the restore gives
  each person an unusable password, so that they set a new one by "Forgotten your password?");
- an invitation's link token hash and salt, and an open draft's resume key hash, are replaced
  by random values that match no link ever sent: no link of an email or a browser's cookie
  opens anything on the installation the archive is restored into;
- a reference to an account the archive does not carry (a platform operator's, of no
  partnership) is emptied: the trail keeps the actor's name in its own words;
- a job not finished when the archive was written is restored as failed, saying so, so that
  nothing starts running again on its own after the restore.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any
from zipfile import ZipFile

from django.core import serializers
from django.db.models import Model

from scrutiny.archive.members import CountingWriter, ExactJSONEncoder, Member, data_member
from scrutiny.archive.scope import carried_models, carried_rows, model_label
from scrutiny.models import Job, User

ROWS_CHUNK = 2000
# Fields never written, by model.
OMITTED: dict[str, tuple[str, ...]] = {
    "scrutiny.user": ("password", "groups", "user_permissions"),
}
UNFINISHED_JOB = (
    "Not finished when the partnership's archive was written: start it again if it is needed."
)


def _random_hash() -> str:
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def _invitation_scrub(row: Any) -> None:
    row.token_sha256 = _random_hash()
    row.token_salt = secrets.token_urlsafe(16)


def _draft_scrub(row: Any) -> None:
    row.key_sha256 = _random_hash()


def _job_scrub(row: Any) -> None:
    if not row.is_finished:
        row.status = Job.Status.FAILED
        row.message = UNFINISHED_JOB


SCRUBS: dict[str, Callable[[Any], None]] = {
    "surveys.invitation": _invitation_scrub,
    "surveys.opendraft": _draft_scrub,
    "scrutiny.job": _job_scrub,
}


def _fields(model: type[Model]) -> list[str] | None:
    omitted = OMITTED.get(model_label(model))
    if not omitted:
        return None
    meta = model._meta
    return [f.name for f in [*meta.local_fields, *meta.many_to_many] if f.name not in omitted]


def _person_fields(model: type[Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is User and f.null
    ]


def _chunks(rows: Iterator[Model]) -> Iterator[list[Model]]:
    while chunk := list(islice(rows, ROWS_CHUNK)):
        yield chunk


def data_write(archive: ZipFile, *, partnership_id: int) -> list[Member]:
    """Writes every carried model's member, in the order a restore loads them."""
    people = set(carried_rows(User, partnership_id).values_list("pk", flat=True))
    return [
        _model_write(archive, model, partnership_id=partnership_id, people=people)
        for model in carried_models()
    ]


def _model_write(
    archive: ZipFile, model: type[Model], *, partnership_id: int, people: set[int]
) -> Member:
    label = model_label(model)
    member = Member(name=data_member(label), kind="data", model=label, rows=0)
    fields = _fields(model)
    queryset = carried_rows(model, partnership_id)
    many = [
        f.name
        for f in model._meta.many_to_many
        if fields is None or f.name in fields  # omitted ones are not read either
    ]
    if many:
        queryset = queryset.prefetch_related(*many)
    scrub = SCRUBS.get(label)
    person_fields = _person_fields(model)
    serializer = serializers.get_serializer("python")()
    with archive.open(member.name, "w", force_zip64=True) as target:
        writer = CountingWriter(target)
        writer.write(b"[")
        for chunk in _chunks(queryset.iterator(chunk_size=ROWS_CHUNK)):
            for row in chunk:
                for name in person_fields:
                    if getattr(row, name) is not None and getattr(row, name) not in people:
                        setattr(row, name, None)
                if scrub is not None:
                    scrub(row)
            for item in serializer.serialize(chunk, fields=fields):
                line = json.dumps(item, cls=ExactJSONEncoder, ensure_ascii=False)
                writer.write((b"\n" if member.rows == 0 else b",\n") + line.encode())
                member.rows = (member.rows or 0) + 1
        writer.write(b"\n]\n")
    member.sha256, member.bytes = writer.digest.hexdigest(), writer.size
    return member
