"""What every import job does around its import: find the person who started it and check again
that they may still do it, check the upload is still kept, end with what was made or every
problem found, and delete the upload.

The core's imports and the apps' (audits.imports, surveys.imports) all run through `import_run`.
A result may carry `links` ([{"text", "url"}], made with `reverse` by whoever runs the import)
for the job's page to offer; the page of an app's import shows those, so that the core never
names an app's pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from scrutiny.errors import ApplicationError
from scrutiny.imports.uploads import upload_delete, upload_path
from scrutiny.jobs import JobRun
from scrutiny.models import User
from scrutiny.permissions import AnyUser

# The work of one import: given the kept file, the job's result and its closing message.
Work = Callable[[Path], tuple[dict[str, object], str]]

# What a job says of each kind of upload (`what`): when it opens it, and when it is gone.
_OPENING = {
    "workbook": _("Opening the workbook."),
    "file": _("Opening the file."),
    "delivery plan": _("Opening the delivery plan."),
    "case list": _("Opening the case list."),
    "invitation list": _("Opening the invitation list."),
}
_GONE = {
    "workbook": _(
        "The uploaded workbook is no longer kept (it is deleted a day after its job stops): "
        "upload it again."
    ),
    "file": _(
        "The uploaded file is no longer kept (it is deleted a day after its job stops): "
        "upload it again."
    ),
    "delivery plan": _(
        "The uploaded delivery plan is no longer kept (it is deleted a day after its job "
        "stops): upload it again."
    ),
    "case list": _(
        "The uploaded case list is no longer kept (it is deleted a day after its job stops): "
        "upload it again."
    ),
    "invitation list": _(
        "The uploaded invitation list is no longer kept (it is deleted a day after its job "
        "stops): upload it again."
    ),
}


def import_starter(run: JobRun) -> User | None:
    starter = run.job.created_by_id
    return User.objects.filter(pk=starter).first() if starter is not None else None


def starter_checked(
    run: JobRun, *, partnership_id: int, may: Callable[[AnyUser], bool], refusal: str
) -> User:
    """The person who started the job, checked again when it runs: `may` (a rule of a
    permissions module, such as `permissions.can_configure_scrutinies`) still holds for them,
    in the partnership the job works in (their own when it started). Otherwise the job is
    refused with `refusal`, and nothing is changed."""
    user = import_starter(run)
    if user is None or user.partnership_id != partnership_id or not may(user):
        raise ApplicationError(refusal)
    return user


def refused_result(exc: ApplicationError) -> dict[str, object]:
    """An import's refusal for the job's page: every problem with its sheet, row and column,
    and each in a line of words (`errors`, what a list's page shows), or, for errors not about
    one cell, their lines."""
    problems = exc.extra.get("problems") or []
    errors = list(exc.extra.get("errors") or [])
    return {
        "refused": True,
        "problems": problems,
        "errors": errors,
        "error_count": exc.extra.get("error_count") or len(problems) or len(errors),
    }


def import_run(
    *,
    run: JobRun,
    upload: str,
    back: Mapping[str, object],
    work: Work,
    what: str = "workbook",
    keep_on_refusal: bool = False,
) -> None:
    """Run `work` on the kept upload (a `what`), all or nothing, and end the job: finished with
    its result, or failed with every problem. `back` (what the page links back to) goes in
    either; the result's own keys win over it.

    The upload is deleted when the job ends; with `keep_on_refusal`, only when it finishes,
    so that a refused job's upload stays for the page that kept it (a case list whose draw
    options can be changed and tried again without uploading it again); the daily clean-up
    deletes it a day later (`uploads_clean`)."""
    finished = False
    try:
        path = upload_path(upload)
        if not path.exists():
            gone = _GONE.get(what)
            raise ApplicationError(
                str(gone)
                if gone
                else f"The uploaded {what} is no longer kept (it is deleted a day after its job "
                "stops): upload it again."
            )
        opening = _OPENING.get(what)
        run.progress(1, str(opening) if opening else f"Opening the {what}.")
        with transaction.atomic():
            result, message = work(path)
    except ApplicationError as exc:
        run.fail(message=exc.message.splitlines()[0], result={**back, **refused_result(exc)})
    else:
        run.finish(result={**back, **result}, message=message)
        finished = True
    finally:
        # Only a job that ended gets here (a worker killed mid-import never does): the upload
        # is no longer needed, whether the job finished, found problems or failed.
        if finished or not keep_on_refusal:
            upload_delete(upload)
