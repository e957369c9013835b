"""A delivery plan imported through the plan's page, as a job (`scrutiny.imports`): the upload
kept, its import run by a worker with progress on the job's page, which ends with what was
created, updated and left unchanged (or every problem, nothing changed) and a link back to the
plan. Whoever starts it must be able to change the plan (`permissions.can_plan`), when it
starts and again when it runs, and it imports into their own partnership."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scrutiny import permissions
from scrutiny.imports.kinds import PLAN_IMPORT
from scrutiny.imports.running import import_run, starter_checked
from scrutiny.imports.uploads import upload_save
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Job, Partnership, User
from scrutiny.plan.importing import plan_import

BACK = gettext_lazy("Go back to the action plan")


def plan_import_start(*, partnership: Partnership, file: UploadedFile, user: User) -> Job:
    """Keep the workbook and queue its import into the partnership's plan."""
    name = upload_save(file)
    return job_enqueue(
        kind=PLAN_IMPORT,
        user=user,
        task="scrutiny.tasks.plan_import",
        arguments={
            "partnership_id": partnership.pk,
            "upload": name,
            "name": (file.name or "")[:200],
        },
    )


def plan_import_run(*, run: JobRun, partnership_id: int, upload: str, name: str = "") -> None:
    """The job's work: the plan imported all or nothing, its page saying what changed."""
    partnership = Partnership.objects.get(pk=partnership_id)
    links = [
        {"text": str(BACK), "url": reverse("plan")},
        {"text": _("Import another delivery plan"), "url": reverse("plan-import")},
    ]

    def work(path: Path) -> tuple[dict[str, object], str]:
        user = starter_checked(
            run,
            partnership_id=partnership.pk,
            may=permissions.can_plan,
            refusal=_(
                "The person who uploaded this delivery plan may no longer change the "
                "plan: nothing was imported."
            ),
        )
        run.progress(5, _("Reading and checking the delivery plan."))
        imported = plan_import(
            partnership=partnership,
            file=path,
            name=name,
            user=user,
            progress=lambda percent: run.progress(
                max(5, min(95, percent)),
                _("Saving the actions: %(percent)s%% saved.") % {"percent": percent},
            ),
        )
        result: dict[str, object] = {
            "priorities_created": imported.priorities_created,
            "priorities_updated": imported.priorities_updated,
            "outcomes_created": imported.outcomes_created,
            "actions_created": imported.actions_created,
            "actions_updated": imported.actions_updated,
            "actions_unchanged": imported.actions_unchanged,
            "updates_recorded": imported.updates_recorded,
        }
        if imported.changed:
            return result, _("Delivery plan imported: %(what)s.") % {"what": imported}
        return result, _("Nothing changed: %(what)s.") % {"what": imported}

    back: dict[str, object] = {
        "links": links,
        "refused_text": _(
            "Nothing was imported. Correct these in the workbook and upload it again."
        ),
    }
    import_run(run=run, upload=upload, back=back, work=work, what="delivery plan")
