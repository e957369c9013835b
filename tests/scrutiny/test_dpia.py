"""The DPIA starter: `scrutiny.dpia`, `manage.py dpia` and the /dpia/ page (docs/dpia.md)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import permissions
from scrutiny.dpia import dpia_document
from scrutiny.dpia.roles import OPERATOR
from scrutiny.models import Agency, Partnership, Scrutiny, User
from surveys.models import Survey
from tests.conftest import client_for
from tests.factories import AgencyFactory, PartnershipFactory
from tests.scrutiny.test_scoring_builders import (
    Q,
    build_worked_example,
    make_instrument,
    make_scrutiny,
)

pytestmark = pytest.mark.django_db

SECRET_TERM = "Ashdown Primary"
SCRUTINY_TERM = "Bramble Court"


def retention_labels(partnership: Partnership) -> list[tuple[str, int]]:
    """Each retention field's words before its unit, and its value."""
    return [
        (str(field.verbose_name).split(" (")[0], getattr(partnership, field.name))
        for field in Partnership._meta.concrete_fields
        if field.name.startswith("retain_")
    ]


@pytest.fixture
def configured(partnership) -> Partnership:
    """Two scrutinies, an instrument of every kind between them, a named board questionnaire
    and secret redaction terms."""
    build_worked_example(partnership)  # A1 (file audit) and PS1 (practitioner survey)
    second = make_scrutiny(partnership, slug="neglect-2025", title="Neglect")
    second.redaction_terms = SCRUTINY_TERM
    second.save()
    board = make_instrument(second, code="BQ1", kind="board_questionnaire", questions=[Q("B1")])
    make_instrument(
        second,
        code="FF1",
        kind="family_feedback",
        questions=[Q("F1", "agree"), Q("F2", type="text", factors="")],
    )
    Survey.objects.create(
        scrutiny=second,
        instrument_id=board.instrument_id,
        title="Board questionnaire",
        opens_at=timezone.now(),
        anonymous=False,
    )
    partnership.redaction_terms = f"{SECRET_TERM}\nCedar Lane"
    partnership.retain_answers_months = 18
    partnership.save()
    return partnership


def codes_of(partnership: Partnership) -> list[str]:
    return [
        code
        for scrutiny in Scrutiny.objects.filter(partnership=partnership)
        for code in scrutiny.instruments.values_list("code", flat=True)
    ]


def workbook_text(path: Path) -> dict[str, str]:
    workbook = load_workbook(path)
    return {
        sheet.title: "\n".join(
            str(value) for row in sheet.iter_rows(values_only=True) for value in row if value
        )
        for sheet in workbook.worksheets
    }


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


# The command --------------------------------------------------------------------------------


def test_the_workbook_names_every_instrument_and_its_retention(configured, tmp_path):
    out = io.StringIO()
    call_command("dpia", "--output", str(tmp_path / "dpia.xlsx"), stdout=out)
    assert "Wrote" in out.getvalue() and "4 instruments" in out.getvalue()
    sheets = workbook_text(tmp_path / "dpia.xlsx")
    assert list(sheets)[:3] == [
        "About this document",
        "Controller and purposes",
        "What is collected",
    ]
    rows = list(
        load_workbook(tmp_path / "dpia.xlsx")["What is collected"].iter_rows(values_only=True)
    )
    by_code = {row[1].split(":")[0]: row for row in rows if row[1] and ":" in str(row[1])}
    assert sorted(by_code) == sorted(codes_of(configured)) == ["A1", "BQ1", "FF1", "PS1"]
    assert "Raw survey answers: 18 months" in by_code["PS1"][-1]
    assert "Case lists: 12 months" in by_code["A1"][-1]
    assert by_code["BQ1"][5].startswith("Named")
    assert "Free text is asked" in by_code["FF1"][6]
    for label, value in retention_labels(configured):
        assert label in sheets["Retention"]
        assert f"{value} " in sheets["Retention"]
    assert "neglect-2025" in sheets["Controller and purposes"]


def test_the_pdf_names_every_instrument_and_its_retention(configured, tmp_path):
    call_command("dpia", "--out", str(tmp_path / "dpia.pdf"), stdout=io.StringIO())
    reader = PdfReader(tmp_path / "dpia.pdf")
    assert reader.metadata.title == f"Record of processing and DPIA draft: {configured.name}"
    assert reader.metadata.author == configured.name
    assert [item.title for item in reader.outline if not isinstance(item, list)][:3] == [
        "About this document",
        "Controller and purposes",
        "What is collected",
    ]
    text = pdf_text(tmp_path / "dpia.pdf")
    for code in codes_of(configured):
        assert f"{code}: Instrument {code}" in text
    for label, value in retention_labels(configured):
        assert label in text
        assert f"{value} months" in text or f"{value} days" in text


def test_redaction_terms_are_counted_never_printed(configured, tmp_path):
    call_command("dpia", "--output", str(tmp_path / "dpia.xlsx"), stdout=io.StringIO())
    call_command("dpia", "--output", str(tmp_path / "dpia.pdf"), stdout=io.StringIO())
    sheets = workbook_text(tmp_path / "dpia.xlsx")
    everything = "\n".join(sheets.values()) + pdf_text(tmp_path / "dpia.pdf")
    for term in (SECRET_TERM, "Cedar Lane", SCRUTINY_TERM, "C-10"):
        assert term not in everything
    assert "The partnership's own redaction terms: 2." in sheets["Suppression and redaction"]


def test_a_bad_extension_is_refused_and_writes_nothing(configured, tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.xlsx \(a workbook\) or \.pdf"):
        call_command("dpia", "--output", str(tmp_path / "dpia.docx"))
    assert not list(tmp_path.iterdir())


def test_several_partnerships_need_one_named(configured, tmp_path):
    PartnershipFactory(name="Westmere Safeguarding Partnership", slug="westmere")
    with pytest.raises(CommandError, match="several partnerships: say which with --partnership"):
        call_command("dpia", "--output", str(tmp_path / "dpia.xlsx"))
    with pytest.raises(CommandError, match="There is no partnership 'eastmere'"):
        call_command("dpia", "--partnership", "eastmere", "--output", str(tmp_path / "d.xlsx"))
    assert not list(tmp_path.iterdir())
    call_command(
        "dpia",
        "--partnership",
        "westmere",
        "--output",
        str(tmp_path / "w.xlsx"),
        stdout=io.StringIO(),
    )
    sheets = workbook_text(tmp_path / "w.xlsx")
    assert "Westmere Safeguarding Partnership" in sheets["Controller and purposes"]
    assert "PS1" not in sheets["What is collected"]


def test_a_missing_folder_is_refused(configured, tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("dpia", "--output", str(tmp_path / "nowhere" / "dpia.pdf"))


# The document -------------------------------------------------------------------------------


def test_reads_write_nothing_in_queries_that_do_not_grow(configured):
    with CaptureQueriesContext(connection) as first:
        dpia_document(partnership=configured)
    # Only reads: no INSERT, UPDATE or DELETE. (PostgreSQL writes a union as "(SELECT ...)".)
    statements = [q["sql"].lstrip().lstrip("(").upper() for q in first.captured_queries]
    assert statements and all(sql.startswith("SELECT") for sql in statements), statements
    assert not User.objects.filter(email__endswith="@dpia.invalid").exists()
    third = make_scrutiny(configured, slug="third", title="Third")
    make_instrument(third, code="PS9", kind="practitioner_survey", questions=[Q("P9", "agree")])
    with CaptureQueriesContext(connection) as second:
        dpia_document(partnership=configured)
    assert len(second.captured_queries) == len(first.captured_queries)


def test_lawful_basis_follows_the_instrument_and_the_agencies(configured):
    AgencyFactory(partnership=configured, code="NHS", name="Fernhill NHS", type=Agency.Type.HEALTH)
    table = dpia_document(partnership=configured).section("lawful").tables[0]
    by_code = {row[1]: row for row in table.rows}
    assert all(row[2] == "Art. 6(1)(e)" for row in table.rows)
    assert "Art. 9(2)(h)" in by_code["A1"][4] and "Sch. 1 para 18" in by_code["A1"][4]
    assert "Sch. 1 para 18" in by_code["FF1"][4] and "9(2)(h)" not in by_code["FF1"][4]
    assert by_code["PS1"][4] == "None needed."  # choice questions only


def test_who_sees_what_is_what_the_permission_rules_say(
    business_unit, scrutineer, auditor_council, agency_lead, board_member, practitioner, configured
):
    table = dpia_document(partnership=configured).section("access").tables[0]
    columns = list(table.header)
    rows = {row[0]: row for row in table.rows}

    def says(capability: str, label: str) -> str:
        matches = [name for name in rows if name.startswith(capability)]
        assert len(matches) == 1, matches
        return rows[matches[0]][columns.index(label)]

    workspace = "Set up scrutinies, import evidence and work in the scrutineer's workspace"
    assert says(workspace, "Practitioner") == "No"
    assert says(workspace, "Independent Scrutineer") == "Yes"
    assert says("Must prove a second factor", "Auditor") == "Yes"
    assert says("Must prove a second factor", "Board member") == "No"
    assert says("Complete the case-file audits assigned", "Auditor") == "Yes"
    assert says("Answer board questionnaires", "Board member") == "Yes"
    for person in (
        business_unit,
        scrutineer,
        auditor_council,
        agency_lead,
        board_member,
        practitioner,
    ):
        label = person.get_role_display()
        assert says(workspace, label) == (
            "Yes" if permissions.can_configure_scrutinies(person) else "No"
        )
        assert says("Read and export the audit trail", label) == (
            "Yes" if permissions.can_read_trail(person) else "No"
        )
    operator = User(email="root@fernhill.invalid", is_superuser=True, is_staff=True)
    assert says(workspace, OPERATOR) == (
        "Yes" if permissions.can_configure_scrutinies(operator) else "No"
    )


# The page -----------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(configured) -> Partnership:
    other = PartnershipFactory(name="Westmere Safeguarding Partnership", slug="westmere")
    scrutiny = make_scrutiny(other, slug="westmere-secret", title="Westmere exploitation")
    make_instrument(scrutiny, code="WX7", kind="practitioner_survey", questions=[Q("W1", "agree")])
    return other


def test_the_page_is_for_the_business_unit_only(scrutineer, practitioner, board_member, configured):
    for person in (scrutineer, practitioner, board_member):
        assert client_for(person).get(reverse("dpia")).status_code == 403
        assert (
            client_for(person).get(reverse("dpia-download", kwargs={"fmt": "xlsx"})).status_code
            == 403
        )


def test_the_page_sums_up_and_offers_both_downloads(configured, elsewhere, business_unit):
    client = client_for(business_unit)
    page = client.get(reverse("dpia"))
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("A1", "PS1", "BQ1", "FF1"):
        assert f"{code}: Instrument {code}" in html
    assert "Raw survey answers" in html and "18 months" in html
    # The page's random CSRF token once held "WX7": look for the instrument as the page names one.
    assert "WX7:" not in html and "westmere" not in html.lower()
    assert SECRET_TERM not in html
    for fmt, kind in (("xlsx", "spreadsheetml"), ("pdf", "application/pdf")):
        download = client.get(reverse("dpia-download", kwargs={"fmt": fmt}))
        assert download.status_code == 200
        assert kind in download["Content-Type"]
        assert download["Content-Disposition"] == (
            f'attachment; filename="dpia-{configured.slug}.{fmt}"'
        )
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("dpia-download", kwargs={"fmt": "xlsx"})).content)
    )
    cells = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )
    assert "WX7" not in cells and "Westmere" not in cells
    assert client.get("/dpia/dpia.docx").status_code == 404


def test_controls_say_this_installation_s_settings_and_no_secret(partnership, settings):
    settings.API_TOKEN_HOURS = 3
    settings.OIDC_RP_CLIENT_ID = "client-id-not-to-print"
    settings.OIDC_RP_CLIENT_SECRET = "secret-not-to-print"
    settings.OIDC_PROVIDER_NAME = "Fernhill Council account"
    document = dpia_document(partnership=partnership)
    controls = {row[0]: row[2] for row in document.section("controls").tables[0].rows}
    assert controls["API tokens"] == "Expire after 3 hours (API_TOKEN_HOURS)."
    assert controls["Sign-in with the partnership's identity provider"].startswith(
        "On, as Fernhill Council account"
    )
    assert controls["Append-only audit trail"] == f"Kept {partnership.retain_trail_months} months."
    text = repr(document)
    assert "not-to-print" not in text
    assert "Auditor" in document.section("access").tables[0].header
    assert document.section("collected").paragraphs[-1] == "No instrument has been set up yet."
