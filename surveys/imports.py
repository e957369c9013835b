"""An invitation list uploaded through the survey's page, as a job (scrutiny.imports runs it).

The page checks the file's type and size, keeps it in the private uploads folder and starts a
job (`invitation_list_start`); the job checks again that its starter may still run surveys in
the survey's partnership, invites everyone on the list or no one
(`invitations.invitations_create`), and ends with how many were invited and a link back to the
survey, or with every row's error and a link to upload a corrected list. The upload is deleted
when the job ends. `manage.py invite` stays synchronous: it calls the service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scrutiny.imports import import_run, starter_checked, upload_save
from scrutiny.jobs import JobRun, job_enqueue
from scrutiny.models import Job, User
from scrutiny.workbooks.lists import list_file_content
from surveys.models import Survey
from surveys.permissions import can_run_surveys
from surveys.services import invitations

INVITATION_LIST = "invitation list"


def invitation_list_start(*, survey: Survey, file: Any, user: User) -> Job:
    """Keep the list and queue the invitations (for someone who runs the survey's surveys:
    `permissions.access_survey_for_user`)."""
    name = str(getattr(file, "name", "") or "invitation list")
    upload = upload_save(file, suffix=".csv" if name.lower().endswith(".csv") else ".xlsx")
    return job_enqueue(
        kind=INVITATION_LIST,
        user=user,
        task="surveys.tasks.invitation_list_import",
        arguments={"survey_id": survey.pk, "upload": upload, "file_name": name},
    )


def invitations_message(result: invitations.InvitationResult) -> str:
    """What an invitation list did, in words: the job's closing message."""
    message = ngettext(
        "%(created)s person was invited; their emails are on their way.",
        "%(created)s people were invited; their emails are on their way.",
        result.created,
    ) % {"created": result.created}
    if not result.already_invited:
        return message
    already = ngettext(
        "%(already)s already invited were not invited again.",
        "%(already)s already invited were not invited again.",
        result.already_invited,
    ) % {"already": result.already_invited}
    return f"{message} {already}"


def invitation_list_run(*, run: JobRun, survey_id: int, upload: str, file_name: str) -> None:
    """The job's work: everyone on the list invited (their emails sent after it commits), or
    every row's error with no one invited."""
    survey = Survey.objects.select_related("scrutiny__partnership").get(pk=survey_id)
    slug = survey.scrutiny.slug
    back = {
        "text": _("Go back to the survey"),
        "url": reverse("survey-detail", args=[slug, survey.pk]),
    }

    def work(path: Path) -> tuple[dict[str, object], str]:
        starter_checked(
            run,
            partnership_id=survey.scrutiny.partnership_id,
            may=can_run_surveys,
            refusal=_(
                "The person who uploaded this list may no longer run surveys here: "
                "nobody was invited."
            ),
        )
        run.progress(10, _("Reading and checking the invitation list."))
        result = invitations.invitations_create(
            survey=survey, content=list_file_content(path), file_name=file_name
        )
        invited: dict[str, object] = {
            "created": result.created,
            "already_invited": result.already_invited,
            "links": [back],
        }
        return invited, invitations_message(result)

    again = reverse("survey-invite", args=[slug, survey.pk])
    refused = {
        "refused_text": _("Nobody was invited. Correct these in the list and upload it again."),
        "links": [{"text": _("Upload a corrected list"), "url": again}, back],
    }
    import_run(run=run, upload=upload, back=refused, work=work, what="invitation list")
