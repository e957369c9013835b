"""What every import job does around its import: find the person who started it, check the
upload is still kept, end with what was made or every problem found, and delete the upload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.imports.uploads import upload_delete, upload_path
from scrutiny.jobs import JobRun
from scrutiny.models import User

# The work of one import: given the kept workbook, the job's result and its closing message.
Work = Callable[[Path], tuple[dict[str, object], str]]


def import_starter(run: JobRun) -> User | None:
    starter = run.job.created_by_id
    return User.objects.filter(pk=starter).first() if starter is not None else None


def starter_may_configure(run: JobRun, *, partnership_id: int) -> User:
    """The person who started the job, checked again when it runs: they may still set up
    scrutinies, in the partnership the job imports into (their own when it started)."""
    user = import_starter(run)
    if (
        user is None
        or user.partnership_id != partnership_id
        or not permissions.can_configure_scrutinies(user)
    ):
        raise ApplicationError(
            "The person who uploaded this workbook may no longer set up scrutinies here: "
            "nothing was imported."
        )
    return user


def refused_result(exc: ApplicationError) -> dict[str, object]:
    """An import's refusal for the job's page: every problem with its sheet, row and column,
    or, for errors not about one cell, their lines."""
    problems = exc.extra.get("problems") or []
    errors = [] if problems else list(exc.extra.get("errors") or [])
    return {
        "refused": True,
        "problems": problems,
        "errors": errors,
        "error_count": exc.extra.get("error_count") or len(problems) or len(errors),
    }


def import_run(*, run: JobRun, upload: str, back: dict[str, object], work: Work) -> None:
    """Run `work` on the kept upload, all or nothing, and end the job: finished with its result,
    or failed with every problem. `back` (what the page links back to) goes in either."""
    try:
        path = upload_path(upload)
        if not path.exists():
            raise ApplicationError(
                "The uploaded workbook is no longer kept (it is deleted a day after its job "
                "stops): upload it again."
            )
        run.progress(1, "Opening the workbook.")
        with transaction.atomic():
            result, message = work(path)
    except ApplicationError as exc:
        run.fail(message=exc.message.splitlines()[0], result={**back, **refused_result(exc)})
    else:
        run.finish(result={**back, **result}, message=message)
    finally:
        # Only a job that ended gets here (a worker killed mid-import never does): the upload
        # is no longer needed, whether the job finished, found problems or failed.
        upload_delete(upload)
