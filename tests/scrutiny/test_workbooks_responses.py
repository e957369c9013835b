"""The responses workbook (WORKBOOKS.md §3): import all or nothing, idempotent, round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutiny.disclosure import CommentLabels, QuoteLabels
from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Answer, Quote, Response
from scrutiny.workbooks import ImportResult, responses_import, responses_to_workbook
from scrutiny.workbooks.responses import synthetic_ref
from tests.conftest import compiled_versions_forget, is_insert
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    HEADER,
    audit_fixture,
    lists_fixture,
    responses_file,
    saved,
    scrutiny_fixture,
    sheet_values,
)

UTC = dt.UTC

JULY_3 = dt.datetime(2024, 7, 3)
JAN_5 = dt.datetime(2024, 1, 5)
FEB_5 = dt.datetime(2024, 2, 5)
ROWS = [
    ["A1", "POL", "NTH", "SW", "C-1001", JULY_3, 1, "Talk to father", "briefing; team", 3.0, JAN_5],
    ["A2", "FHC", "STH", None, "C-1002", "2024-01-15", 4, "not when Q1 is 4", None, None, None],
    [None, None, None, None, None, None, "na", None, "supervision", 12, "05/02/2024"],
]  # fmt: skip


def _snapshot() -> list[tuple]:
    """Everything an import writes, to compare before and after."""
    responses = list(
        Response.objects.order_by("pk").values_list(
            "pk", "ref", "agency__code", "area__code", "role__code", "case_ref", "submitted_at",
            "status", "version_id", "fingerprint",
        )
    )  # fmt: skip
    answers = list(
        Answer.objects.order_by("pk").values_list(
            "pk",
            "response_id",
            "question__code",
            "option__value",
            "text",
            "number",
            "date",
            "score",
        )
    )
    return responses + answers


def test_rows_become_submitted_responses_with_their_answers(audit):
    result = responses_import(instrument=audit, file=responses_file(ROWS))
    assert result == ImportResult(created=3, updated=0, unchanged=0)
    first, second, third = Response.objects.order_by("pk")
    assert (first.ref, first.agency.code, first.area.code, first.role.code, first.case_ref) == (
        "A1",
        "POL",
        "NTH",
        "SW",
        "C-1001",
    )
    assert first.status == Response.Status.SUBMITTED
    assert first.channel == Response.Channel.WORKBOOK
    # Midnight in London on 3 July (summer time) is 23:00 UTC the day before.
    assert first.submitted_at == dt.datetime(2024, 7, 2, 23, 0, tzinfo=UTC)
    assert second.submitted_at == dt.datetime(2024, 1, 15, 0, 0, tzinfo=UTC)
    answers = {
        (a.response.ref, a.question.code): (
            a.option.value if a.option else None, a.text, a.number, a.date, a.score
        )
        for a in Answer.objects.select_related("response", "question", "option")
        if a.question.code != "Q3"
    }  # fmt: skip
    assert answers[("A1", "Q1")] == ("1", "", None, None, 0.0)  # the number 1 is option "1"
    assert answers[("A1", "Q2")] == (None, "Talk to father", None, None, None)
    assert answers[("A1", "Q4")] == (None, "", Decimal(3), None, None)
    assert answers[("A1", "Q5")] == (None, "", None, dt.date(2024, 1, 5), None)
    assert answers[("A2", "Q1")] == ("4", "", None, None, 1.0)
    assert ("A2", "Q2") not in answers  # Q2 shows only when Q1 is 1 or 2: not stored
    assert answers[(third.ref, "Q1")] == ("na", "", None, None, None)
    assert answers[(third.ref, "Q5")] == (None, "", None, dt.date(2024, 2, 5), None)
    chosen = Answer.objects.filter(response=first, question__code="Q3")
    assert sorted(chosen.values_list("option__value", flat=True)) == ["briefing", "team"]


def test_a_row_without_ref_gets_a_ref_from_its_content_and_twins_stay_distinct(audit):
    twin = [None, "POL", None, None, None, "2024-03-01", 3, None, None, None, None]
    result = responses_import(instrument=audit, file=responses_file([twin, twin]))
    assert result.created == 2
    refs = sorted(Response.objects.values_list("ref", flat=True))
    assert refs[0][:-1] == refs[1][:-1]
    assert refs[0].startswith("row-") and refs[0].endswith("-1") and refs[1].endswith("-2")
    assert len(refs[0]) == len("row-") + 16 + len("-1")
    again = responses_import(instrument=audit, file=responses_file([twin, twin]))
    assert again == ImportResult(0, 0, 2)


def test_importing_the_same_workbook_again_changes_nothing(audit):
    responses_import(instrument=audit, file=responses_file(ROWS))
    before = _snapshot()
    again = responses_import(instrument=audit, file=responses_file(ROWS))
    assert again == ImportResult(created=0, updated=0, unchanged=3)
    assert _snapshot() == before


def test_a_row_with_a_known_ref_updates_that_response(audit):
    responses_import(instrument=audit, file=responses_file(ROWS))
    pk = Response.objects.get(ref="A2").pk
    changed = [row[:] for row in ROWS]
    changed[1][6] = 3
    result = responses_import(instrument=audit, file=responses_file(changed))
    assert result == ImportResult(created=0, updated=1, unchanged=2)
    response = Response.objects.get(ref="A2")
    assert response.pk == pk
    assert response.answers.get(question__code="Q1").option.value == "3"
    assert Response.objects.count() == 3


def test_a_changed_row_keeps_the_answers_it_did_not_change_and_their_quotes(audit):
    """Importing a corrected export again replaces only the answers that changed: a comment
    the scrutineer quoted stays quoted when another cell of its row is corrected, and goes
    when the comment itself is rewritten."""
    responses_import(instrument=audit, file=responses_file(ROWS))
    response = Response.objects.get(ref="A1")
    ids = dict(response.answers.values_list("question__code", "pk").exclude(question__code="Q3"))
    options = set(response.answers.filter(question__code="Q3").values_list("pk", flat=True))
    quote = Quote.objects.create(
        scrutiny=audit.scrutiny,
        factor=audit.scrutiny.factors.get(code="SF1"),
        answer_id=ids["Q2"],
        text="Talk to father",
        source=audit.kind,
    )
    changed = [row[:] for row in ROWS]
    changed[0][6] = 2  # Q1 from 1 to 2: Q2 is still shown
    result = responses_import(instrument=audit, file=responses_file(changed))
    assert result == ImportResult(created=0, updated=1, unchanged=2)
    now = dict(response.answers.values_list("question__code", "pk").exclude(question__code="Q3"))
    assert {code: now[code] == pk for code, pk in ids.items()} == {
        "Q1": False,
        "Q2": True,
        "Q4": True,
        "Q5": True,
    }
    assert set(response.answers.filter(question__code="Q3").values_list("pk", flat=True)) == (
        options
    )
    assert Quote.objects.get() == quote
    changed[0][7] = "Talk to both parents"
    responses_import(instrument=audit, file=responses_file(changed))
    assert response.answers.get(question__code="Q2").text == "Talk to both parents"
    assert not Quote.objects.exists()


def test_a_kept_quotes_label_is_the_one_it_may_carry_now(audit):
    """A quote's label says who the comment is from, as the breakdowns and rows stand when it
    leaves the screen (`QuoteLabels`), not as they stood when it was tagged: a row imported
    again with its agency and area corrected, its comment unchanged, keeps the quote under
    its new label; and another row moving away, so that the first agency falls below the
    threshold, takes the label off."""
    scrutiny = audit.scrutiny
    scrutiny.suppression_threshold = 1  # so that a label shows at all with three rows
    scrutiny.save()
    responses_import(instrument=audit, file=responses_file(ROWS))
    answer = Response.objects.get(ref="A1").answers.get(question__code="Q2")
    factor = scrutiny.factors.get(code="SF1")

    def label_now() -> str:
        labels = CommentLabels.for_factor(scrutiny=scrutiny, factor_code="SF1")
        return labels(CommentLabels.answers(Answer.objects.filter(pk=answer.pk)).get())

    quote = Quote.objects.create(
        scrutiny=scrutiny, factor=factor, answer=answer, text="Talk to father", label=label_now()
    )
    assert "Police" in QuoteLabels([quote], scrutiny=scrutiny)(quote)
    changed = [row[:] for row in ROWS]
    changed[0][1:3] = ["FHC", "STH"]
    responses_import(instrument=audit, file=responses_file(changed))
    quote = Quote.objects.get()
    assert quote.answer_id == answer.pk
    shown = QuoteLabels([quote], scrutiny=scrutiny)(quote)
    assert shown == label_now() != "" and "Police" not in shown
    # Three rows at a threshold of 2: Council and its area have one row each, the third has
    # none: every cell is suppressed, and the label with them.
    scrutiny.suppression_threshold = 2
    scrutiny.save()
    assert QuoteLabels([quote], scrutiny=scrutiny)(quote) == ""


def test_headers_are_case_insensitive(audit):
    header = [
        "REF",
        "Agency",
        "area",
        "Role",
        "Case_Ref",
        "Submitted",
        "q1",
        "Q2",
        "q3",
        "Q4",
        "q5",
    ]
    result = responses_import(instrument=audit, file=responses_file(ROWS, header=header))
    assert result.created == 3


def _errors(audit, rows, header=None) -> list[str]:
    with pytest.raises(ApplicationError) as error:
        responses_import(instrument=audit, file=responses_file(rows, header=header))
    assert "nothing was imported" in str(error.value)
    return error.value.extra["errors"]


def test_every_kind_of_error_names_sheet_row_and_column(audit):
    rows = [
        ["B1", "XYZ", "NTH", "SW", None, None, 3, None, None, None, None],
        ["B2", "POL", "WST", "DSL", None, "sometime", 5, None, "briefing; radio", "lots", "soon"],
        ["B3", "POL", None, None, None, None, None, None, None, None, None],
        ["B1", "POL", None, None, None, None, 3, None, None, None, None],
        ["B5", "POL", None, None, None, None, "=1+1", None, None, None, None],
    ]
    assert _errors(audit, rows) == [
        "sheet responses, row 2, column B (agency): 'XYZ' is not an agency code of the "
        "partnership; use one of: FHC, POL",
        "sheet responses, row 3, column C (area): 'WST' is not an area code of the partnership; "
        "use one of: NTH, STH",
        "sheet responses, row 3, column D (role): 'DSL' is not a role code of the partnership; "
        "use one of: SW",
        "sheet responses, row 3, column F (submitted): 'sometime' is not a date; write it as "
        "YYYY-MM-DD (or DD/MM/YYYY)",
        "sheet responses, row 3, column G (Q1): '5' is not an option of Q1; use one of: 4, 3, 2, "
        "1, na",
        "sheet responses, row 3, column I (Q3): 'radio' is not an option of Q3; use values from: "
        "briefing, supervision, team, separated by ;",
        "sheet responses, row 3, column J (Q4): 'lots' is not a number",
        "sheet responses, row 3, column K (Q5): 'soon' is not a date; write it as YYYY-MM-DD",
        "sheet responses, row 4, column G (Q1): Q1 is required: answer “How well was the child's "
        "need recognised?”",
        "sheet responses, row 5, column A (ref): ref 'B1' is also in row 2; each response needs "
        "its own ref",
        "sheet responses, row 6, column G (Q1): the cell holds a formula (=1+1); formulas are not "
        "read. Put the value itself in the cell (in Excel: Copy, then Paste Special → Values)",
    ]
    assert not Response.objects.exists()


def test_an_unknown_column_and_a_missing_required_column_are_named(audit):
    header = ["ref", "Q2", "Q9", "comments"]
    assert _errors(audit, [["C1", "x", "y", "z"]], header=header) == [
        "sheet responses, row 1, column C (Q9): 'Q9' is not a question code of FA1, nor one of "
        "the columns ref, agency, area, role, case_ref, submitted. Name the column by a question "
        "code (Q1, Q2, Q3, Q4, Q5), or delete it",
        "sheet responses, row 1, column D (comments): 'comments' is not a question code of FA1, "
        "nor one of the columns ref, agency, area, role, case_ref, submitted. Name the column by "
        "a question code (Q1, Q2, Q3, Q4, Q5), or delete it",
        "sheet responses, row 1: there is no column for Q1, which must be answered (“How well "
        "was the child's need recognised?”): add a column headed Q1",
    ]


def test_one_bad_row_among_good_ones_changes_nothing(audit):
    responses_import(instrument=audit, file=responses_file(ROWS[:1]))
    before = _snapshot()
    good = [[f"G{i}", "POL", None, None, None, None, 3, None, None, None, None] for i in range(30)]
    bad = ["G99", "POL", None, None, None, None, 7, None, None, None, None]
    changed_first = [*ROWS[0][:6], 4, *ROWS[0][7:]]
    errors = _errors(audit, [changed_first, *good, bad])
    assert errors == [
        "sheet responses, row 33, column G (Q1): '7' is not an option of Q1; use one of: 4, 3, 2, "
        "1, na"
    ]
    assert _snapshot() == before


def test_the_error_list_stops_at_fifty_and_says_how_many_more(audit):
    rows = [[f"E{i}", "NOPE", None, None, None, None, 3, None, None, None, None] for i in range(60)]
    with pytest.raises(ApplicationError) as error:
        responses_import(instrument=audit, file=responses_file(rows))
    assert len(error.value.extra["errors"]) == 50
    assert error.value.extra["error_count"] == 60
    assert str(error.value).startswith(
        "The responses workbook has 60 errors; nothing was imported."
    )
    assert str(error.value).endswith("\n- and 10 more")


def test_export_has_the_format_and_imports_back_unchanged(audit):
    rows = [row[:] for row in ROWS]
    rows[0][7] = '=HYPERLINK("http://x.invalid","see")'  # typed as text: written as a formula
    file = responses_file(rows)
    with pytest.raises(ApplicationError, match="holds a formula"):
        responses_import(instrument=audit, file=file)
    rows[0][7] = "@see the father's account"
    responses_import(instrument=audit, file=responses_file(rows))
    before = _snapshot()
    exported = saved(responses_to_workbook(audit))
    values = sheet_values(exported)
    assert values[0] == tuple(HEADER)
    third_ref = Response.objects.order_by("pk").last().ref
    comment = "@see the father's account"
    assert values[1:] == [
        ("A1", "POL", "NTH", "SW", "C-1001", JULY_3, "1", comment, "briefing; team", 3, JAN_5),
        ("A2", "FHC", "STH", None, "C-1002", dt.datetime(2024, 1, 15), "4", *[None] * 4),
        (third_ref, *[None] * 4, values[3][5], "na", None, "supervision", 12, FEB_5),
    ]  # fmt: skip
    # A row imported without a date took the time of the import, to the second.
    assert isinstance(values[3][5], dt.datetime)
    again = responses_import(instrument=audit, file=exported)
    assert again == ImportResult(created=0, updated=0, unchanged=3)
    assert _snapshot() == before


def test_platform_responses_without_a_ref_round_trip_in_place(audit):
    compiled = version_compile(instrument_current_version(audit))
    response = response_submit(
        compiled=compiled,
        values={"Q1": "2", "Q2": "More curiosity about the household", "Q4": "2.5"},
        details=ResponseDetails(case_ref="C-2001"),
        channel=Response.Channel.AUDIT,
    )
    assert response.ref == ""
    before = _snapshot()
    exported = saved(responses_to_workbook(audit))
    row = sheet_values(exported)[1]
    assert row[0] == synthetic_ref(response.pk, audit.pk)
    assert isinstance(row[5], str)  # a time with fractions of a second stays exact as text
    assert responses_import(instrument=audit, file=exported) == ImportResult(0, 0, 1)
    assert _snapshot() == before
    changed = [list(row)]
    changed[0][6] = 1
    result = responses_import(instrument=audit, file=responses_file(changed))
    assert result == ImportResult(created=0, updated=1, unchanged=0)
    response.refresh_from_db()
    assert response.ref == ""
    assert response.answers.get(question__code="Q1").option.value == "1"
    assert Response.objects.count() == 1


def test_a_made_up_platform_ref_is_only_a_ref(audit):
    compiled = version_compile(instrument_current_version(audit))
    response = response_submit(compiled=compiled, values={"Q1": "2"}, channel="audit")
    forged = f"response-{response.pk}-000000000000"
    row = [forged, None, None, None, None, None, 1, None, None, None, None]
    assert responses_import(instrument=audit, file=responses_file([row])).created == 1
    assert Response.objects.get(pk=response.pk).answers.get().option.value == "2"


def _queries_for(audit, count: int, prefix: str) -> tuple[int, int]:
    """(inserts, other queries) of importing `count` new rows."""
    rows = [
        [f"{prefix}{i}", "POL", "NTH", "SW", f"C-{i}", "2024-03-01", 3, None, "team", i, None]
        for i in range(count)
    ]
    file = responses_file(rows)
    compiled_versions_forget()  # each import compiles its version afresh: the same reads
    with CaptureQueriesContext(connection) as queries:
        assert responses_import(instrument=audit, file=file).created == count
    inserts = sum(is_insert(q["sql"]) for q in queries.captured_queries)
    return inserts, len(queries) - inserts


def test_queries_do_not_grow_with_the_rows(audit):
    small_inserts, small_others = _queries_for(audit, 10, "S")
    large_inserts, large_others = _queries_for(audit, 100, "L")
    # Reads are the same whatever the rows. The rows go to the driver's own cursor in bulk
    # (PostgreSQL's COPY, SQLite's inserts of thousands of rows: `bulk_write.rows_write`), not
    # one Django query a row or a batch: none is in Django's log.
    assert small_others == large_others <= 12
    assert small_inserts == large_inserts == 0


def test_progress_is_reported_in_per_cent(audit):
    seen: list[int] = []
    rows = [[f"P{i}", None, None, None, None, None, 3, None, None, None, None] for i in range(20)]
    responses_import(instrument=audit, file=responses_file(rows), progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 100
    assert len(seen) > 5


def test_submitted_times_are_uk_time_and_export_back_exactly(audit):
    rows = [
        ["T1", None, None, None, None, dt.datetime(2024, 7, 3, 14, 30), 3, *[None] * 4],
        # 01:30 GMT on 27 October 2024: the second 01:30 of the night the clocks go back.
        ["T2", None, None, None, None, "2024-10-27T01:30:00+00:00", 3, *[None] * 4],
    ]
    responses_import(instrument=audit, file=responses_file(rows))
    assert list(Response.objects.order_by("ref").values_list("submitted_at", flat=True)) == [
        dt.datetime(2024, 7, 3, 13, 30, tzinfo=UTC),
        dt.datetime(2024, 10, 27, 1, 30, tzinfo=UTC),
    ]
    exported = saved(responses_to_workbook(audit))
    assert [row[5] for row in sheet_values(exported)[1:]] == [
        dt.datetime(2024, 7, 3, 14, 30),  # an Excel date and time, in UK time
        "2024-10-27T01:30:00+00:00",  # Excel could not tell which 01:30: text with its offset
    ]
    assert responses_import(instrument=audit, file=exported) == ImportResult(0, 0, 2)


def test_an_empty_sheet_imports_nothing(audit):
    assert responses_import(instrument=audit, file=responses_file([])) == ImportResult(0, 0, 0)
