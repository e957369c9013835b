"""Reading and writing workbooks safely: what is refused, and text that stays text."""

from __future__ import annotations

import io
import zipfile

import openpyxl.xml
import pytest
from openpyxl import Workbook, load_workbook

from scrutiny.errors import ApplicationError
from scrutiny.workbooks import instrument_from_workbook, instrument_to_workbook
from scrutiny.workbooks.opening import workbook_max_bytes
from tests.scrutiny.test_workbooks_support import AUDIT, saved, xlsx


def _zip_rewrite(file: io.BytesIO, member: str, change) -> io.BytesIO:
    """A copy of an .xlsx with one member's XML changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(file) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data = change(data)
            dst.writestr(info, data)
    out.seek(0)
    return out


def _audit_file() -> io.BytesIO:
    return saved(instrument_to_workbook(AUDIT))


def test_xml_is_parsed_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )

    def change(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[-1]
        return bomb + body.replace(b"<t>", b"<t>&lol2;", 1)

    # Sheet 2 is the questions sheet; reading it meets the entity.
    file = _zip_rewrite(_audit_file(), "xl/worksheets/sheet2.xml", change)
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file)
    assert "could not be read: it holds XML that is refused for safety (EntitiesForbidden)" in str(
        error.value
    )


def test_a_file_over_the_size_limit_is_refused(settings):
    file = _audit_file()
    settings.WORKBOOK_MAX_BYTES = 1024
    assert workbook_max_bytes() == 1024
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file)
    message = str(error.value)
    assert "the largest workbook this installation accepts is 0.0 MB" in message
    assert "WORKBOOK_MAX_BYTES" in message


def test_the_default_size_limit_is_50_mb(settings):
    del settings.WORKBOOK_MAX_BYTES
    assert workbook_max_bytes() == 50 * 1024 * 1024


def test_a_workbook_that_unpacks_to_too_much_is_refused(settings):
    workbook = Workbook()
    for _ in range(200):
        workbook.active.append(["a" * 30000])
    file = saved(workbook)
    settings.WORKBOOK_MAX_BYTES = len(file.getvalue()) + 1
    with pytest.raises(ApplicationError, match="unpacks to"):
        instrument_from_workbook(file)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"key,value\ncode,FA1\n", "not an Excel workbook (.xlsx); a CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003 workbook (.xls)"),
        (b"", "The file is empty"),
        (b"PK\x03\x04 not really a zip", "damaged or not an Excel workbook"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused(content, says):
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(io.BytesIO(content))
    assert says in str(error.value)
    assert "Save As" in str(error.value)


def test_an_opendocument_spreadsheet_is_named():
    file = io.BytesIO()
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    file.seek(0)
    with pytest.raises(ApplicationError, match="OpenDocument"):
        instrument_from_workbook(file)


def test_a_missing_path_is_named(tmp_path):
    with pytest.raises(ApplicationError, match=r"There is no file .*nowhere\.xlsx"):
        instrument_from_workbook(tmp_path / "nowhere.xlsx")


def test_a_path_with_another_extension_is_read_by_its_content(tmp_path):
    path = tmp_path / "audit-tool.data"
    path.write_bytes(_audit_file().getvalue())
    assert instrument_from_workbook(str(path)) == AUDIT


def test_a_formula_is_refused_naming_its_cell():
    file = xlsx(
        {
            "settings": [
                ["key", "value"],
                ["code", "FA1"],
                ["title", "Audit"],
                ["kind", "file_audit"],
            ],
            "questions": [
                ["section", "code", "type", "text"],
                ["Need", "Q1", "text", "What was the need?"],
                ["=A2", "Q2", "text", "What happened next?"],
            ],
        }
    )
    with pytest.raises(ApplicationError) as error:
        instrument_from_workbook(file)
    assert (
        "sheet questions, row 3, column A (section): the cell holds a formula (=A2); formulas "
        "are not read" in str(error.value)
    )
    assert "Paste Special → Values" in str(error.value)


def test_a_wrong_size_written_into_the_sheet_does_not_drop_rows():
    def change(data: bytes) -> bytes:
        start = data.index(b"<dimension")
        end = data.index(b"/>", start) + 2
        return data[:start] + b'<dimension ref="A1:B2"/>' + data[end:]

    file = _zip_rewrite(_audit_file(), "xl/worksheets/sheet2.xml", change)
    assert instrument_from_workbook(file) == AUDIT


def test_headers_are_case_insensitive_and_extra_columns_sheets_and_blank_rows_ignored():
    file = xlsx(
        {
            "Notes": [["anything"], ["at all"]],
            "SETTINGS": [
                ["Key", "VALUE"],
                ["Code", "FA1"],
                ["Title", "Audit"],
                ["Kind", "File audit"],
            ],
            "Questions": [
                ["Section", "CODE", "Type", "Text", "owner"],
                ["Need", "Q1", "Text", "What was the need?", "Robin"],
                [None, None, None, None, None],
                ["Need", "Q2", "number", "How many visits?", None],
                [None, "  ", None],
            ],
        }
    )
    definition = instrument_from_workbook(file)
    assert definition.kind == "file_audit"
    assert [q.code for q in definition.questions] == ["Q1", "Q2"]
    assert [q.where for q in definition.questions] == [
        "sheet questions, row 2",
        "sheet questions, row 4",
    ]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x.invalid","click")', "+1", "-2", "@SUM(A1)", "\tx", "#N/A", "="]
)
def test_text_that_looks_like_a_formula_is_written_as_text_and_comes_back_the_same(text):
    definition = AUDIT.__class__(
        code=AUDIT.code,
        title=AUDIT.title,
        kind=AUDIT.kind,
        questions=(AUDIT.questions[1].__class__("Need", "Q1", "text", text, help=text),),
        option_lists={},
    )
    file = saved(instrument_to_workbook(definition))
    cell = load_workbook(file)["questions"]["D2"]
    assert cell.value == text
    assert cell.data_type == "s"
    if text[0] in "=+-@\t":
        assert cell.quotePrefix
    file.seek(0)
    assert "<f>" not in zipfile.ZipFile(file).read("xl/worksheets/sheet2.xml").decode()
    file.seek(0)
    assert instrument_from_workbook(file).questions[0].help == text.strip()
