"""Building and storing an event pack (`pack_build`), from the page (a celery task with its
progress in a Job), the API and `manage.py event_pack` alike."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO

from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone, translation
from django.utils.translation import gettext

from scrutiny.disclosure import Redactor
from scrutiny.jobs import job_enqueue
from scrutiny.models import EventPack, Scrutiny, User
from scrutiny.packs.data import PackData, pack_data
from scrutiny.packs.pdf import render_pdf_parts
from scrutiny.packs.responses import comment_rows, response_sheets
from scrutiny.packs.words import document_languages, partnership_language
from scrutiny.packs.xlsx import render_xlsx

Progress = Callable[[int, str], None]


def pack_files(
    *,
    scrutiny: Scrutiny,
    pdf: IO[bytes] | None = None,
    xlsx: IO[bytes] | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> str:
    """Write the pack's PDF and workbook (either or both) into the files given, from the data
    as it is now; returns the data version (of the pack's first language). The workbook streams
    into its file, so its memory does not grow with the number of responses.

    `language`: "en", "cy" or "both" (Welsh then English), by default the partnership's
    (`scrutiny.packs.words.partnership_language`). Built inside `translation.override`, so the
    calling thread's language is as it was afterwards."""
    progress = progress or (lambda percent, message: None)
    languages = document_languages(language or partnership_language(scrutiny.partnership))
    first = languages[0]
    with translation.override(first):
        progress(5, gettext("Gathering the scores, findings and quotes."))
        data = pack_data(scrutiny=scrutiny)
    if pdf is not None:
        parts = [(first, data), *((other, _data_in(scrutiny, other)) for other in languages[1:])]
        with translation.override(first):
            progress(30, gettext("Writing the PDF."))
        pdf.write(render_pdf_parts(parts, progress=progress))
    if xlsx is not None:
        with translation.override(first):
            progress(70, gettext("Writing the workbook."))
            render_xlsx(
                data,
                out=xlsx,
                comments=comment_rows(scrutiny, Redactor.for_scrutiny(scrutiny)),
                responses=response_sheets(scrutiny),
                progress=progress,
                also=languages[1] if len(languages) > 1 else None,
            )
    return data.version


def _data_in(scrutiny: Scrutiny, language: str) -> PackData:
    with translation.override(language):
        return pack_data(scrutiny=scrutiny)


def pack_start(*, scrutiny: Scrutiny, user: User, language: str | None = None) -> EventPack:
    """Queue a pack to be built by a celery task (after the transaction commits), in
    `language` ("en", "cy" or "both"; by default the partnership's)."""
    with transaction.atomic():
        pack = EventPack.objects.create(scrutiny=scrutiny, built_by=user)
        pack.job = job_enqueue(
            kind="event pack",
            user=user,
            task="scrutiny.tasks.event_pack_build",
            arguments={"pack_id": pack.pk, **({"language": language} if language else {})},
        )
        pack.save(update_fields=["job"])
    return pack


def pack_build(
    *, pack: EventPack, progress: Progress | None = None, language: str | None = None
) -> EventPack:
    """Build both files of a queued pack and store them with the time and the data version.

    Safe to run twice (a job started again after its worker died): the files are written to
    temporary files first, and a pack's stored files are replaced, never added to. In
    `language`, by default the partnership's."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"{pack.scrutiny.slug}-event-pack-{stamp}"
    with tempfile.TemporaryFile() as pdf, tempfile.TemporaryFile() as xlsx:
        version = pack_files(
            scrutiny=pack.scrutiny, pdf=pdf, xlsx=xlsx, progress=progress, language=language
        )
        for stored in (pack.pdf, pack.xlsx):
            if stored:
                stored.delete(save=False)
        pack.pdf.save(f"{name}.pdf", File(pdf), save=False)
        pack.xlsx.save(f"{name}.xlsx", File(xlsx), save=False)
    pack.data_version = version
    pack.built_at = timezone.now()
    pack.save()
    return pack


def pack_download(pack: EventPack, kind: str) -> FileResponse:
    """One of a pack's files as a download (pages and API alike); 404 for a file it has not
    got (yet)."""
    file = {"pdf": pack.pdf, "xlsx": pack.xlsx}.get(kind)
    if not file:
        raise Http404("That pack has no such file (it may still be building).")
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])
