"""Case lists and invitation lists (WORKBOOKS.md §4): .xlsx or CSV, all or nothing, by row."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from openpyxl import Workbook

from scrutiny.errors import ApplicationError
from scrutiny.models import PractitionerRole
from scrutiny.workbooks.lists import (
    Case,
    Invitee,
    case_list_read,
    invitation_list_read,
    list_file_content,
    list_upload_content,
)
from tests.audits.conftest_samples import case_list, csv_bytes


def xlsx_bytes(rows: list[list[Any]], title: str = "cases") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_of(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    return error.value


# ---------------------------------------------------------------------------------------------
# Case lists


class TestCaseLists:
    def test_the_fixture_reads_the_same_from_csv_and_xlsx(self):
        csv_list = case_list_read(content=case_list("csv"), file_name="cases.csv")
        xlsx_list = case_list_read(content=case_list("xlsx"), file_name="cases.xlsx")
        assert csv_list.columns == xlsx_list.columns == ("case_ref", "area", "team", "repeat_plan")
        assert csv_list.cases == xlsx_list.cases
        assert len(csv_list.cases) == 40
        assert csv_list.cases[0] == Case(
            row=2,
            case_ref="C-1001",
            data={"area": "NTH", "team": "Assessment", "repeat_plan": "yes"},
        )
        assert csv_list.values("area") == {"NTH": 13, "STH": 13, "WST": 14}

    def test_the_checksum_is_the_sha256_of_the_bytes(self):
        content = case_list("csv")
        read = case_list_read(content=content, file_name="cases.csv")
        assert read.file_sha256 == hashlib.sha256(content).hexdigest()
        assert content.startswith(b"\xef\xbb\xbf")  # Excel's CSV UTF-8 byte-order mark

    def test_csv_without_bom_headers_any_case_and_semicolons(self):
        plain = case_list_read(content=csv_bytes("Case Ref,Area", "C-1,NTH"), file_name="a.csv")
        assert plain.case_ref_column == "Case Ref"
        assert plain.cases == (Case(2, "C-1", {"Area": "NTH"}),)
        assert plain.column("area") == "Area"
        assert plain.column("case_ref") is None  # not a column to draw by
        semicolons = case_list_read(
            content=csv_bytes("case_ref;area", "C-1;NTH"), file_name="b.csv"
        )
        assert semicolons.cases == (Case(2, "C-1", {"area": "NTH"}),)

    def test_told_apart_by_content_when_the_name_says_nothing(self):
        assert len(case_list_read(content=case_list("xlsx"), file_name="").cases) == 40
        assert len(case_list_read(content=case_list("csv"), file_name="upload").cases) == 40

    def test_workbook_values_read_as_text_a_person_writes(self):
        content = xlsx_bytes(
            [
                ["case_ref", "area", "age", "opened"],
                [1042, "NTH", 7.0, dt.datetime(2024, 3, 5)],
                ["C-2", " STH ", 12.5, None],
            ]
        )
        read = case_list_read(content=content, file_name="c.xlsx")
        assert read.cases == (
            Case(2, "1042", {"area": "NTH", "age": "7", "opened": "2024-03-05"}),
            Case(3, "C-2", {"area": "STH", "age": "12.5", "opened": ""}),
        )

    def test_empty_rows_are_skipped_and_rows_keep_their_numbers(self):
        read = case_list_read(content=csv_bytes("case_ref,area", "C-1,A", ",", "C-2,B"))
        assert [(c.row, c.case_ref) for c in read.cases] == [(2, "C-1"), (4, "C-2")]

    def test_every_error_is_named_by_row_and_column(self):
        content = csv_bytes(
            "case_ref,area",
            "C-1,NTH",
            ",STH",
            "C-1,WST",
            "C-3,NTH,extra",
            "X" * 101 + ",NTH",
        )
        error = error_of(case_list_read, content=content, file_name="cases.csv")
        assert error.message.splitlines() == [
            "The case list has 4 errors; no sample was drawn. Correct the file and use it again.",
            "- Row 3, column A (case_ref): the case reference is empty; give every row its "
            "pseudonymised case reference, or delete the row",
            "- Row 4, column A (case_ref): the case reference 'C-1' is also in row 2; each case "
            "file may appear once",
            "- Row 5: the row has 3 values but the header names 2 columns; check for a stray "
            "separator or quote",
            "- Row 6, column A (case_ref): the case reference is longer than 100 characters",
        ]
        assert error.extra["error_count"] == 4
        assert error.extra["problems"][0] == {
            "sheet": "",
            "row": 3,
            "column": "A (case_ref)",
            "message": "the case reference is empty; give every row its pseudonymised case "
            "reference, or delete the row",
        }

    def test_workbook_errors_name_the_sheet_and_formulas_are_refused(self):
        content = xlsx_bytes(
            [["case_ref", "team"], ["C-1", "=1+1"], ["C-1", "Early Help"]], title="April"
        )
        error = error_of(case_list_read, content=content, file_name="cases.xlsx")
        assert error.extra["errors"] == [
            "Sheet April, row 2, column B (team): the cell holds a formula (=1+1); formulas are "
            "not read. Put the value itself in the cell (in Excel: Copy, then Paste Special → "
            "Values)",
            "Sheet April, row 3, column A (case_ref): the case reference 'C-1' is also in row 2; "
            "each case file may appear once",
        ]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (csv_bytes("ref,area", "C-1,NTH"), "Row 1: the header has no column case_ref"),
            (csv_bytes("case_ref,Area,area", "C-1,A,B"), "Row 1, column C (area): the column"),
            (csv_bytes("case_ref,area"), "the list has no case files under its header"),
            (b"", "The file is empty"),
            ("case_ref\r\nC-1\u00e9\r\n".encode("latin-1"), "The CSV file is not UTF-8 text"),
            (b"PK\x03\x04not really a zip", "The file is damaged or not an Excel workbook"),
        ],
    )
    def test_files_that_cannot_be_read(self, content, message):
        name = "cases.xlsx" if content.startswith(b"PK") else "cases.csv"
        assert message in str(error_of(case_list_read, content=content, file_name=name))

    def test_too_big_is_refused_before_reading(self, settings, tmp_path):
        settings.WORKBOOK_MAX_BYTES = 100
        content = csv_bytes("case_ref", *[f"C-{i}" for i in range(40)])
        assert "the largest list this installation accepts is" in str(
            error_of(case_list_read, content=content, file_name="cases.csv")
        )
        path = tmp_path / "cases.csv"
        path.write_bytes(content)
        assert "the largest list" in str(error_of(list_file_content, path=path))
        assert "There is no file" in str(error_of(list_file_content, path=tmp_path / "nope.csv"))

        class Upload(io.BytesIO):
            size = len(content)

        assert "the largest list" in str(error_of(list_upload_content, file=Upload(content)))


# ---------------------------------------------------------------------------------------------
# Invitation lists


@pytest.mark.django_db
class TestInvitationLists:
    @pytest.fixture
    def roles(self, partnership):
        return {
            "SW": PractitionerRole.objects.create(
                partnership=partnership, code="SW", name="Social worker"
            ),
            "HV": PractitionerRole.objects.create(
                partnership=partnership, code="HV", name="Health visitor"
            ),
        }

    def test_reads_people_with_agency_and_role(self, partnership, council, police, roles):
        content = csv_bytes(
            "Email,Agency,Role",
            "Ash.Green@fernhill.invalid,FHC,SW",
            "bo@fernhill.invalid,pol,",
            bom=True,
        )
        read = invitation_list_read(
            content=content, file_name="people.csv", partnership=partnership
        )
        assert read.invitees == (
            Invitee(2, "ash.green@fernhill.invalid", council.pk, "FHC", roles["SW"].pk, "SW"),
            Invitee(3, "bo@fernhill.invalid", police.pk, "POL", None, ""),
        )
        assert read.file_sha256 == hashlib.sha256(content).hexdigest()

    def test_the_role_column_is_optional_and_workbooks_work(self, partnership, council):
        content = xlsx_bytes([["email", "agency"], ["cy@fernhill.invalid", "FHC"]], title="x")
        read = invitation_list_read(content=content, file_name="p.xlsx", partnership=partnership)
        assert read.invitees == (Invitee(2, "cy@fernhill.invalid", council.pk, "FHC"),)

    def test_every_error_is_named_by_row(self, partnership, council, police, roles):
        content = csv_bytes(
            "email,agency,role",
            "not-an-address,FHC,SW",
            "dee@fernhill.invalid,EDU,SW",
            "eve@fernhill.invalid,,",
            "dee@fernhill.invalid,POL,",
            "fin@fernhill.invalid,POL,XX",
        )
        error = error_of(
            invitation_list_read, content=content, file_name="p.csv", partnership=partnership
        )
        assert error.extra["errors"] == [
            "Row 2, column A (email): 'not-an-address' is not an email address; write it as "
            "name@example.org",
            "Row 3, column B (agency): 'EDU' is not an agency code of the partnership; use one "
            "of: FHC, POL",
            "Row 4, column B (agency): the agency is empty; use one of: FHC, POL",
            "Row 5, column A (email): dee@fernhill.invalid is also in row 3; give each person once",
            "Row 6, column C (role): 'XX' is not a role code of the partnership; use one of: HV, "
            "SW, or leave the cell empty",
        ]
        assert error.message.startswith(
            "The invitation list has 5 errors; no one was invited. Correct the file"
        )

    def test_required_columns(self, partnership):
        error = error_of(
            invitation_list_read,
            content=csv_bytes("email,team", "a@fernhill.invalid,x"),
            partnership=partnership,
        )
        assert "Row 1: the header has no column agency: add it to row 1" in str(error)

    def test_another_partnerships_agency_is_unknown(self, partnership, council):
        from scrutiny.models import Agency, Partnership

        other = Partnership.objects.create(name="Elsewhere Safeguarding Children Partnership")
        Agency.objects.create(partnership=other, code="ELS", name="Elsewhere Council")
        error = error_of(
            invitation_list_read,
            content=csv_bytes("email,agency", "a@fernhill.invalid,ELS"),
            partnership=partnership,
        )
        assert "'ELS' is not an agency code of the partnership; use one of: FHC" in str(error)
