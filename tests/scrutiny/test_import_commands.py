"""The workbook commands of CLI.md: import_scrutiny, import_instrument, export_instrument and
import_responses. Exit 0 and say what changed; on bad input a CommandError and no change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scrutiny.models import Answer, Instrument, InstrumentVersion, Partnership, Response, Scrutiny
from scrutiny.workbooks import (
    instrument_from_workbook,
    instrument_to_workbook,
    responses_to_workbook,
)
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    AUDIT,
    audit_fixture,
    lists_fixture,
    responses_file,
    saved,
    scrutiny_fixture,
    xlsx,
)

SCRUTINY = {
    "scrutiny": [["key", "value"], ["slug", "neglect-2024"], ["title", "Neglect 2024"]],
    "success_factors": [["code", "statement"], ["SF1", "Neglect is recognised early"]],
}


def _file(tmp_path, name: str, content: io.BytesIO) -> str:
    path = tmp_path / name
    path.write_bytes(content.getvalue())
    return str(path)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_scrutiny_creates_then_changes_nothing(partnership, tmp_path):
    path = _file(tmp_path, "scrutiny.xlsx", xlsx(SCRUTINY))
    assert _run("import_scrutiny", path) == "Scrutiny neglect-2024: created.\n"
    assert _run("import_scrutiny", path) == (
        "Scrutiny neglect-2024: unchanged (the workbook matches what is saved).\n"
    )
    assert Scrutiny.objects.get().partnership == partnership


def test_import_scrutiny_without_a_partnership_says_how_to_make_one(db, tmp_path):
    assert not Partnership.objects.exists()
    path = _file(tmp_path, "scrutiny.xlsx", xlsx(SCRUTINY))
    with pytest.raises(CommandError, match=r"add one with `manage.py add_partnership`"):
        _run("import_scrutiny", path)


def test_import_scrutiny_with_errors_fails_and_changes_nothing(partnership, tmp_path):
    bad = {**SCRUTINY, "scrutiny": [["key", "value"], ["slug", "Neglect!"], ["title", "N"]]}
    path = _file(tmp_path, "scrutiny.xlsx", xlsx(bad))
    with pytest.raises(CommandError) as error:
        _run("import_scrutiny", path)
    assert "sheet scrutiny, row 2, column B (value): slug 'Neglect!'" in str(error.value)
    assert not Scrutiny.objects.exists()


def test_import_scrutiny_refuses_a_file_that_is_not_xlsx(partnership, tmp_path):
    path = tmp_path / "scrutiny.csv"
    path.write_text("key,value\nslug,neglect-2024\n")
    with pytest.raises(CommandError, match=r"not an Excel workbook \(\.xlsx\)"):
        _run("import_scrutiny", str(path))


def test_import_instrument_creates_and_reimport_changes_nothing(scrutiny, tmp_path):
    path = _file(tmp_path, "audit.xlsx", saved(instrument_to_workbook(AUDIT)))
    assert (
        _run("import_instrument", scrutiny.slug, path) == "Instrument FA1 (version 1): created.\n"
    )
    assert _run("import_instrument", scrutiny.slug, path) == (
        "Instrument FA1 (version 1): unchanged (the workbook matches the current version).\n"
    )


def test_an_unknown_slug_lists_the_scrutinies(scrutiny, tmp_path):
    path = _file(tmp_path, "audit.xlsx", saved(instrument_to_workbook(AUDIT)))
    with pytest.raises(CommandError) as error:
        _run("import_instrument", "neglect", path)
    assert str(error.value) == "There is no scrutiny 'neglect'. Scrutinies: learning-from-practice."


def test_import_instrument_with_errors_fails_and_changes_nothing(scrutiny, tmp_path):
    bad = xlsx(
        {
            "settings": [["key", "value"], ["code", "FA1"], ["title", "A"], ["kind", "audit"]],
            "questions": [["section", "code", "type", "text"], ["Need", "Q1", "text", "Why?"]],
        }
    )
    with pytest.raises(CommandError) as error:
        _run("import_instrument", scrutiny.slug, _file(tmp_path, "bad.xlsx", bad))
    assert "sheet settings, row 4, column B (value): kind 'audit' is not one of" in str(error.value)
    assert not Instrument.objects.exists()


def test_export_instrument_writes_a_workbook_that_imports_unchanged(audit, tmp_path):
    out = tmp_path / "fa1.xlsx"
    output = _run("export_instrument", audit.scrutiny.slug, "FA1", "--out", str(out))
    assert output == f"Instrument FA1 (version 1) written to {out}.\n"
    assert instrument_from_workbook(out) == AUDIT
    assert "unchanged" in _run("import_instrument", audit.scrutiny.slug, str(out))
    assert InstrumentVersion.objects.count() == 1


def test_export_instrument_names_the_codes_there_are(audit, tmp_path):
    with pytest.raises(CommandError) as error:
        _run("export_instrument", audit.scrutiny.slug, "PS1", "--out", str(tmp_path / "x.xlsx"))
    assert str(error.value) == (
        "Scrutiny learning-from-practice has no instrument 'PS1'. Its instruments: FA1."
    )


def test_export_instrument_into_a_missing_folder_says_so(audit, tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        _run("export_instrument", audit.scrutiny.slug, "FA1", "--out", str(tmp_path / "a/b.xlsx"))


ROW = ["R1", "POL", "NTH", "SW", "C-1", "2024-05-01", 3, None, "team", 2, None]


def test_import_responses_prints_what_changed(audit, tmp_path):
    path = _file(tmp_path, "returns.xlsx", responses_file([ROW, ["R2", *ROW[1:]]]))
    slug = audit.scrutiny.slug
    assert _run("import_responses", slug, "FA1", path) == (
        "Responses to FA1: 2 created, 0 updated, 0 unchanged.\n"
    )
    assert _run("import_responses", slug, "FA1", path) == (
        "Responses to FA1: 0 created, 0 updated, 2 unchanged.\n"
    )


def test_import_responses_with_a_bad_row_fails_and_changes_nothing(audit, tmp_path):
    bad = ["R2", "POL", None, None, None, None, 9, None, None, None, None]
    path = _file(tmp_path, "returns.xlsx", responses_file([ROW, bad]))
    with pytest.raises(CommandError) as error:
        _run("import_responses", audit.scrutiny.slug, "FA1", path)
    assert str(error.value).startswith(
        "The responses workbook has 1 error; nothing was imported. Correct the workbook and "
        "import it again.\n- sheet responses, row 3, column G (Q1): '9' is not an option of Q1"
    )
    assert not Response.objects.exists()


def test_import_responses_to_an_unknown_instrument_lists_the_codes(audit, tmp_path):
    path = _file(tmp_path, "returns.xlsx", responses_file([ROW]))
    with pytest.raises(CommandError, match=r"has no instrument 'PS1'\. Its instruments: FA1\."):
        _run("import_responses", audit.scrutiny.slug, "PS1", path)


FIXTURES = Path(__file__).resolve().parent.parent / "workbooks"


def test_the_example_workbooks_go_through_every_command(partnership, tmp_path):
    """The examples of docs/workbooks.md, from an empty partnership to a round trip."""
    assert _run("import_scrutiny", str(FIXTURES / "scrutiny-example.xlsx")) == (
        "Scrutiny neglect-example-2024: created.\n"
    )
    slug = "neglect-example-2024"
    instrument_file = str(FIXTURES / "instrument-example.xlsx")
    assert "NA1 (version 1): created" in _run("import_instrument", slug, instrument_file)
    responses = str(FIXTURES / "responses-example.xlsx")
    assert _run("import_responses", slug, "NA1", responses) == (
        "Responses to NA1: 4 created, 0 updated, 0 unchanged.\n"
    )
    q1_scores = dict(
        Answer.objects.filter(question__code="Q1").values_list("response__ref", "score")
    )
    # Grades 4..1: "3" scores (3 - 1) / (4 - 1); "na" counts but is not scored.
    assert q1_scores == {"NA1-001": 2 / 3, "NA1-002": 1 / 3, "NA1-003": 1.0, "NA1-004": None}
    # Q2 shows only when Q1 is 1 or 2: stored for NA1-002 alone.
    assert list(
        Response.objects.filter(answers__question__code="Q2").values_list("ref", flat=True)
    ) == ["NA1-002"]
    out = tmp_path / "NA1.xlsx"
    _run("export_instrument", slug, "NA1", "--out", str(out))
    assert instrument_from_workbook(out) == instrument_from_workbook(instrument_file)
    assert "unchanged" in _run("import_instrument", slug, str(out))
    exported = _file(
        tmp_path, "returns.xlsx", saved(responses_to_workbook(Instrument.objects.get()))
    )
    assert _run("import_responses", slug, "NA1", exported) == (
        "Responses to NA1: 0 created, 0 updated, 4 unchanged.\n"
    )
