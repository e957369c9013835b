"""The set-up workbooks imported through the pages, as jobs: a scrutiny workbook (its settings
and success factors) and an instrument workbook (its questions). Both are checked whole and saved
all or nothing; the person who starts one must set up scrutinies, and imports into their own
partnership, when the job starts and again when it runs."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from scrutiny import permissions
from scrutiny.imports.running import import_run, starter_checked
from scrutiny.imports.uploads import upload_save
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Job, Partnership, Scrutiny, User

INSTRUMENT_IMPORT = "instrument import"
SCRUTINY_IMPORT = "scrutiny import"


def _starter_may_configure(run: JobRun, *, partnership_id: int) -> User:
    """The person who started the job may still set up scrutinies, in the partnership the job
    imports into."""
    return starter_checked(
        run,
        partnership_id=partnership_id,
        may=permissions.can_configure_scrutinies,
        refusal=_(
            "The person who uploaded this workbook may no longer set up scrutinies here: "
            "nothing was imported."
        ),
    )


def instrument_import_start(*, scrutiny: Scrutiny, file: IO[bytes], user: User) -> Job:
    """Keep the workbook and queue its import into the scrutiny (a scrutiny the person may
    configure: `permissions.access_scrutiny_to_configure`)."""
    name = upload_save(file)
    return job_enqueue(
        kind=INSTRUMENT_IMPORT,
        user=user,
        task="scrutiny.tasks.instrument_import",
        arguments={"scrutiny_id": scrutiny.pk, "upload": name},
    )


def instrument_import_run(*, run: JobRun, scrutiny_id: int, upload: str) -> None:
    """The job's work: the instrument made or updated (a new version when it has responses),
    or every problem of the workbook with nothing changed."""
    from scrutiny.instrument_builder import save_message
    from scrutiny.workbooks import instrument_import

    scrutiny = Scrutiny.objects.get(pk=scrutiny_id)

    def work(path: Path) -> tuple[dict[str, object], str]:
        _starter_may_configure(run, partnership_id=scrutiny.partnership_id)
        run.progress(10, _("Reading and checking the instrument's questions."))
        saved = instrument_import(scrutiny=scrutiny, file=path)
        result: dict[str, object] = {
            "instrument": saved.instrument.pk,
            "code": saved.instrument.code,
            "version": saved.version.number,
            "outcome": saved.outcome,
        }
        return result, save_message(saved, done=_("Imported"))

    import_run(run=run, upload=upload, back={"scrutiny": scrutiny.slug}, work=work)


def scrutiny_import_start(*, partnership: Partnership, file: IO[bytes], user: User) -> Job:
    """Keep the workbook and queue its import into the person's own partnership."""
    name = upload_save(file)
    return job_enqueue(
        kind=SCRUTINY_IMPORT,
        user=user,
        task="scrutiny.tasks.scrutiny_import",
        arguments={"partnership_id": partnership.pk, "upload": name},
    )


def _scrutiny_message(title: str, *, created: bool, changed: bool) -> str:
    if created:
        return _("Scrutiny “%(title)s” is set up from the workbook.") % {"title": title}
    if changed:
        return _("Scrutiny “%(title)s” is updated from the workbook.") % {"title": title}
    return _("Nothing changed: “%(title)s” already holds this workbook.") % {"title": title}


def scrutiny_import_run(*, run: JobRun, partnership_id: int, upload: str) -> None:
    """The job's work: the scrutiny set up or updated from the workbook, or every problem of
    the workbook with nothing changed."""
    from scrutiny.workbooks import scrutiny_import

    partnership = Partnership.objects.get(pk=partnership_id)

    def work(path: Path) -> tuple[dict[str, object], str]:
        _starter_may_configure(run, partnership_id=partnership.pk)
        run.progress(10, _("Reading and checking the scrutiny's settings and success factors."))
        saved = scrutiny_import(partnership=partnership, file=path)
        scrutiny = saved.scrutiny
        result: dict[str, object] = {
            "scrutiny": scrutiny.slug,
            "title": scrutiny.title,
            "created": saved.created,
            "changed": saved.changed,
        }
        message = _scrutiny_message(scrutiny.title, created=saved.created, changed=saved.changed)
        return result, message

    import_run(run=run, upload=upload, back={}, work=work)
