"""The invitation list uploaded on the survey's page, read by a job (surveys.imports): everyone
invited or every row's error with nobody invited, the file's type and size checked on the form,
permission at the start and again when the job runs, the upload deleted when the job ends."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny.models import Job, User
from surveys import imports
from surveys.models import Invitation
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.jobs import through_job as through_job

pytestmark = pytest.mark.django_db

GOOD = b"email,agency\nash@fernhill.invalid,FHC\nbo@fernhill.invalid,FHC\n"
BAD = b"email,agency\nash@fernhill.invalid,FHC\nnope,FHC\nci@fernhill.invalid,NOPE\n"


def csv(content: bytes, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "text/csv")


def invite_url(survey) -> str:
    return reverse("survey-invite", args=[survey.scrutiny.slug, survey.pk])


def test_an_invitation_list_is_read_by_a_job(
    survey, business_unit, council, through_job, mailoutbox
):
    page = through_job(client_for(business_unit), invite_url(survey), {"file": csv(GOOD)})
    job = Job.objects.get()
    assert (job.kind, job.task, job.created_by, job.status) == (
        imports.INVITATION_LIST,
        "surveys.tasks.invitation_list_import",
        business_unit,
        Job.Status.DONE,
    )
    assert job.arguments["survey_id"] == survey.pk and job.arguments["file_name"] == "list.csv"
    assert job.arguments["upload"].endswith(".csv")
    assert job.message == "2 people were invited; their emails are on their way."
    assert (job.result["created"], job.result["already_invited"]) == (2, 0)
    assert "<h1>Inviting people from a list</h1>" in page.text
    detail = reverse("survey-detail", args=[survey.scrutiny.slug, survey.pk])
    assert f'<a href="{detail}">Go back to the survey</a>' in page.text
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "ash@fernhill.invalid",
        "bo@fernhill.invalid",
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["ash@fernhill.invalid", "bo@fernhill.invalid"]

    # The same list again: nobody is invited twice.
    again = through_job(client_for(business_unit), invite_url(survey), {"file": csv(GOOD)})
    assert (
        "0 people were invited; their emails are on their way. 2 already invited were not "
        "invited again."
    ) in again.text
    assert Invitation.objects.count() == 2 and len(mailoutbox) == 2


def test_a_list_with_errors_lists_every_row_and_invites_nobody(
    survey, business_unit, council, through_job, mailoutbox
):
    page = through_job(client_for(business_unit), invite_url(survey), {"file": csv(BAD)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.result["error_count"] == 2
    assert "<title>Error: " in page.text and "There is a problem" in page.text
    for error in job.result["errors"]:
        assert error.startswith(("Row 3", "Row 4"))
        assert f"<li>{error.replace(chr(39), '&#x27;')}</li>" in page.text
    assert "Nobody was invited. Correct these in the list and upload it again." in page.text
    assert f'<a href="{invite_url(survey)}">Upload a corrected list</a>' in page.text
    assert not Invitation.objects.exists() and mailoutbox == []


def test_the_form_checks_the_files_type_and_size(survey, business_unit, job_uploads, settings):
    client = client_for(business_unit)
    pdf = client.post(invite_url(survey), {"file": csv(b"%PDF-1.4", name="list.pdf")})
    assert pdf.status_code == 200 and "<title>Error: " in pdf.text
    assert "must be an Excel workbook (.xlsx) or a CSV file (.csv)" in pdf.text
    settings.WORKBOOK_MAX_BYTES = 10
    big = client.post(invite_url(survey), {"file": csv(GOOD)})
    assert big.status_code == 200 and "the largest list this installation accepts" in big.text
    assert not Job.objects.exists()
    assert not job_uploads.exists() or not any(job_uploads.iterdir())


def test_those_who_do_not_run_surveys_start_nothing(
    survey, board_member, practitioner, job_uploads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = [
            client_for(user).post(invite_url(survey), {"file": csv(GOOD)})
            for user in (board_member, practitioner)
        ]
    assert [r.status_code for r in refused] == [404, 404]
    assert not Job.objects.exists() and not Invitation.objects.exists()
    assert not job_uploads.exists() or not any(job_uploads.iterdir())


@pytest.mark.usefixtures("eager_tasks")
def test_a_starter_who_may_no_longer_run_surveys_invites_nobody(
    survey, business_unit, council, job_uploads, mailoutbox, django_capture_on_commit_callbacks
):
    """Between the upload and the worker, the business unit's person became a board member:
    the job checks again, and invites nobody."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client_for(business_unit).post(invite_url(survey), {"file": csv(GOOD)})
    assert "/jobs/" in started.url
    User.objects.filter(pk=business_unit.pk).update(role=User.Role.BOARD_MEMBER)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    assert job.message == (
        "The person who uploaded this list may no longer run surveys here: nobody was invited."
    )
    assert not Invitation.objects.exists() and mailoutbox == []
    assert list(job_uploads.iterdir()) == []
