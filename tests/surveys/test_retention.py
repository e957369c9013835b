"""The surveys' kinds in a retention run (surveys.retention): invitation addresses past their
period, in the invitations, the audit trail and the jobs that read the lists."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny.models import Job, TrailEntry
from scrutiny.people_data import subject_access
from scrutiny.retention import months_before, retention_run
from scrutiny.trail import trail_record
from surveys.models import Survey
from tests.conftest import client_for
from tests.jobs import through_job as through_job
from tests.surveys.conftest import make_invitation

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2029, 1, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
CLOSED = months_before(NOW, 6)  # just past the six months of invitation emails


@pytest.fixture
def closed(survey) -> Survey:
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=CLOSED - dt.timedelta(days=30), closes_at=CLOSED
    )
    survey.refresh_from_db()
    return survey


def test_an_invitation_address_leaves_the_trail_whole_and_no_other_with_it(
    closed, council, business_unit, partnership
):
    make_invitation(closed, "a@fernhill.invalid", council)
    trail_record(action="note", user=business_unit, detail="Invited a@fernhill.invalid.")
    trail_record(action="note", user=business_unit, detail="Invited ana@fernhill.invalid.")
    retention_run(partnership=partnership, now=NOW)
    assert sorted(TrailEntry.objects.filter(action="note").values_list("detail", flat=True)) == [
        "Invited [an invitee's address].",
        "Invited ana@fernhill.invalid.",
    ]


def test_a_refused_invitation_list_names_the_person_until_the_invitations_period_ends(
    survey, council, business_unit, partnership, through_job
):
    """Nobody was invited, so no invitation holds the address: the job's errors do."""
    address = "dana.private@fernhill.invalid"
    body = f"email,agency\n{address},FHC\n{address},FHC\n".encode()
    url = reverse("survey-invite", args=[survey.scrutiny.slug, survey.pk])
    page = through_job(client_for(business_unit), url, {"file": SimpleUploadedFile("l.csv", body)})
    assert f"{address} is also in row 2" in page.text
    (held,) = subject_access(partnership=partnership, email=address).held
    assert held.title == "Background work naming the person"
    assert f"{address} is also in row 2" in held.rows[0]["naming the person"]
    assert subject_access(partnership=partnership, email="private@fernhill.invalid").held == []

    Survey.objects.filter(pk=survey.pk).update(closes_at=CLOSED + dt.timedelta(days=1))
    retention_run(partnership=partnership, now=NOW)  # a day short of the period: kept
    assert subject_access(partnership=partnership, email=address).held
    Survey.objects.filter(pk=survey.pk).update(closes_at=CLOSED)
    report = retention_run(partnership=partnership, now=NOW)
    counts = report.counts()["invitations"]
    assert counts["refused invitation lists' rows in jobs (removed)"] == 1
    job = Job.objects.get()
    assert address not in json.dumps([job.message, job.result, job.arguments])
    assert (job.status, job.result["refused"], job.result["error_count"]) == ("failed", True, 1)
    assert subject_access(partnership=partnership, email=address).held == []
