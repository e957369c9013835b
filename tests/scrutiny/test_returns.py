"""Returns from other tools (WORKBOOKS.md §5): the exports of Microsoft Forms, SurveyMonkey and
Google Forms (tests/workbooks/returns/, laid out as the tools write them) and CSV as Excel
writes it, imported all or nothing, idempotent, round-tripped; personal data dropped."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutiny.errors import ApplicationError
from scrutiny.instruments import InstrumentDefinition, OptionDef, QuestionDef, instrument_save
from scrutiny.models import Answer, Instrument, Response
from scrutiny.workbooks import responses_import, responses_to_workbook
from scrutiny.workbooks.responses import responses_columns
from scrutiny.workbooks.returns_columns import fold
from tests.conftest import compiled_versions_forget, is_insert
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    lists_fixture,
    saved,
    scrutiny_fixture,
)
from tests.workbooks.returns import make

pytestmark = pytest.mark.django_db

RETURNS = Path(make.__file__).resolve().parent
EXPORTS = ("microsoft-forms.xlsx", "surveymonkey.csv", "surveymonkey.xlsx", "google-forms.csv")
FILES = (*EXPORTS, "excel-semicolons.csv")
# What the respondents' answers are, by option value (make.ANSWERS by label); the first text
# holds an en dash and an e acute, which Windows-1252 and UTF-8 write differently.
EXPECTED = [
    ("3", {"briefing", "training"}, make.ANSWERS[0][2], Decimal(6)),
    ("4", {"supervision", "team"}, "Shorter briefings, sent monthly", Decimal(12)),
    ("2", set(), None, Decimal(2)),
]  # fmt: skip
PERSONAL = [value for person in make.PEOPLE for value in person] + ["Bloggs", "Hartley"]

SURVEY = InstrumentDefinition(
    code="PS1",
    title="Practitioner survey",
    kind="practitioner_survey",
    questions=tuple(
        QuestionDef("Your practice", code, kind, text, options, code == "Q1")
        for code, kind, text, options in make.QUESTIONS
    ),
    option_lists={
        name: tuple(OptionDef(v, label, points) for v, label, points in options)
        for name, options in make.OPTIONS.items()
    },
)


@pytest.fixture
def survey(scrutiny, lists) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=SURVEY).instrument


def returned(name: str) -> Path:
    return RETURNS / name


def answers_by_response() -> list[tuple]:
    found = []
    for response in Response.objects.order_by("submitted_at"):
        given = {a.question.code: a for a in Answer.objects.filter(response=response)}
        routes = {
            a.option.value
            for a in Answer.objects.filter(response=response, question__code="Q2")
            if a.option is not None
        }
        found.append(
            (
                Answer.objects.filter(response=response, question__code="Q1")
                .values_list("option__value", flat=True)
                .get(),
                routes,
                given["Q3"].text if "Q3" in given else None,
                given["Q4"].number,
            )
        )
    return found


def snapshot() -> list[tuple]:
    responses = list(
        Response.objects.order_by("pk").values_list(
            "pk", "ref", "case_ref", "submitted_at", "status", "fingerprint"
        )
    )
    answers = list(
        Answer.objects.order_by("pk").values_list(
            "pk", "response_id", "question__code", "option__value", "text", "number", "date"
        )
    )
    return responses + answers


@pytest.mark.parametrize("name", FILES)
def test_each_export_imports_as_the_tool_wrote_it(survey, name):
    result = responses_import(instrument=survey, file=returned(name))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert answers_by_response() == EXPECTED
    assert all(r.status == Response.Status.SUBMITTED for r in Response.objects.all())


def test_metadata_columns_give_the_ref_and_the_submitted_time(survey):
    london = dt.timezone(dt.timedelta(hours=0))
    responses_import(instrument=survey, file=returned("microsoft-forms.xlsx"))
    first = Response.objects.order_by("submitted_at").first()
    assert first is not None
    # ID → ref; Completion time → submitted (15 January, London is on GMT).
    assert first.ref == "1"
    assert first.submitted_at == dt.datetime(2024, 1, 15, 10, 9, 45, tzinfo=london)
    Response.objects.all().delete()
    responses_import(instrument=survey, file=returned("surveymonkey.csv"))
    refs = list(Response.objects.order_by("submitted_at").values_list("ref", "submitted_at"))
    # Respondent ID → ref; End Date (US order, AM/PM) → submitted; July is summer time.
    assert refs[0] == ("11802749120", dt.datetime(2024, 1, 15, 10, 9, 45, tzinfo=dt.UTC))
    assert refs[2] == ("11802749122", dt.datetime(2024, 7, 3, 8, 23, 14, tzinfo=dt.UTC))


@pytest.mark.parametrize("name", FILES)
def test_each_export_round_trips_and_imports_again_unchanged(survey, name):
    responses_import(instrument=survey, file=returned(name))
    before = snapshot()
    again = responses_import(instrument=survey, file=returned(name))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    exported = saved(responses_to_workbook(survey))
    back = responses_import(instrument=survey, file=exported)
    assert (back.created, back.updated, back.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_personal_data_columns_are_said_to_be_dropped(survey):
    columns = responses_columns(instrument=survey, file=returned("surveymonkey.csv"))
    assert columns.dropped == [
        "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1",
    ]  # fmt: skip
    assert columns.unmatched == []
    ms = responses_columns(instrument=survey, file=returned("microsoft-forms.xlsx"))
    assert ms.dropped == ["Email", "Name"]


def test_headers_match_questions_whatever_their_case_spaces_and_marks(survey):
    header = "ref,  HOW CONFIDENT are you in recognising   neglect ? *,q4\n"
    file = io.BytesIO((header + "A-1,Very confident,3\n").encode())
    assert responses_import(instrument=survey, file=file).created == 1
    assert fold(" Where have you heard?* ") == "where have you heard"


def test_a_label_with_a_comma_is_matched_whole_and_values_work_too(survey):
    rows = [
        "ref,Q1,Q2",
        'A-1,fairly confident,"Supervision, Training, courses or conferences"',
        'A-2,3,"briefing;team;"',
        'A-3,3,"Training, courses or conferences"',
    ]
    responses_import(instrument=survey, file=io.BytesIO("\r\n".join(rows).encode()))
    chosen = {
        ref: set(
            Answer.objects.filter(response__ref=ref, question__code="Q2").values_list(
                "option__value", flat=True
            )
        )
        for ref in ("A-1", "A-2", "A-3")
    }
    assert chosen == {
        "A-1": {"supervision", "training"},
        "A-2": {"briefing", "team"},
        "A-3": {"training"},
    }


def _error(survey, content: bytes | str, **kwargs) -> ApplicationError:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(ApplicationError) as caught:
        responses_import(instrument=survey, file=io.BytesIO(data), **kwargs)
    assert not Response.objects.exists()
    return caught.value


def test_an_unknown_option_and_column_are_named_by_row_and_column(survey):
    error = _error(survey, "ref,Q1,Q2\nA-1,Very confident,briefing\nA-2,Quite sure,Podcasts\n")
    assert error.extra["errors"] == [
        "Row 3, column B (Q1): 'Quite sure' is not an option of Q1; use one of: 4, 3, 2, 1",
        "Row 3, column C (Q2): 'Podcasts' is not an option of Q2; use values from: briefing, "
        "supervision, training, team, separated by ;",
    ]
    error = _error(survey, "ref,Q1,Which agency?\nA-1,4,Police\n")
    assert error.extra["errors"] == [
        "Row 1, column C (Which agency?): 'Which agency?' is not a question code of PS1, nor one "
        "of the columns ref, agency, area, role, case_ref, submitted. Name the column by a "
        "question code (Q1, Q2, Q3, Q4), or delete it"
    ]


def test_a_map_ignores_a_column_or_gives_its_question(survey):
    content = "ref,Which agency?,Confidence\nA-1,Police,Very confident\n"
    mapping = {"Which agency?": "-", "Confidence": "Q1"}
    result = responses_import(instrument=survey, file=io.BytesIO(content.encode()), mapping=mapping)
    assert result.created == 1
    assert Answer.objects.values_list("option__value", flat=True).get() == "4"
    assert not Answer.objects.filter(text__icontains="Police").exists()


def test_a_map_with_a_wrong_code_or_a_missing_column_is_refused(survey):
    content = "ref,Confidence\nA-1,Very confident\n"
    error = _error(survey, content, mapping={"Confidence": "Q9", "Agency name": "-"})
    assert error.extra["errors"][0].startswith(
        "Row 1, column B (Confidence): the map gives 'Q9' for this column, which is not a "
        "question code of PS1"
    )
    assert "the map names a column 'agency name' that the file does not have" in str(error)


def test_two_columns_for_one_question_are_refused(survey):
    content = "Q1,How confident are you in recognising neglect?\n4,4\n"
    error = _error(survey, content)
    assert error.extra["errors"] == [
        "Row 1, column B (How confident are you in recognising neglect?): this column and "
        "column A (Q1) both answer Q1: delete one, or ignore one in the map"
    ]


def test_a_surveymonkey_option_that_is_not_in_the_list_is_named(survey):
    rows = make.surveymonkey_rows()
    rows[1][11] = "Podcasts"
    text = "\n".join(",".join(f'"{c}"' for c in row) for row in rows)
    error = _error(survey, text)
    assert error.extra["errors"] == [
        "Row 1, column L (Where have you heard about learning from reviews? / Podcasts): "
        "'Podcasts' is not an option of Q2 (“Where have you heard about learning from "
        "reviews?”), which takes: Learning briefings; Supervision; Training, courses or "
        "conferences; Team meetings. Ignore the column in the map, or correct the option's text"
    ]


def test_encodings_utf8_with_or_without_bom_and_windows_1252(survey):
    text = "ref;Q1;Q3\nA-1;4;Café \u2013 weekly\n"
    for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("cp1252")):
        responses_import(instrument=survey, file=io.BytesIO(data))
        assert Answer.objects.get(question__code="Q3").text == "Café \u2013 weekly"
        Response.objects.all().delete()
    # Neither UTF-8 nor Windows-1252 (0x81 is unassigned there): refused, saying what to do.
    error = _error(survey, b"ref,Q1,Q3\nA-1,4,caf\x81\n")
    assert "neither UTF-8 nor Windows-1252" in str(error)
    assert "CSV UTF-8" in str(error)


def test_a_csv_import_reads_as_many_times_for_a_hundred_rows_as_for_ten(survey):
    def counted(rows: int, prefix: str) -> tuple[int, int]:
        lines = ["ref,Q1,Q2,Q4"]
        lines += [f"{prefix}{n},Fairly confident,briefing;team,{n}" for n in range(rows)]
        compiled_versions_forget()  # each import compiles its version afresh: the same reads
        with CaptureQueriesContext(connection) as queries:
            imported = responses_import(
                instrument=survey, file=io.BytesIO("\n".join(lines).encode())
            )
        assert imported.created == rows
        inserts = sum(is_insert(q["sql"]) for q in queries.captured_queries)
        return inserts, len(queries) - inserts

    (small_inserts, small_others), (large_inserts, large_others) = (
        counted(10, "S"),
        counted(100, "L"),
    )
    assert small_others == large_others
    # The rows go to the driver's own cursor in bulk (PostgreSQL's COPY, SQLite's inserts of
    # thousands of rows: `bulk_write.rows_write`), not one Django query a row: none in its log.
    assert small_inserts == large_inserts == 0


def test_no_personal_value_from_the_file_is_kept_anywhere(survey, caplog):
    """As an attacker would look: every row of every table, every log line, after importing
    each export that carries names, emails and IP addresses."""
    from django.apps import apps
    from django.core import serializers

    caplog.set_level("DEBUG")
    for name in EXPORTS:
        responses_import(instrument=survey, file=returned(name))
    stored = "".join(
        serializers.serialize("json", model._default_manager.all())
        for model in apps.get_models()
        if model._meta.managed
    )
    logged = caplog.text
    for value in PERSONAL:
        assert value not in stored, value
        assert value not in logged, value
