"""Issue 19, imports at a million: the fast paths give exactly what the careful ones give.

- the workbook's cells read by python-calamine (`scrutiny.workbooks.fast_sheet`) import as the
  openpyxl reader's do, dates and numbers included; what calamine cannot judge (formulas, error
  cells, DOCTYPEs, padding) goes to the openpyxl reader and keeps its messages;
- `BulkCleaner` gives what `answers_clean` gives, row by row;
- the import's query count does not grow with the rows beyond its batch writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from scrutiny.errors import ApplicationError
from scrutiny.evidence import bulk_write
from scrutiny.evidence.batches import BulkCleaner, ResponseWriter
from scrutiny.evidence.cleaning import answer_clean_alone, answers_clean
from scrutiny.instruments import instrument_current_version, instrument_save, version_compile
from scrutiny.models import Answer, Response
from scrutiny.workbooks import fast_sheet, responses_import, sheet_pieces, xml_scan
from tests.scrutiny.test_workbooks_support import (  # noqa: F401 - fixtures
    AUDIT,
    HEADER,
    audit_fixture,
    lists_fixture,
    responses_file,
    saved,
    scrutiny_fixture,
)

COLUMNS = ["response_id", "question_id", "option_id", "text", "number", "date", "score"]
COLUMNS += ["disclosure"]

# The audit without its one condition, so that answers are checked each alone (BulkCleaner).
PLAIN = dataclasses.replace(
    AUDIT,
    code="FA2",
    questions=tuple(dataclasses.replace(q, show_if="") for q in AUDIT.questions),
)


@pytest.fixture(name="plain")
def plain_fixture(scrutiny, lists):
    return instrument_save(scrutiny=scrutiny, definition=PLAIN).instrument


def _stored(instrument) -> list[tuple]:
    responses = Response.objects.filter(instrument=instrument).order_by("ref")
    return [
        (
            r.ref,
            r.agency_id,
            r.case_ref,
            r.submitted_at,
            r.fingerprint,
            sorted(
                Answer.objects.filter(response=r).values_list(
                    "question__code", "option__value", "text", "number", "date", "score"
                )
            ),
        )
        for r in responses
    ]


ROWS = [
    ["A1", "POL", "NTH", "SW", "C-1", dt.datetime(2024, 7, 3), 1, "Talk", "briefing; team", 3.0,
     dt.datetime(2024, 1, 5)],
    ["A2", "FHC", "STH", None, "C-2", dt.datetime(2024, 7, 3, 9, 30, 15), 4, None, None, 12,
     dt.date(2024, 2, 5)],
    ["A3", None, None, None, 42, "2024-01-15", "na", "  padded  ", "supervision", 2.5,
     "05/02/2024"],
    ["A4", None, None, None, None, dt.date(2023, 3, 26), 2, "x", "team", 0, None],
]  # fmt: skip


def test_calamine_reads_as_openpyxl_does(plain, monkeypatch):
    """The same rows through each reader: the same responses, dates, numbers and texts."""
    fast = responses_import(instrument=plain, file=responses_file(ROWS))
    assert fast.created == len(ROWS)
    read_fast = _stored(plain)
    Response.objects.filter(instrument=plain).delete()
    monkeypatch.setattr(xml_scan, "scan", lambda handle: None)
    careful = responses_import(instrument=plain, file=responses_file(ROWS))
    assert careful.created == len(ROWS)
    assert _stored(plain) == read_fast
    # And each reader recognises what the other wrote: nothing changes.
    monkeypatch.undo()
    assert responses_import(instrument=plain, file=responses_file(ROWS)).unchanged == len(ROWS)


def _excel_file(rows: list[list]) -> io.BytesIO:
    """Written as Excel writes: texts in the shared strings, dates formatted as dates."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("responses")
    day = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for number, row in enumerate([HEADER, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(number, column, value, day)
            elif value is not None:
                sheet.write(number, column, value)
    workbook.close()
    out.seek(0)
    return out


@pytest.mark.parametrize("write", [responses_file, _excel_file], ids=["openpyxl", "excel"])
def test_a_sheet_read_in_pieces_imports_as_the_sheet_read_whole(plain, monkeypatch, write):
    """A big sheet is read a few rows at a time (`sheet_pieces`), each piece given only the
    shared strings its rows use (`shared_strings`): the same responses stored."""
    rows = [[f"P{n}", *ROWS[n % len(ROWS)][1:]] for n in range(60)]
    assert responses_import(instrument=plain, file=write(rows)).created == 60
    whole = _stored(plain)
    Response.objects.filter(instrument=plain).delete()
    monkeypatch.setattr(sheet_pieces, "PIECE_MIN", 600)
    monkeypatch.setattr(sheet_pieces, "SHARED_TIMES", 0)
    monkeypatch.setattr(sheet_pieces, "_STEP", 300)
    file = write(rows)
    with zipfile.ZipFile(file) as archive:
        plan = fast_sheet._pieces_plan(archive, xml_scan.scan(file) or {})
        assert plan is not None
        assert (plan[2] is None) == (write is responses_file)
        assert len(list(sheet_pieces.pieces(archive, *plan, most=10**9))) > 10
    file.seek(0)
    assert responses_import(instrument=plain, file=file).created == 60
    assert _stored(plain) == whole


def test_rows_split_into_statements_store_what_one_statement_does(plain, monkeypatch):
    """`bulk_write.rows_write` binds as many rows a statement as SQLite takes: a statement of
    one response and of two answers (a bound of 20 values) stores exactly what the default
    does, the last statement of each batch a shorter one, the responses' ids still theirs."""
    responses_import(instrument=plain, file=responses_file(ROWS))
    whole = _stored(plain)
    Response.objects.filter(instrument=plain).delete()
    monkeypatch.setattr(bulk_write, "MAX_PARAMETERS", 20)
    split = responses_import(instrument=plain, file=responses_file(ROWS))
    assert split.created == len(ROWS)
    assert _stored(plain) == whole
    assert Answer.objects.filter(response__instrument=plain).count() > 2 * len(ROWS)


def test_a_row_the_database_refuses_is_djangos_integrity_error(plain):
    """The rows go to the driver's own cursor (COPY, SQLite's inserts of many rows); what the
    database refuses there is still Django's IntegrityError, and nothing is kept."""
    responses_import(instrument=plain, file=responses_file(ROWS[:1]))
    response = Response.objects.get(instrument=plain)
    answer = Answer.objects.filter(response=response, option__isnull=False).first()
    again = (response.pk, answer.question_id, answer.option_id, "", None, None, None, False)
    count = Answer.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_write.rows_write(connection, Answer._meta.db_table, COLUMNS, [again])
    assert Answer.objects.count() == count


def test_an_error_cell_is_refused_with_its_cell_named(plain):
    row = ["E1", None, None, None, None, None, "#N/A", None, None, None, None]
    with pytest.raises(ApplicationError) as error:
        responses_import(instrument=plain, file=responses_file([row]))
    assert "row 2, column G (Q1): the cell shows the error #N/A" in str(error.value)
    assert not Response.objects.exists()


def _rewritten(file: io.BytesIO, change) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename.endswith("sheet1.xml") else data)
    out.seek(0)
    return out


def test_a_doctype_with_entities_is_still_refused_for_safety(plain):
    row = ["D1", None, None, None, None, None, 1, None, None, None, None]
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;">]>'
    )
    file = _rewritten(responses_file([row]), lambda data: bomb + data)
    with pytest.raises(ApplicationError, match=r"refused for safety \(EntitiesForbidden\)"):
        responses_import(instrument=plain, file=file)
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("change", "plain_after"),
    [
        (lambda d: d, True),
        (lambda d: d.replace(b"<c ", b"<c ><f>1+1</f></c><c ", 1), False),
        (lambda d: d.replace(b"<worksheet", b"<x:worksheet xmlns:x='urn:x'", 1), True),
        (lambda d: d.replace(b"<sheetData>", b"<sheetData><!-- note -->", 1), False),
        (lambda d: d.replace(b"<sheetData>", b'<sheetData><row r="9" t="e"/>', 1), False),
        (lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" \n" * 20_000, 1), False),
        (lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * 5_000, 1), True),
    ],
)
def test_the_scan_sends_what_calamine_cannot_judge_to_openpyxl(change, plain_after):
    file = _rewritten(responses_file([["R1", None, None, None, None, None, 1]]), change)
    assert (xml_scan.scan(file) is not None) is plain_after


def test_a_prefixed_formula_is_found():
    file = _rewritten(
        responses_file([["R1"]]),
        lambda d: d.replace(b"<worksheet", b"<x:worksheet", 1).replace(
            b"<c ", b"<x:c><x:f>A1</x:f></x:c><c ", 1
        ),
    )
    assert xml_scan.scan(file) is None


def test_bulk_cleaning_is_answers_clean(plain):
    compiled = version_compile(instrument_current_version(plain))
    cleaner = BulkCleaner(compiled)
    assert cleaner.separable
    rng = random.Random(19)
    choices = {
        "Q1": ["1", "2", "4", "na", "5", "", None, " 3 ", 1, True],
        "Q2": ["text", "", "  ", "a\x00b", None, "x" * 5],
        "Q3": ["briefing", "team; briefing", "nowhere", "", None],
        "Q4": ["3", "3.0", Decimal("3.0"), Decimal("3"), 3, 3.5, "three", None],
        "Q5": [dt.date(2024, 1, 5), dt.datetime(2024, 1, 5, 23, 0), "2024-01-05", "5 Jan", None],
        "Q9": [None, None, None, "unknown"],
    }
    for _ in range(600):
        values = {code: rng.choice(options) for code, options in choices.items()}
        values = {code: value for code, value in values.items() if value is not None}
        assert cleaner.clean(values) == answers_clean(compiled, values, complete=True), values
    # Each answer alone, as the cleaner asks: answers_clean's answers, or None on its error.
    required = set(answers_clean(compiled, {}, complete=True)[1])
    for code, options in choices.items():
        for value in options:
            answers, errors = answers_clean(compiled, {code: value}, complete=True)
            refused = any(key == code or key not in required for key in errors)
            expected = None if refused else answers
            assert answer_clean_alone(compiled, code, value) == expected, (code, value)


def _import_queries(instrument, rows: int, prefix: str) -> int:
    data = [[f"{prefix}{i}", "POL", "NTH", "SW", f"C-{i}", "2024-03-01", 3, "t", "team", i, None]
            for i in range(rows)]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert responses_import(instrument=instrument, file=responses_file(data)).created == rows
    return len(queries)


def test_the_query_count_grows_neither_with_the_rows_nor_the_batches(plain, monkeypatch):
    _import_queries(plain, 1, "W")  # the instrument's compiled version is cached after this
    monkeypatch.setattr(ResponseWriter, "BATCH", 40)
    one_batch = _import_queries(plain, 10, "S")
    assert one_batch == _import_queries(plain, 40, "M")
    # Five batches: each batch's rows and their ids go to the driver's own cursor
    # (`bulk_write`: PostgreSQL's COPY, SQLite's inserts of thousands of rows), which Django's
    # query log does not see; nothing else asks the database anything a batch.
    assert _import_queries(plain, 200, "L") == one_batch
