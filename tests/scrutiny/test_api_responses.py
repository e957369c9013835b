"""Instruments and responses through the API (scrutiny/apis/instruments.py, responses.py):
imports as jobs, versions, and responses listed and read as the pack's response sheets show
them: small combinations blanked, texts redacted, possible disclosures left out.

The scrutiny is tests.scrutiny.test_workspace's: the practitioner survey PS has 13 responses,
FHC x6, POL x5, EDU x2. EDU is below the threshold of 5, so it and the next smallest (POL) are
shown with no agency; FHC's six show theirs.
"""

from __future__ import annotations

import json

import pytest
from celery import current_app as celery_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny import imports
from scrutiny.models import Agency, Answer, Instrument, Job, Partnership, Response, User
from scrutiny.workbooks import instrument_to_workbook, responses_to_workbook
from tests.factories import UserFactory
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_scrutiny_pages import upload
from tests.scrutiny.test_workspace import PLANTED, _submit, writes
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def stranger(db):
    """The scrutineer of another partnership."""
    other = Partnership.objects.create(name="Elsewhere Safeguarding Children Partnership")
    return UserFactory(partnership=other, email="pat@elsewhere.invalid", role=User.Role.SCRUTINEER)


@pytest.fixture
def jobs_in_process(monkeypatch, settings, tmp_path):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"


def _listed(user, code: str = "PS", **query):
    return _api(user).get(reverse("api-instrument-responses", args=[SLUG, code]), query)


def test_responses_leave_suppressed_redacted_and_without_their_ids(scrutiny, scrutineer):
    body = _listed(scrutineer).json()
    assert (body["count"], body["page"], body["pages"]) == (13, 1, 1)
    rows = body["results"]
    # Small combinations blanked, as the pack's response sheets do.
    assert sorted((r["agency"] or "-") for r in rows) == ["-"] * 7 + ["FHC"] * 6
    assert all(r["submitted"] for r in rows if r["agency"] == "FHC")
    assert all(r["submitted"] is None for r in rows if r["agency"] is None)
    # Texts redacted; no case reference, no planted identifier anywhere.
    texts = [r["answers"].get("Q7") for r in rows if r["answers"].get("Q7")]
    assert "Ring me on [removed] or [removed]." in texts
    assert not any(planted in str(body) for planted in PLANTED.values())
    # Named by a pseudonym, not by the stored id; the order tells nothing of it either.
    ids = set(Response.objects.filter(instrument__code="PS").values_list("pk", flat=True))
    assert not {r["number"] for r in rows} & ids
    assert [r["number"] for r in rows] == sorted(r["number"] for r in rows)
    assert rows[0]["answers"]["Q6"] in {"2", "3", "4"} and rows[0]["version"] == 1


def test_a_response_is_read_by_its_number(scrutiny, business_unit):
    rows = _listed(business_unit).json()["results"]
    for row in rows[:3]:
        url = reverse("api-instrument-response", args=[SLUG, "PS", row["number"]])
        assert _api(business_unit).get(url).json() == row
    missing = reverse("api-instrument-response", args=[SLUG, "PS", 1])
    if 1 not in {r["number"] for r in rows}:
        assert _api(business_unit).get(missing).status_code == 404


def test_a_possible_disclosure_and_a_new_redaction_term_never_leave(
    scrutiny, scrutineer, business_unit
):
    flagged = Answer.objects.get(text__startswith="Our team briefing")
    flagged.disclosure = True
    flagged.save(update_fields=["disclosure"])
    body = str(_listed(scrutineer).json())
    assert "briefing" not in body
    put = _api(business_unit).put(
        reverse("api-partnership-redaction-terms"), {"terms": ["Supervision"]}, format="json"
    )
    assert put.status_code == 200
    audits = str(_listed(scrutineer, code="AUD").json())
    assert "[removed] notes were thin." in audits and "Supervision" not in audits


def test_the_list_takes_the_same_number_of_queries_however_many_responses(scrutiny, scrutineer):
    client = _api(scrutineer)
    url = reverse("api-instrument-responses", args=[SLUG, "PS"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    survey = Instrument.objects.get(code="PS")
    council = Agency.objects.get(code="FHC")
    for i in range(30):
        _submit(survey, council, "4", f"Comment {i}.")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert body["count"] == 43 and len(body["results"]) == 43
    assert len(many) == len(few)
    assert writes(many) == []


def test_responses_are_paged(scrutiny, scrutineer, monkeypatch):
    monkeypatch.setattr("scrutiny.apis.responses.PAGE_SIZE", 5)
    first = _listed(scrutineer).json()
    third = _listed(scrutineer, page=3).json()
    assert (first["pages"], len(first["results"]), len(third["results"])) == (3, 5, 3)
    assert _listed(scrutineer, page=4).status_code == 404
    assert _listed(scrutineer, page="x").status_code == 400


def test_who_may_read_responses(scrutiny, board_member, auditor_council, stranger):
    assert _listed(board_member).status_code == 403  # reads the scrutiny, not its responses
    assert _listed(auditor_council).status_code == 404
    assert _listed(stranger).status_code == 404
    assert (
        _api(stranger).get(reverse("api-instrument-versions", args=[SLUG, "PS"])).status_code == 404
    )


def test_versions_are_listed_for_readers_of_the_scrutiny(scrutiny, board_member):
    url = reverse("api-instrument-versions", args=[SLUG, "PS"])
    versions = _api(board_member).get(url).json()
    assert [(v["number"], v["responses"], v["languages"]) for v in versions] == [(1, 13, "en")]
    nothing = reverse("api-instrument-versions", args=[SLUG, "NOPE"])
    assert _api(board_member).get(nothing).status_code == 404


def test_an_instrument_workbook_is_imported_by_a_job(
    scrutiny, scrutineer, jobs_in_process, django_capture_on_commit_callbacks
):
    url = reverse("api-instrument-import", args=[SLUG])
    client = _api(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"file": upload(instrument_to_workbook(sample_definition()))})
    assert started.status_code == 202
    job = Job.objects.get()
    assert started.json()["url"].endswith(reverse("api-job-detail", args=[job.pk]))
    followed = client.get(started.json()["url"]).json()
    assert (followed["status"], followed["result"]["code"]) == ("done", "AUDIT")
    assert Instrument.objects.filter(scrutiny=scrutiny, code="AUDIT").exists()


def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_is_kept(scrutiny, scrutineer):
    url = reverse("api-instrument-import", args=[SLUG])
    refused = _api(scrutineer).post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    assert refused.status_code == 400 and "Excel workbook" in str(refused.json()["file"])
    missing = _api(scrutineer).post(url, {})
    assert missing.status_code == 400 and "Choose a workbook" in str(missing.json())
    assert not Job.objects.exists()


def test_the_board_cannot_import(scrutiny, board_member, stranger):
    url = reverse("api-instrument-import", args=[SLUG])
    book = instrument_to_workbook(sample_definition())
    assert _api(board_member).post(url, {"file": upload(book)}).status_code == 403
    assert _api(stranger).post(url, {"file": upload(book)}).status_code == 404
    assert not Job.objects.exists()


def test_responses_are_imported_by_a_job(
    scrutiny, scrutineer, jobs_in_process, django_capture_on_commit_callbacks
):
    audit = Instrument.objects.get(code="AUD")
    url = reverse("api-instrument-responses", args=[SLUG, "AUD"])
    client = _api(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"file": upload(responses_to_workbook(audit))})
    assert started.status_code == 202
    job = Job.objects.get()
    assert job.kind == imports.RESPONSES_IMPORT
    assert (job.status, job.result["unchanged"]) == (Job.Status.DONE, 2)


def test_a_mapping_that_is_not_an_object_is_refused(scrutiny, scrutineer):
    url = reverse("api-instrument-responses", args=[SLUG, "AUD"])
    audit = Instrument.objects.get(code="AUD")
    refused = _api(scrutineer).post(
        url, {"file": upload(responses_to_workbook(audit)), "mapping": "[1, 2]"}
    )
    assert refused.status_code == 400 and "JSON object" in str(refused.json()["mapping"])
    assert not Job.objects.exists()


def test_a_mapping_goes_with_the_import(scrutiny, scrutineer, settings, tmp_path):
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"
    audit = Instrument.objects.get(code="AUD")
    url = reverse("api-instrument-responses", args=[SLUG, "AUD"])
    mapping = {"How confident": "Q6", "Name": "-"}
    started = _api(scrutineer).post(
        url, {"file": upload(responses_to_workbook(audit)), "mapping": json.dumps(mapping)}
    )
    assert started.status_code == 202
    assert Job.objects.get().arguments["mapping"] == mapping


def test_a_csv_export_is_taken_as_the_page_takes_it(scrutiny, scrutineer, settings, tmp_path):
    settings.JOB_UPLOADS_DIR = tmp_path / "job-uploads"
    url = reverse("api-instrument-responses", args=[SLUG, "AUD"])
    csv = SimpleUploadedFile("export.csv", b"Q1,Q6\nyes,2\n", "text/csv")
    assert _api(scrutineer).post(url, {"file": csv}).status_code == 202
    assert Job.objects.get().arguments["upload"].endswith(".csv")
