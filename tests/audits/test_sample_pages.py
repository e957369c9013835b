"""The sample pages and the sample API: who may reach them, uploading a case list, choosing the
options, drawing (as a job: audits.imports, its tests in test_sample_draw_job.py), the audit
tool, and a draw refused once an audit has started."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Sample
from scrutiny.models import Job
from tests.audits.conftest_samples import XLSX, audit_start, case_list, draw
from tests.audits.conftest_samples import areas as areas
from tests.audits.conftest_samples import audit_tool as audit_tool
from tests.audits.conftest_samples import scrutiny as scrutiny
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("job_uploads", "eager_tasks")]

SLUG = "learning-2025"
PAGE = reverse("audit-sample", args=[SLUG])
DRAW = reverse("audit-sample-draw", args=[SLUG])
API = reverse("api-audit-sample", args=[SLUG])
API_DRAW = reverse("api-audit-sample-draw", args=[SLUG])


def csv_upload(content: bytes | None = None, name: str = "cases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, case_list() if content is None else content, "text/csv")


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def upload(client, content: bytes | None = None, name: str = "cases.csv"):
    return client.post(DRAW, {"step": "upload", "file": csv_upload(content, name)})


def draw_posted(client, data: dict, capture):
    """Post the draw's options and follow its job (run in-process) to the job's page."""
    with capture(execute=True):
        started = client.post(DRAW, data)
    assert started.status_code == 302 and "/jobs/" in started["Location"], started
    return client.get(started["Location"])


def options(response) -> dict:
    """The second step's form as a browser would post it, untouched."""
    form = response.context["form"]
    data: dict = {"step": "draw"}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    return data


# ---------------------------------------------------------------------------------------------
# Who may reach the pages


class TestAccess:
    @pytest.mark.parametrize(
        "persona", ["auditor_council", "auditor_police", "board_member", "agency_lead"]
    )
    def test_404_for_everyone_but_those_who_run_audits(self, request, scrutiny, areas, persona):
        draw(scrutiny)
        client = client_for(request.getfixturevalue(persona))
        for url in (PAGE, DRAW, DRAW + "?step=upload", API):
            assert client.get(url).status_code == 404, url
        assert upload(client).status_code == 404
        posted = client.post(API_DRAW, {"file": csv_upload(), "by": "area", "per": 1, "seed": 1})
        assert posted.status_code == 404
        assert Sample.objects.get().seed == 42

    def test_anonymous_is_sent_to_sign_in(self, client, scrutiny):
        response = client.get(PAGE)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_business_unit_and_scrutineer(self, scrutiny, business_unit, scrutineer):
        for user in (business_unit, scrutineer):
            client = client_for(user)
            assert client.get(PAGE).status_code == 200
            assert client.get(DRAW).status_code == 200


# ---------------------------------------------------------------------------------------------
# The journey on the pages


class TestDrawing:
    def test_no_sample_shows_the_upload_form(self, scrutiny, business_unit):
        response = client_for(business_unit).get(PAGE)
        assert (
            title(response) == "Sample of case files \u2013 Learning from Practice 2025 \u2013 "
            "Safeguarding scrutiny"
        )
        html = response.content.decode()
        assert "No sample has been drawn yet." in html
        assert f'action="{DRAW}"' in html and 'enctype="multipart/form-data"' in html
        assert 'name="file"' in html and 'accept=".xlsx,.csv' in html

    def test_upload_choose_and_draw(
        self, scrutiny, areas, audit_tool, business_unit, django_capture_on_commit_callbacks
    ):
        client = client_for(business_unit)
        uploaded = upload(client)
        assert uploaded.status_code == 302 and uploaded["Location"] == DRAW
        step2 = client.get(DRAW)
        assert title(step2).startswith("Choose how to draw the sample")
        form = step2.context["form"]
        # Filters for the columns with few values, every value ticked; area preferred to stratify.
        assert [form.fields[n].label for n in form.filter_columns] == [
            "Keep case files whose area is",
            "Keep case files whose team is",
            "Keep case files whose repeat_plan is",
        ]
        assert form["by"].value() == "area"
        assert 0 <= int(form["seed"].value()) < 1_000_000
        assert form["instrument"].value() == "MACFA"  # the only audit tool
        html = step2.content.decode()
        assert "<legend" in html and "NTH (13 case files)" in html
        assert 'type="checkbox"' in html and 'type="radio"' in html

        data = options(step2)
        data.update({"per": "4", "seed": "42"})
        repeat = next(n for n, c in form.filter_columns.items() if c == "repeat_plan")
        data[repeat] = ["yes"]
        job_page = draw_posted(client, data, django_capture_on_commit_callbacks)
        assert "Drew 11 case files of 14: 4 per area, seed 42." in job_page.text
        assert f'<a href="{PAGE}">Go to the sample of case files</a>' in job_page.text
        sample = Sample.objects.get()
        assert (sample.by, sample.per, sample.seed) == ("area", 4, 42)
        assert sample.filters == {"repeat_plan": ["yes"]}
        assert sample.instrument == audit_tool
        assert sample.drawn_by == business_unit

        page = client.get(PAGE)
        html = page.content.decode()
        for case in sample.cases.all():
            assert case.case_ref in html
        assert "repeat_plan is yes" in html
        assert "Not started: the sample can still be drawn again" in html
        assert "<caption" in html and 'scope="row"' in html
        assert "Fernhill North (NTH)" in html
        # The upload is forgotten: the draw page starts again with the upload.
        assert title(client.get(DRAW)).startswith("Upload the case list")

    def test_drawing_again_with_the_same_options_changes_nothing(
        self, scrutiny, areas, business_unit, django_capture_on_commit_callbacks
    ):
        draw(scrutiny, per=4, seed=42)
        client = client_for(business_unit)
        upload(client)
        step2 = client.get(DRAW)
        assert step2.context["form"]["per"].value() == 4  # the current sample's
        data = {**options(step2), "per": "4", "seed": "42"}
        response = draw_posted(client, data, django_capture_on_commit_callbacks)
        assert "Nothing changed: the sample was already drawn" in response.content.decode()

    def test_errors_in_the_list_name_rows(self, scrutiny, business_unit):
        client = client_for(business_unit)
        response = upload(client, b"case_ref,area\r\nC-1,NTH\r\nC-1,STH\r\n,NTH\r\n")
        assert response.status_code == 200
        assert title(response).startswith("Error: Upload the case list")
        html = response.content.decode()
        assert "The case list has 2 errors; no sample was drawn." in html
        assert (
            "Row 3, column A (case_ref): the case reference &#x27;C-1&#x27; is also in row 2"
            in html
        )
        assert 'href="#id_file"' in html  # the error summary links to the field
        assert not Sample.objects.exists()

    def test_a_file_that_is_not_a_list(self, scrutiny, business_unit):
        response = upload(client_for(business_unit), b"%PDF-1.4", name="cases.pdf")
        assert "must be an Excel workbook (.xlsx) or a CSV file (.csv)" in response.content.decode()

    def test_an_xlsx_upload(self, scrutiny, areas, business_unit):
        client = client_for(business_unit)
        response = client.post(
            DRAW,
            {"step": "upload", "file": SimpleUploadedFile("c.xlsx", case_list("xlsx"), XLSX)},
        )
        assert response.status_code == 302
        assert "cases" not in client.get(DRAW).context["file_name"]  # it is c.xlsx
        assert client.get(DRAW).context["cases_count"] == 40

    def test_missing_options_are_errors_on_the_fields(self, scrutiny, business_unit):
        client = client_for(business_unit)
        upload(client)
        step2 = client.get(DRAW)
        data = {**options(step2), "per": "", "seed": "abc"}
        team = next(n for n, c in step2.context["form"].filter_columns.items() if c == "team")
        data.pop(team)
        response = client.post(DRAW, data)
        assert title(response).startswith("Error: Choose how to draw the sample")
        html = response.content.decode()
        assert "Enter how many case files to draw from each group, for example 2." in html
        assert "Enter the seed as a whole number, for example 4821." in html
        assert (
            "Tick at least one value of team: with none ticked, no case file would be kept." in html
        )
        assert not Sample.objects.exists()

    def test_a_list_replaced_in_another_tab_is_not_drawn_from(self, scrutiny, business_unit):
        client = client_for(business_unit)
        upload(client)
        data = {**options(client.get(DRAW)), "per": "2", "seed": "1"}
        upload(client, b"case_ref,area\r\nZ-1,NTH\r\nZ-2,STH\r\n")  # another tab
        response = client.post(DRAW, data)
        assert title(response).startswith("Error: Choose how to draw the sample")
        assert "Nothing was drawn: another case list was uploaded in another tab" in (
            response.content.decode()
        )
        assert not Sample.objects.exists() and not Job.objects.exists()

    def test_upload_a_different_list(self, scrutiny, business_unit):
        client = client_for(business_unit)
        upload(client)
        assert title(client.get(DRAW + "?step=upload")).startswith("Upload the case list")

    def test_a_draw_the_list_does_not_fit_is_refused_on_the_jobs_page(
        self, scrutiny, business_unit, django_capture_on_commit_callbacks
    ):
        client = client_for(business_unit)
        upload(client, b"case_ref,area,team\r\nC-1,,A\r\nC-2,NTH,B\r\n")
        data = {**options(client.get(DRAW)), "by": "area", "per": "1", "seed": "1"}
        response = draw_posted(client, data, django_capture_on_commit_callbacks)
        assert title(response).startswith("Error:")
        assert "Row 2 of the case list has no area" in response.content.decode()
        assert f'<a href="{DRAW}">Change the options and draw again</a>' in response.text
        assert not Sample.objects.exists()


class TestStartedAndTool:
    def test_the_tool_is_chosen_on_the_sample_page(
        self, scrutiny, areas, audit_tool, business_unit
    ):
        draw(scrutiny)
        client = client_for(business_unit)
        response = client.post(PAGE, {"instrument": "MACFA"}, follow=True)
        assert "The audit tool is MACFA Multi-agency case-file audit." in response.content.decode()
        assert Sample.objects.get().instrument == audit_tool

    def test_no_tool_yet_says_how_to_add_one(self, scrutiny, areas, business_unit):
        draw(scrutiny)
        html = client_for(business_unit).get(PAGE).content.decode()
        assert "has no case-file audit tool yet" in html

    def test_redraw_refused_after_an_audit_started(
        self, scrutiny, areas, audit_tool, business_unit, council, auditor_council
    ):
        sample = draw(scrutiny, instrument=audit_tool).sample
        audit_start(sample, council, auditor_council, audit_tool)
        client = client_for(business_unit)
        html = client.get(PAGE).content.decode()
        assert "Started: the sample can no longer be drawn again" in html
        assert "Draw the sample again" not in html
        assert "the audit tool can no longer be changed" in html
        closed = client.get(DRAW)
        assert title(closed).startswith("The sample cannot be drawn again")
        assert upload(client).status_code == 200  # the same page: nothing is taken
        assert Sample.objects.get().seed == 42

    def test_the_page_takes_the_same_queries_for_more_cases(
        self, scrutiny, areas, business_unit, council
    ):
        client = client_for(business_unit)
        draw(scrutiny, per=1)
        client.get(PAGE)
        with CaptureQueriesContext(connection) as few:
            assert client.get(PAGE).status_code == 200
        draw(scrutiny, per=20)
        with CaptureQueriesContext(connection) as many:
            assert client.get(PAGE).status_code == 200
        assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# The API


class TestApi:
    def test_read_and_draw(self, scrutiny, areas, audit_tool, scrutineer):
        client = client_for(scrutineer)
        assert client.get(API).status_code == 404
        data = {
            "file": csv_upload(),
            "by": "area",
            "per": "2",
            "seed": "42",
            "filters": json.dumps({"repeat_plan": ["yes"]}),
            "instrument": "MACFA",
        }
        created = client.post(API_DRAW, data)
        assert created.status_code == 201, created.content
        body = created.json()
        assert {
            k: body[k] for k in ("scrutiny", "by", "per", "seed", "population", "instrument")
        } == {
            "scrutiny": SLUG,
            "by": "area",
            "per": 2,
            "seed": 42,
            "population": 14,
            "instrument": "MACFA",
        }
        assert body["filters"] == {"repeat_plan": ["yes"]}
        assert body["drawn_by"] == scrutineer.email
        assert body["columns"] == ["case_ref", "area", "team", "repeat_plan"]
        assert len(body["cases"]) == 6
        assert set(body["cases"][0]) == {"position", "case_ref", "group", "area", "data"}
        assert body["cases"][0]["area"] == "NTH"
        assert client.get(API).json() == body
        again = client.post(API_DRAW, {**data, "file": csv_upload()})
        assert again.status_code == 200

    def test_bad_input_is_a_400_with_a_message(self, scrutiny, areas, business_unit):
        client = client_for(business_unit)
        bad_json = client.post(
            API_DRAW,
            {"file": csv_upload(), "by": "area", "per": "2", "seed": "1", "filters": "{nope"},
        )
        assert bad_json.status_code == 400 and "filters" in bad_json.json()
        bad_list = client.post(
            API_DRAW,
            {"file": csv_upload(b"case_ref\r\nC-1\r\nC-1\r\n"), "by": "area", "per": 1, "seed": 1},
        )
        assert bad_list.status_code == 400
        assert bad_list.json()["errors"] == [
            "Row 3, column A (case_ref): the case reference 'C-1' is also in row 2; each case "
            "file may appear once"
        ]
        assert not Sample.objects.exists()

    def test_refused_once_an_audit_started(
        self, scrutiny, areas, audit_tool, business_unit, council, auditor_council
    ):
        sample = draw(scrutiny, instrument=audit_tool).sample
        audit_start(sample, council, auditor_council, audit_tool)
        response = client_for(business_unit).post(
            API_DRAW, {"file": csv_upload(), "by": "area", "per": "3", "seed": "42"}
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("The sample cannot be drawn again")

    def test_in_the_schema(self, business_unit):
        schema = (
            client_for(business_unit)
            .get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
            .json()
        )
        assert "/api/scrutinies/{slug}/sample/" in schema["paths"]
        draw_op = schema["paths"]["/api/scrutinies/{slug}/sample/draw/"]["post"]
        assert "multipart/form-data" in draw_op["requestBody"]["content"]
