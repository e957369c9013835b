"""The archive's human-readable copies, for people leaving with their history: the workbooks
the platform writes anyway (each scrutiny's workbook, each instrument's workbook for every
version, the responses to each version, the delivery plan) under `workbooks/`, and the stored
files (event packs, publications' PDFs, action evidence documents) under `files/`, as they are
in MEDIA_ROOT. The JSON of `data/` is the data of record; a restore reads the copies of
`files/` and nothing else here."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any
from zipfile import ZipFile

from django.core.files.storage import default_storage
from django.db.models import FileField

from scrutiny.archive.members import FILES_FOLDER, WORKBOOKS_FOLDER, Member, member_write
from scrutiny.archive.scope import carried_models, carried_rows
from scrutiny.errors import ApplicationError
from scrutiny.instruments import definition_from_version
from scrutiny.models import Action, InstrumentVersion, Partnership, Response, Scrutiny
from scrutiny.packs.plan import render_plan_xlsx
from scrutiny.plan.selectors import plan_rows
from scrutiny.workbooks import instrument_to_workbook, responses_to_workbook, scrutiny_to_workbook

Render = Callable[[IO[bytes]], Any]


class Copies:
    """The copies written so far, and those that could not be, with why."""

    def __init__(self, archive: ZipFile) -> None:
        self.archive = archive
        self.members: list[Member] = []
        self.skipped: list[dict[str, str]] = []

    def workbook(self, name: str, render: Render) -> None:
        name = f"{WORKBOOKS_FOLDER}{name}"
        with tempfile.TemporaryFile() as spool:
            try:
                render(spool)
            except ApplicationError as exc:
                self.skipped.append({"name": name, "reason": str(exc)})
                return
            spool.seek(0)
            self.members.append(member_write(self.archive, Member(name, "workbook"), spool))

    def stored_file(self, name: str) -> None:
        if not default_storage.exists(name):
            self.skipped.append({"name": f"{FILES_FOLDER}{name}", "reason": "not in storage"})
            return
        with default_storage.open(name, "rb") as source:
            member = Member(f"{FILES_FOLDER}{name}", "file")
            self.members.append(member_write(self.archive, member, source))


def copies_write(archive: ZipFile, *, partnership: Partnership) -> Copies:
    copies = Copies(archive)
    copies.workbook(
        "delivery-plan.xlsx",
        lambda out: render_plan_xlsx(
            plan_rows(Action.objects.filter(partnership=partnership)),
            title=partnership.name,
            key=partnership.brag_key,
            out=out,
        ),
    )
    for scrutiny in Scrutiny.objects.filter(partnership=partnership).order_by("slug"):
        _scrutiny_copies(copies, scrutiny)
    for name in _stored_names(partnership.pk):
        copies.stored_file(name)
    return copies


def _scrutiny_copies(copies: Copies, scrutiny: Scrutiny) -> None:
    folder = f"{scrutiny.slug}/"
    copies.workbook(f"{folder}scrutiny.xlsx", lambda out: scrutiny_to_workbook(scrutiny).save(out))
    versions = (
        InstrumentVersion.objects.filter(instrument__scrutiny=scrutiny)
        .select_related("instrument")
        .order_by("instrument__code", "number")
    )
    answered = set(
        Response.objects.filter(scrutiny=scrutiny, status=Response.Status.SUBMITTED)
        .values_list("version_id", flat=True)
        .distinct()
    )
    for version in versions:
        name = f"{version.instrument.code}-v{version.number}.xlsx"
        copies.workbook(f"{folder}instruments/{name}", functools.partial(_instrument, version))
        if version.pk in answered:
            copies.workbook(f"{folder}responses/{name}", functools.partial(_responses, version))


def _instrument(version: InstrumentVersion, out: IO[bytes]) -> None:
    instrument_to_workbook(definition_from_version(version)).save(out)


def _responses(version: InstrumentVersion, out: IO[bytes]) -> None:
    responses_to_workbook(version.instrument, version=version).save(out)


def _stored_names(partnership_id: int) -> Iterator[str]:
    """The names of every stored file the partnership's carried rows point to."""
    for model in carried_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]
        if not names:
            continue
        for values in carried_rows(model, partnership_id).values_list(*names).iterator():
            yield from (name for name in values if name)
