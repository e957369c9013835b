"""The DPIA starter in Welsh (issue 18): `dpia_document(language=...)`, the command's
`--language` and the page's downloads in the reader's language; English as it was."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from scrutiny.dpia import dpia_document, render_dpia_pdf, render_dpia_xlsx
from tests.conftest import client_for
from tests.scrutiny.test_dpia import configured, pdf_text, workbook_text  # noqa: F401

pytestmark = pytest.mark.django_db

WELSH_SHEETS = ["Am y ddogfen hon", "Y rheolydd data a'r dibenion", "Sail gyfreithlon", "Cadw"]
ENGLISH_SHEETS = ["About this document", "Controller and purposes", "Lawful basis", "Retention"]


def _workbook(tmp_path, document):
    path = tmp_path / "dpia.xlsx"
    with path.open("wb") as out:
        render_dpia_xlsx(document, out=out)
    return workbook_text(path)


def _pdf(tmp_path, document):
    path = tmp_path / "dpia.pdf"
    with path.open("wb") as out:
        render_dpia_pdf(document, out=out)
    return pdf_text(path)


def test_the_workbook_in_welsh_has_welsh_headings(configured, tmp_path):  # noqa: F811
    sheets = _workbook(tmp_path, dpia_document(partnership=configured, language="cy"))
    assert list(sheets)[:2] == WELSH_SHEETS[:2]
    assert set(WELSH_SHEETS) <= set(sheets)
    lawful = sheets["Sail gyfreithlon"]
    assert "Sail gyfreithlon fesul offeryn" in lawful
    assert "Data categori arbennig" in lawful
    assert "GDPR y DU Erthygl 6(1)(e)" in lawful
    assert "Cofnod o weithgareddau prosesu" in sheets["Am y ddogfen hon"]
    assert "Special category data" not in lawful


def test_the_pdf_in_welsh_has_welsh_headings(configured, tmp_path):  # noqa: F811
    text = _pdf(tmp_path, dpia_document(partnership=configured, language="cy"))
    for heading in [*WELSH_SHEETS, "Pwy sy'n gweld beth", "Risgiau a mesurau lliniaru"]:
        assert heading in text
    assert "Tudalen 1" in text
    assert "Lawful basis by instrument" not in text


def test_english_is_as_it_was_and_the_default_is_the_partnership_s(configured, tmp_path):  # noqa: F811
    english = dpia_document(partnership=configured)
    assert [s.title for s in english.sections][:4] == [
        *ENGLISH_SHEETS[:2],
        "What is collected",
        "Lawful basis",
    ]
    assert english.title == f"Record of processing and DPIA draft: {configured.name}"
    sheets = _workbook(tmp_path, english)
    assert "Lawful basis by instrument" in sheets["Lawful basis"]
    configured.default_language = "cy"
    assert dpia_document(partnership=configured).section("lawful").title == "Sail gyfreithlon"


def test_both_is_welsh_then_english_and_leaves_the_caller_s_language(configured):  # noqa: F811
    with translation.override("en"):
        document = dpia_document(partnership=configured, language="both")
        assert translation.get_language() == "en"
    titles = [section.title for section in document.sections]
    assert titles.index("Sail gyfreithlon") < titles.index("Lawful basis")
    assert len(titles) == 2 * len(dpia_document(partnership=configured, language="en").sections)


def test_the_command_takes_a_language(configured, tmp_path):  # noqa: F811
    path = tmp_path / "dpia.xlsx"
    call_command("dpia", output=str(path), language="cy")
    assert "Sail gyfreithlon" in workbook_text(path)


def test_the_download_is_in_the_reader_s_language(configured, business_unit):  # noqa: F811
    client = client_for(business_unit)
    url = reverse("dpia-download", kwargs={"fmt": "xlsx"})
    welsh = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert welsh.status_code == english.status_code == 200
    assert "Lawful basis" in _sheet_names(english.content)
    assert "Sail gyfreithlon" in _sheet_names(welsh.content)


def _sheet_names(content: bytes) -> list[str]:
    return load_workbook(io.BytesIO(content)).sheetnames


# The closing rows and the table of who sees what --------------------------------------------


def _rows(document, key: str) -> tuple[tuple[str, ...], ...]:
    return document.section(key).tables[0].rows


def test_storage_controls_and_risks_rows_are_in_welsh(configured, settings):  # noqa: F811
    settings.API_TOKEN_HOURS = 3
    welsh = dpia_document(partnership=configured, language="cy")
    english = dpia_document(partnership=configured, language="en")
    controls = {row[0]: row for row in _rows(welsh, "controls")}
    assert controls["Tocynnau API"][2] == "Yn dod i ben ar ôl 3 awr (API_TOKEN_HOURS)."
    assert controls["Trywydd archwilio na ellir ond ychwanegu ato"][2] == (
        f"Cedwir am {configured.retain_trail_months} mis."
    )
    # The second factor's roles are the model's own Welsh labels, listed the Welsh way.
    assert "yn ofynnol i'r rolau hyn: " in controls["Dilysu aml-ffactor"][1]
    assert "craffwr annibynnol" in controls["Dilysu aml-ffactor"][1]
    assert " and " not in controls["Dilysu aml-ffactor"][1]
    assert ("Caiff cyfrif ei feddiannu.") in {row[0] for row in _rows(welsh, "risks")}
    assert _rows(welsh, "storage")[-1][:2] == (
        "Copïau wrth gefn: ble, pa mor aml, am ba hyd y cânt eu cadw",
        "I'w lenwi gan y bartneriaeth.",
    )
    for key, columns in (("storage", 2), ("controls", 2), ("risks", 2)):
        pairs = zip(_rows(welsh, key), _rows(english, key), strict=True)
        for cy_row, en_row in pairs:
            for column in range(columns):
                assert cy_row[column] != en_row[column], (key, en_row[column])


def test_capabilities_and_the_operator_are_in_welsh_with_the_same_answers(configured):  # noqa: F811
    welsh = dpia_document(partnership=configured, language="cy").section("access").tables[0]
    english = dpia_document(partnership=configured, language="en").section("access").tables[0]
    assert welsh.header[-1] == "Gweithredwr y platfform (uwch-ddefnyddiwr)"
    assert english.header[-1] == "Platform operator (superuser)"
    assert "Archwilydd" in welsh.header
    labels = [row[0] for row in welsh.rows]
    assert labels[0] == "Rhaid profi ail gam (cod TOTP) i fewngofnodi"
    assert "Darllen ac allforio'r trywydd archwilio" in labels
    to_welsh = {"Yes": "Ie", "No": "Na"}
    for cy_row, en_row in zip(welsh.rows, english.rows, strict=True):
        assert cy_row[1:] == tuple(to_welsh[answer] for answer in en_row[1:])
    core = len(labels) - sum(1 for label in labels if label in {row[0] for row in english.rows})
    assert core >= 15  # every rule of scrutiny.permissions, in Welsh
