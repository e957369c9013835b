"""Bad input in files, addresses and command lines that used to end in a traceback or a 500: a
number cell beyond decimal arithmetic, a `submitted` moment beyond the years UTC holds, "²" in
an address, an infinite source weight, a count too large to keep, a `per` too large to keep,
and a folder (or a full disk) where a command writes its file.

Each gets a message a person can act on, placed on its sheet, row and column where it comes
from a workbook, and changes nothing (the house rule; CLI.md for the commands).
"""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audits.models import Sample
from audits.sampling import PER_MAX
from scrutiny.errors import ApplicationError
from scrutiny.models import Action, Agency, InstrumentVersion, Priority, Response, Scrutiny
from scrutiny.workbooks import scrutiny_import
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import tool as tool
from tests.audits.conftest_samples import CASE_LISTS
from tests.audits.conftest_samples import areas as areas
from tests.audits.test_sample_pages import DRAW, csv_upload, options, upload
from tests.conftest import client_for
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import job_uploads as job_uploads
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_workbooks_scrutinies import WORKBOOK
from tests.scrutiny.test_workbooks_support import xlsx
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

SLUG = "learning-2025"  # the survey scrutiny's (tests/surveys/conftest.py)


def _client(user):
    client = client_for(user)
    client.raise_request_exception = False
    return client


# ---------------------------------------------------------------------------------------------
# The responses workbook: a number cell, and a `submitted` moment.


def _import_errors(tmp_path, header: list, row: list) -> str:
    path = tmp_path / "responses.xlsx"
    path.write_bytes(xlsx({"responses": [header, row]}).getvalue())
    with pytest.raises(CommandError) as error:
        call_command("import_responses", SLUG, "PS", str(path), stdout=StringIO())
    assert not Response.objects.exists()
    return str(error.value)


@pytest.mark.parametrize(
    "number", ["1e1000000", "-1E+1000000", "9.99999999999999999999999999999e999999"]
)
def test_a_number_beyond_decimal_arithmetic_is_not_a_number_placed_on_its_cell(
    tmp_path, survey_tool, council, number
):
    errors = _import_errors(tmp_path, ["ref", "agency", "Q1", "Q4"], ["R1", "FHC", "no", number])
    assert f"sheet responses, row 2, column D (Q4): {number!r} is not a number" in errors


def test_a_number_beyond_arithmetic_is_reported_with_the_other_errors_of_its_row(
    tmp_path, survey_tool, council
):
    errors = _import_errors(
        tmp_path, ["ref", "agency", "Q1", "Q4"], ["R1", "XYZ", "no", "1e1000000"]
    )
    assert "sheet responses, row 2, column D (Q4): '1e1000000' is not a number" in errors
    assert "sheet responses, row 2, column B (agency): 'XYZ' is not an agency code" in errors


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"])
def test_a_submitted_moment_beyond_the_years_of_utc_is_not_a_date_placed_on_its_cell(
    tmp_path, survey_tool, council, moment
):
    header = ["ref", "agency", "submitted", "Q1"]
    errors = _import_errors(tmp_path, header, ["R1", "FHC", moment, "no"])
    assert (
        f"sheet responses, row 2, column C (submitted): {moment!r} is not a date; write it as "
        "YYYY-MM-DD (or DD/MM/YYYY)"
    ) in errors
    # The last moment UTC holds is still read.
    path = tmp_path / "edge.xlsx"
    edge = ["R1", "FHC", "9999-12-31T23:59:59+00:00", "no"]
    path.write_bytes(xlsx({"responses": [header, edge]}).getvalue())
    call_command("import_responses", SLUG, "PS", str(path), stdout=StringIO())
    assert Response.objects.get().submitted_at.year == 9999


# ---------------------------------------------------------------------------------------------
# "²" is a digit to str.isdigit, and no number to int().


@pytest.mark.parametrize("priority", ["²", "٣x", "9" * 5000])
def test_the_delivery_plan_of_a_priority_that_is_no_number_is_a_404(
    business_unit, partnership, priority
):
    url = reverse("plan-export", args=["xlsx"])
    client = _client(business_unit)
    assert client.get(url, {"priority": priority}).status_code == 404
    # As for a priority that does not exist; one that does still downloads.
    neglect = Priority.objects.create(partnership=partnership, title="Neglect")
    assert client.get(url, {"priority": str(neglect.pk + 1)}).status_code == 404
    assert client.get(url, {"priority": str(neglect.pk)}).status_code == 200


@pytest.mark.parametrize("version", ["²", "1²", "9" * 5000])
def test_an_instrument_workbook_of_a_version_that_is_no_number_is_a_404(
    business_unit, survey_tool, version
):
    url = reverse("instrument-workbook", args=[SLUG, survey_tool.pk])
    client = _client(business_unit)
    assert client.get(url, {"version": version}).status_code == 404
    assert client.get(url, {"version": "1"}).status_code == 200
    assert InstrumentVersion.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# The scrutiny workbook: a weight no float holds, a count no database keeps.


def _scrutiny_errors(partnership, workbook: dict) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        scrutiny_import(partnership=partnership, file=xlsx(workbook))
    assert not Scrutiny.objects.exists()
    assert not Agency.objects.exists()
    return error.value.extra["errors"]


@pytest.mark.parametrize(("weight", "size"), [("1e400", "large"), ("1e-400", "small")])
def test_a_source_weight_no_float_holds_is_placed_on_its_row(partnership, weight, size):
    workbook = copy.deepcopy(WORKBOOK)
    workbook["sources"][1] = ["file_audit", weight]
    assert _scrutiny_errors(partnership, workbook) == [
        f"sheet sources, row 2, column B (weight): weight {weight!r} is too {size} to weight a "
        "score by: give a number such as 0.5 or 2"
    ]


@pytest.mark.parametrize(
    ("row", "key", "lowest"), [(9, "min_responses", 0), (10, "suppression_threshold", 1)]
)
@pytest.mark.parametrize("value", ["1e300000", 2**31])
def test_a_count_too_large_to_keep_is_placed_on_its_row(partnership, row, key, lowest, value):
    workbook = copy.deepcopy(WORKBOOK)
    workbook["scrutiny"] = [*workbook["scrutiny"][:9], ["suppression_threshold", 5]]
    workbook["scrutiny"][row - 1] = [key, value]
    assert _scrutiny_errors(partnership, workbook) == [
        f"sheet scrutiny, row {row}, column B (value): {key} must be from {lowest} to "
        f"2,147,483,647, not {value}"
    ]


@pytest.mark.parametrize("value", ["1e300000", 2**31])
def test_a_workforce_too_large_to_keep_is_placed_on_its_row(partnership, value):
    workbook = copy.deepcopy(WORKBOOK)
    workbook["agencies"][1] = ["ASH", "Ashcombe Council", "Local authority", value]
    assert _scrutiny_errors(partnership, workbook) == [
        f"sheet agencies, row 2, column D (workforce): workforce {str(value)!r} is more "
        "practitioners than can be kept: at most 2,147,483,647"
    ]
    # The largest the database keeps is taken.
    workbook["scrutiny"][8] = ["min_responses", 2**31 - 1]
    workbook["agencies"][1] = ["ASH", "Ashcombe Council", "Local authority", 2**31 - 1]
    scrutiny_import(partnership=partnership, file=xlsx(workbook))
    assert Scrutiny.objects.get().min_responses == 2**31 - 1
    assert Agency.objects.get(code="ASH").workforce == 2**31 - 1


# ---------------------------------------------------------------------------------------------
# How many case files from each group: no more than the database keeps.


def _sample(per: str) -> None:
    call_command(
        "sample", SLUG, str(CASE_LISTS / "cases.csv"), "--by", "area", "--per", per,
        "--seed", "1", stdout=StringIO(),
    )  # fmt: skip


@pytest.mark.parametrize("per", [str(PER_MAX + 1), "99999999999999999999"])
def test_sample_with_a_per_too_large_to_keep_is_a_command_error(survey_scrutiny, areas, per):
    with pytest.raises(CommandError) as error:
        _sample(per)
    assert str(error.value).startswith(
        f"How many case files from each group must be at most {PER_MAX}"
    )
    assert not Sample.objects.exists()
    _sample(str(PER_MAX))  # the largest is taken: every case file of every group
    assert Sample.objects.get().cases.count() == 40


def test_the_sample_api_refuses_a_per_too_large_to_keep(survey_scrutiny, areas, scrutineer):
    url = reverse("api-audit-sample-draw", args=[SLUG])
    data = {"file": csv_upload(), "by": "area", "per": str(PER_MAX + 1), "seed": "1"}
    answer = _client(scrutineer).post(url, data)
    assert answer.status_code == 400, answer.content
    assert "per" in json.loads(answer.content)
    assert not Sample.objects.exists()


@pytest.mark.usefixtures("job_uploads", "eager_tasks")
def test_the_sample_page_refuses_a_per_too_large_to_keep(survey_scrutiny, areas, scrutineer):
    client = _client(scrutineer)
    upload(client)
    answer = client.post(DRAW, {**options(client.get(DRAW)), "per": "99999999999", "seed": "1"})
    assert answer.status_code == 200  # the form again, with its error
    assert answer.context["form"].errors["per"]
    assert not Sample.objects.exists()


# ---------------------------------------------------------------------------------------------
# A folder, or a disk that cannot take the file, where a command writes.


@pytest.mark.parametrize("option", ["--xlsx", "--pdf"])
def test_action_plan_into_a_folder_is_refused_before_anything_is_drafted(signed, tmp_path, option):
    with pytest.raises(CommandError) as error:
        call_command(
            "action_plan", signed.slug, "--draft", option, str(tmp_path), stdout=StringIO()
        )
    fmt = option.removeprefix("--")
    assert str(error.value) == (
        f"{tmp_path} is a folder: give the name of the file to write the plan in, for example "
        f"{tmp_path / f'plan.{fmt}'}."
    )
    assert not Action.objects.exists()
    assert list(tmp_path.iterdir()) == []
    # Given a file in the folder, the command drafts and writes as it did.
    out, plan = StringIO(), tmp_path / f"plan.{fmt}"
    call_command("action_plan", signed.slug, "--draft", option, str(plan), stdout=out)
    assert out.getvalue() == f"Drafted 2 actions: SF1, SF2.\nWrote {plan}: 2 actions.\n"
    assert plan.stat().st_size > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
def test_action_plan_that_cannot_be_written_drafts_nothing(signed):
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("action_plan", signed.slug, "--draft", "--xlsx", "/dev/full", stdout=out)
    assert str(error.value) == "Cannot write /dev/full: No space left on device."
    assert not Action.objects.exists()
    assert out.getvalue() == ""  # nothing said of drafts that were undone


def test_action_plan_with_a_name_too_long_for_the_file_system_is_a_command_error(signed, tmp_path):
    name = tmp_path / ("x" * 300 + ".xlsx")
    with pytest.raises(CommandError) as error:
        call_command("action_plan", signed.slug, "--draft", "--xlsx", str(name), stdout=StringIO())
    assert str(error.value) == f"Cannot write {name}: File name too long."
    assert not Action.objects.exists()


def test_export_instrument_into_a_folder_is_a_command_error(survey_tool, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("export_instrument", SLUG, "PS", "--out", str(tmp_path), stdout=StringIO())
    assert str(error.value) == (
        f"{tmp_path} is a folder: give the name of the file to write the instrument in, for "
        f"example {tmp_path / 'PS.xlsx'}."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
def test_export_instrument_onto_a_full_disk_is_a_command_error(survey_tool):
    with pytest.raises(CommandError) as error:
        call_command("export_instrument", SLUG, "PS", "--out", "/dev/full", stdout=StringIO())
    assert str(error.value) == "Cannot write /dev/full: No space left on device."


# ---------------------------------------------------------------------------------------------
# Digits that `isdigit` takes and `int` refuses ("²"): an audit draft's page.


@pytest.mark.parametrize("step", ["²", "³1"])
def test_an_audit_draft_of_a_page_that_is_no_page_number_is_a_400(
    council_audit, auditor_council, step
):
    url = reverse("api-audit-draft", args=[council_audit.pk])
    body = {"values": {}, "revision": 0, "step": step}
    client = client_for(auditor_council)
    answer = client.put(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert "is not a page of this audit" in answer.content.decode()
    council_audit.refresh_from_db()
    assert council_audit.revision == 0
