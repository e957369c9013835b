"""`manage.py sample SLUG FILE --by COLUMN --per N --seed S [--json]` (CLI.md)."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from audits.models import AuditEvent, CaseFile, Sample
from tests.audits.conftest_samples import CASE_LISTS, audit_start
from tests.audits.conftest_samples import areas as areas
from tests.audits.conftest_samples import audit_tool as audit_tool
from tests.audits.conftest_samples import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

CSV = str(CASE_LISTS / "cases.csv")
XLSX = str(CASE_LISTS / "cases.xlsx")


def run(*args: str) -> str:
    out = StringIO()
    call_command("sample", *args, stdout=out)
    return out.getvalue()


def sample_json(*args: str) -> dict:
    return json.loads(run("learning-2025", *args, "--json"))


def state() -> tuple:
    return (
        list(Sample.objects.values()),
        list(CaseFile.objects.values()),
        AuditEvent.objects.count(),
    )


def test_json_as_cli_md(scrutiny, areas):
    document = sample_json(CSV, "--by", "area", "--per", "2", "--seed", "42")
    assert list(document) == ["scrutiny", "seed", "by", "per", "file_sha256", "cases"]
    assert document["scrutiny"] == "learning-2025"
    assert (document["seed"], document["by"], document["per"]) == (42, "area", 2)
    assert document["file_sha256"] == hashlib.sha256(Path(CSV).read_bytes()).hexdigest()
    assert document["cases"] == [
        {"case_ref": "C-1040", "group": "NTH"},
        {"case_ref": "C-1029", "group": "NTH"},
        {"case_ref": "C-1021", "group": "STH"},
        {"case_ref": "C-1034", "group": "STH"},
        {"case_ref": "C-1024", "group": "WST"},
        {"case_ref": "C-1022", "group": "WST"},
    ]
    assert Sample.objects.get().cases.count() == 6


def test_same_file_and_seed_again_changes_nothing(scrutiny, areas):
    first = sample_json(CSV, "--by", "area", "--per", "2", "--seed", "42")
    before = state()
    out = run("learning-2025", CSV, "--by", "area", "--per", "2", "--seed", "42")
    assert out.startswith(
        "Nothing changed: the sample was already drawn from this file with these options."
    )
    assert state() == before
    # The workbook of the same rows draws the same case files (it is another file, so recorded).
    from_xlsx = sample_json(XLSX, "--by", "area", "--per", "2", "--seed", "42")
    assert from_xlsx["cases"] == first["cases"]
    assert from_xlsx["file_sha256"] != first["file_sha256"]


def test_another_seed_draws_another_sample(scrutiny, areas):
    first = sample_json(CSV, "--by", "area", "--per", "2", "--seed", "42")
    second = sample_json(CSV, "--by", "area", "--per", "2", "--seed", "1")
    assert second["cases"] != first["cases"]


def test_text_output_filters_and_instrument(scrutiny, areas, audit_tool):
    out = run(
        "learning-2025",
        CSV,
        "--by",
        "team",
        "--per",
        "1",
        "--seed",
        "5",
        "--filter",
        "repeat_plan=yes",
        "--filter",
        "area=NTH",
        "--filter",
        "area=STH",
        "--instrument",
        "MACFA",
    )
    sample = Sample.objects.get()
    assert sample.filters == {"area": ["NTH", "STH"], "repeat_plan": ["yes"]}
    assert sample.instrument == audit_tool
    lines = out.splitlines()
    assert lines[0] == "Drew 4 case files of 11 for learning-2025: 1 per team, seed 5."
    assert sample.population == 11 and sample.cases.count() == 4
    assert lines[1] == f"File SHA-256: {sample.file_sha256}"
    assert lines[2] == "Filters: area is NTH or STH; repeat_plan is yes"
    assert lines[3] == "Audit tool: MACFA"
    assert lines[4].startswith("team ") and lines[4].endswith(":")
    assert all(c.data["repeat_plan"] == "yes" for c in sample.cases.all())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nope", CSV, "--by", "area", "--per", "2", "--seed", "1"],
            "There is no scrutiny 'nope'. Scrutinies: learning-2025.",
        ),
        (
            ["learning-2025", "missing.csv", "--by", "area", "--per", "2", "--seed", "1"],
            "There is no file missing.csv: check the name and the folder.",
        ),
        (
            ["learning-2025", CSV, "--by", "district", "--per", "2", "--seed", "1"],
            "The case list has no column 'district' to stratify by. Its columns: area, team, "
            "repeat_plan.",
        ),
        (
            ["learning-2025", CSV, "--by", "area", "--per", "0", "--seed", "1"],
            "How many case files from each group must be a whole number of at least 1.",
        ),
        (
            ["learning-2025", CSV, "--by", "area", "--per", "2", "--seed", "1", "--filter", "x"],
            "--filter 'x' is not COLUMN=VALUE: write it as, for example, --filter repeat_plan=yes",
        ),
        (
            [
                "learning-2025",
                CSV,
                "--by",
                "area",
                "--per",
                "2",
                "--seed",
                "1",
                "--instrument",
                "Z",
            ],
            "Learning from Practice 2025 has no instrument 'Z'. Its case-file audit tools: none "
            "yet: add an instrument of kind file_audit.",
        ),
    ],
)
def test_bad_input_changes_nothing(scrutiny, areas, args, message):
    run("learning-2025", CSV, "--by", "area", "--per", "2", "--seed", "42")
    before = state()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert str(error.value) == message
    assert state() == before


def test_errors_in_the_list_name_rows(scrutiny, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"case_ref,area\r\nC-1,NTH\r\nC-1,STH\r\n")
    with pytest.raises(CommandError) as error:
        run("learning-2025", str(bad), "--by", "area", "--per", "1", "--seed", "1")
    assert "Row 3, column A (case_ref): the case reference 'C-1' is also in row 2" in str(
        error.value
    )
    assert not Sample.objects.exists()


def test_a_different_draw_is_refused_once_an_audit_started(
    scrutiny, areas, audit_tool, council, auditor_council
):
    run("learning-2025", CSV, "--by", "area", "--per", "2", "--seed", "42", "--instrument", "MACFA")
    audit_start(Sample.objects.get(), council, auditor_council, audit_tool)
    before = state()
    with pytest.raises(CommandError, match="The sample cannot be drawn again: the audit of this"):
        run("learning-2025", CSV, "--by", "area", "--per", "3", "--seed", "42")
    assert state() == before


def test_exits_non_zero_with_the_message(scrutiny, capsys):
    utility = ManagementUtility(
        [
            "manage.py",
            "sample",
            "learning-2025",
            "missing.csv",
            "--by",
            "area",
            "--per",
            "2",
            "--seed",
            "1",
        ]
    )
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1
    assert "There is no file missing.csv" in capsys.readouterr().err
