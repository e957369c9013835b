"""An XLSForm uploaded on the instrument upload page is imported by its job like an instrument
workbook (WORKBOOKS.md §6), and the page says that it may be one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny.models import Instrument, Job
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.jobs import through_job as through_job
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

FORMS = Path(__file__).resolve().parent.parent / "workbooks" / "xlsform"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FORMS / name).read_bytes(), content_type=XLSX)


def test_the_upload_page_says_an_xlsform_is_read(scrutineer, scrutiny):
    page = client_for(scrutineer).get(reverse("instrument-import", args=[scrutiny.slug]))
    assert "An XLSForm, as KoboToolbox and ODK download it" in page.text
    assert "label::Cymraeg (cy)" in page.text


def test_an_xlsform_is_imported_by_the_job(scrutineer, scrutiny, through_job):
    url = reverse("instrument-import", args=[scrutiny.slug])
    through_job(client_for(scrutineer), url, {"file": _upload("practitioner_survey.xlsx")})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    instrument = Instrument.objects.get(scrutiny=scrutiny, code="PS_KOBO")
    assert instrument.kind == "practitioner_survey"
    assert instrument.versions.get().questions.count() == 5


def test_a_refused_xlsform_lists_its_rows_on_the_job_page(scrutineer, scrutiny, through_job):
    url = reverse("instrument-import", args=[scrutiny.slug])
    page = through_job(client_for(scrutineer), url, {"file": _upload("refused.xlsx")})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    rows = [(p["sheet"], p["row"], p["column"]) for p in job.result["problems"]]
    assert rows == [
        ("survey", 3, "A (type)"),
        ("survey", 6, "D (constraint)"),
        ("survey", 7, "A (type)"),
        ("survey", 8, "E (relevant)"),
    ]
    assert "<td>survey</td><td>3</td><td>A (type)</td>" in page.text
    assert "a calculate row (a value worked out by the form) cannot be carried" in page.text
    assert not Instrument.objects.filter(scrutiny=scrutiny).exists()
