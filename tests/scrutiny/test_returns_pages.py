"""The responses import page and command with other tools' exports (WORKBOOKS.md §5): a CSV
accepted, columns that match nothing shown for a map before anything is imported, the
personal-data columns that will be dropped named, the map kept with the job; `--map FILE`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from scrutiny.models import Answer, Job, Response, User
from tests.conftest import _person, client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.scrutiny.test_returns import PERSONAL, returned
from tests.scrutiny.test_returns import survey as survey
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    lists_fixture,
    scrutiny_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "job_uploads")]

MAPPED = "ref,Which agency?,Confidence,Q4\nA-1,Police,Very confident,3\nA-2,Health,2,7\n"


def csv_upload(text: str | bytes, name: str = "export.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def url_of(survey) -> str:
    return reverse("instrument-responses-import", args=[survey.scrutiny.slug, survey.pk])


def token_in(page: str) -> str:
    start = page.index('name="token" value="') + len('name="token" value="')
    return page[start : page.index('"', start)]


def test_the_page_takes_a_csv_and_explains_other_tools(scrutineer, survey):
    page = client_for(scrutineer).get(url_of(survey)).text
    assert 'accept=".xlsx,.csv' in page
    assert "Microsoft Forms, SurveyMonkey or Google Forms" in page
    refused = client_for(scrutineer).post(url_of(survey), {"file": csv_upload("x", "a.txt")})
    assert "must be an Excel workbook (.xlsx) or a CSV file" in refused.text
    assert not Job.objects.exists()


def test_columns_that_match_nothing_are_mapped_on_the_page_then_imported(
    scrutineer, survey, job_uploads, django_capture_on_commit_callbacks
):
    client = client_for(scrutineer)
    page = client.post(url_of(survey), {"file": csv_upload(MAPPED)})
    assert page.status_code == 200 and not Job.objects.exists()
    assert "Column “Which agency?”" in page.text and "Column “Confidence”" in page.text
    assert '<option value="-">Ignore this column</option>' in page.text
    assert "Q1: How confident are you in recognising neglect?" in page.text
    assert len(list(job_uploads.iterdir())) == 1  # kept between the map and the import
    data = {"token": token_in(page.text), "column_0": "-", "column_1": "Q1"}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url_of(survey), data)
    job = Job.objects.get()
    assert started.url == reverse("job-detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.result
    assert job.arguments["mapping"] == {"Which agency?": "-", "Confidence": "Q1"}
    chosen = Answer.objects.filter(question__code="Q1").values_list("option__value", flat=True)
    assert sorted(chosen) == ["2", "4"]
    assert list(job_uploads.iterdir()) == []


def test_a_column_left_unmapped_is_asked_again_and_nothing_is_imported(scrutineer, survey):
    client = client_for(scrutineer)
    page = client.post(url_of(survey), {"file": csv_upload(MAPPED)})
    again = client.post(url_of(survey), {"token": token_in(page.text), "column_0": "-"})
    assert again.status_code == 200
    assert "Choose the question the column “Confidence” answers" in again.text
    assert not Job.objects.exists() and not Response.objects.exists()


def test_a_map_token_of_another_person_or_a_forged_one_imports_nothing(
    scrutineer, partnership, survey
):
    page = client_for(scrutineer).post(url_of(survey), {"file": csv_upload(MAPPED)})
    data = {"token": token_in(page.text), "column_0": "-", "column_1": "Q1"}
    colleague = _person(partnership, "alex@fernhill.invalid", User.Role.SCRUTINEER)
    for client, token in (
        (client_for(colleague), data["token"]),
        (client_for(scrutineer), data["token"][:-2] + "xx"),
    ):
        refused = client.post(url_of(survey), {**data, "token": token})
        assert refused.status_code == 302 and refused.url == url_of(survey)
    assert not Job.objects.exists()


def test_personal_data_columns_are_named_as_dropped_and_their_values_never_shown(
    scrutineer, survey, django_capture_on_commit_callbacks
):
    client = client_for(scrutineer)
    content = returned("google-forms.csv").read_bytes()
    page = client.post(url_of(survey), {"file": csv_upload(content, "google.csv")})
    assert "Personal data that will be dropped" in page.text
    assert "<li>Email Address</li>" in page.text
    assert all(value not in page.text for value in PERSONAL)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url_of(survey), {"token": token_in(page.text)})
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.result["created"] == 3
    shown = client.get(started.url).text
    assert all(value not in shown for value in PERSONAL)
    assert all(value not in str(job.result) + job.message for value in PERSONAL)


def test_a_file_that_matches_wholly_is_imported_straight_away(
    scrutineer, survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = client_for(scrutineer).post(
            url_of(survey), {"file": csv_upload("ref,Q1\nA-1,Very confident\n")}
        )
    assert started.status_code == 302
    assert Job.objects.get().status == Job.Status.DONE
    assert Response.objects.get().ref == "A-1"


def test_an_unreadable_file_is_refused_on_the_page(scrutineer, survey, job_uploads):
    page = client_for(scrutineer).post(url_of(survey), {"file": csv_upload(b"\x81\x8d", "x.csv")})
    assert "neither UTF-8 nor Windows-1252" in page.text
    assert list(job_uploads.iterdir()) == [] and not Job.objects.exists()


# ---------------------------------------------------------------------------------------------
# The command


def test_the_command_reads_a_map_file(survey, tmp_path: Path):
    file = tmp_path / "export.csv"
    file.write_text(MAPPED, encoding="utf-8")
    slug = survey.scrutiny.slug
    with pytest.raises(CommandError) as refused:
        call_command("import_responses", slug, "PS1", str(file))
    assert "column B (Which agency?): 'Which agency?' is not a question code" in str(refused.value)
    mapping = tmp_path / "map.csv"
    mapping.write_text("column,question\nWhich agency?,-\nConfidence,Q1\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_responses", slug, "PS1", str(file), "--map", str(mapping), stdout=out)
    assert "Responses to PS1: 2 created, 0 updated, 0 unchanged." in out.getvalue()
    bad = tmp_path / "bad-map.csv"
    bad.write_text("column,question\nConfidence,\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_responses", slug, "PS1", str(file), "--map", str(bad))
    assert "The map has 1 error" in str(refused.value) and "Row 2" in str(refused.value)


def test_the_command_imports_each_tools_export(survey):
    for name in ("microsoft-forms.xlsx", "surveymonkey.csv", "google-forms.csv"):
        out = io.StringIO()
        call_command(
            "import_responses", survey.scrutiny.slug, "PS1", str(returned(name)), stdout=out
        )
    assert Response.objects.count() == 9


def test_the_page_and_its_column_map_speak_welsh(scrutineer, survey, job_uploads):
    """The form's words were not marked for translation: a Welsh page read "Responses file",
    "Column “…”" and "Ignore this column" in English."""
    from tests.welsh.conftest import welsh

    client = welsh(client_for(scrutineer))
    page = client.get(url_of(survey)).text
    assert "Ffeil ymatebion" in page and "Responses file" not in page
    refused = client.post(url_of(survey), {"file": csv_upload("x", "a.txt")}).text
    assert "Rhaid i&#x27;r ffeil fod yn llyfr gwaith Excel" in refused
    mapped = client.post(url_of(survey), {"file": csv_upload(MAPPED)}).text
    assert "Colofn “Which agency?”" in mapped and "Anwybyddu&#x27;r golofn hon" in mapped
    assert "Ignore this column" not in mapped and not Job.objects.exists()
