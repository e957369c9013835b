"""The documents in Welsh (issue 18): the event pack (PDF and workbook) and the delivery plan in
Welsh, in English or in both, the board's and the flagged action's emails in the partnership's
default language, and English exactly as it was.

The Welsh comes from the catalogue the platform ships (locale/cy).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import findings
from scrutiny import plan as actions
from scrutiny.models import Partnership, Publication
from scrutiny.packs.build import pack_files
from scrutiny.packs.plan import render_plan_xlsx
from scrutiny.packs.plan_pdf import render_plan_pdf
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_plan_pdf import _row
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import written
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db

KEY = {"blue": "Complete", "green": "On track", "amber": "At risk", "red": "Off track"}


@pytest.fixture
def welsh() -> None:
    """The Welsh catalogue the platform ships (locale/cy), compiled by the set-up."""


def _pdf(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), reader


def _pack(scrutiny, language: str | None = None) -> tuple[str, PdfReader, object]:
    pdf, xlsx = io.BytesIO(), io.BytesIO()
    pack_files(scrutiny=scrutiny, pdf=pdf, xlsx=xlsx, language=language)
    text, reader = _pdf(pdf.getvalue())
    return text, reader, load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True)


def _head(workbook, name: str, rows: int = 1) -> list[tuple]:
    return list(workbook[name].iter_rows(values_only=True, max_row=rows))


def test_the_pack_built_in_welsh_has_welsh_headings(scrutiny, welsh):
    scrutiny.event_date = dt.date(2027, 3, 4)
    scrutiny.save()
    text, reader, workbook = _pack(scrutiny, "cy")
    for heading in (
        "Pecyn digwyddiad craffu: Learning from Practice 2026",
        "Digwyddiad craffu: 4 Mawrth 2027",  # the month in Welsh
        "Cynnwys",
        "Cerdyn sgorio cryno",
        "Dull: beth a gasglwyd",
        "Sgorau fesul ffynhonnell (0 i 100)",
        "Dadansoddiadau fesul asiantaeth ac ardal",
        "Cynllun gweithredu drafft",
        "Cwestiynau i'w trafod yn y digwyddiad",
        "Atodiad: sut yr atebwyd pob cwestiwn",
        "Tystiolaeth gyfyngedig",  # SF1's rating
        "Arolwg ymarferwyr",  # a source
        "Tudalen 1",
    ):
        assert heading in text, heading
    for english in ("Summary scorecard", "Method: what was gathered", "Page 1", "Contents"):
        assert english not in text
    assert reader.metadata.title == "Pecyn digwyddiad craffu: Learning from Practice 2026"
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"
    assert workbook.sheetnames[:8] == [
        "Crynodeb",
        "Ffactorau",
        "Ffynonellau",
        "Dadansoddiadau",
        "Dosraniadau",
        "Dyfyniadau",
        "Camau gweithredu (drafft)",
        "Sylwadau",
    ]
    assert {"Ymatebion AUD", "Codau AUD", "Ymatebion PS", "Codau PS"} <= set(workbook.sheetnames)
    assert _head(workbook, "Ffactorau")[0][:4] == ("Ffactor", "Datganiad", "Sgôr", "Gradd")
    factors = list(workbook["Ffactorau"].iter_rows(values_only=True, min_row=2))
    assert factors[0][3] == "Tystiolaeth gyfyngedig" and factors[0][11] == "na"
    assert ("Digwyddiad craffu", "4 Mawrth 2027") in list(
        workbook["Crynodeb"].iter_rows(values_only=True)
    )
    assert _head(workbook, "Ymatebion PS")[0][:2] == ("Ymateb", "Fersiwn")


def test_the_english_pack_is_as_it_was_whatever_the_callers_language(scrutiny, welsh):
    """English by default, in the words the pack always had; a caller working in Welsh gets the
    partnership's language (English) and keeps its own afterwards."""
    english, _reader, workbook = _pack(scrutiny)
    assert "Summary scorecard" in english and "Cerdyn sgorio" not in english
    assert "Scrutiny event: date to be agreed" in english and "Page 1" in english
    assert workbook.sheetnames[0] == "Summary"
    with translation.override("cy"):
        again, _reader, workbook = _pack(scrutiny)
        assert translation.get_language() == "cy"
    assert _without_built(again) == _without_built(english)
    assert workbook.sheetnames[0] == "Summary"


def _without_built(text: str) -> str:
    start = text.index("Built ")
    return text[:start] + text[start + len("Built 6 December 2026, 06:00") :]


def test_the_pack_in_both_is_welsh_then_english_with_a_contents_each(scrutiny, welsh):
    text, reader, workbook = _pack(scrutiny, "both")
    assert text.index("Cerdyn sgorio cryno") < text.index("Summary scorecard")
    assert "Tudalen 1" in text and "Page " in text
    welsh_contents = reader.pages[1].extract_text()
    assert "Cerdyn sgorio cryno" in welsh_contents and "Summary scorecard" not in welsh_contents
    # The workbook: Welsh sheet names and headers, the English header in a second row.
    assert workbook.sheetnames[0] == "Crynodeb"
    assert _head(workbook, "Ffactorau", rows=2)[1][:4] == ("Factor", "Statement", "Score", "Rating")
    assert _head(workbook, "Ymatebion PS", rows=2)[1][:2] == ("Response", "Version")


def test_the_pack_follows_the_partnerships_default_language(scrutiny, welsh):
    Partnership.objects.filter(pk=scrutiny.partnership_id).update(default_language="cy")
    scrutiny.partnership.refresh_from_db()
    text, _reader, workbook = _pack(scrutiny)
    assert "Cerdyn sgorio cryno" in text and workbook.sheetnames[0] == "Crynodeb"
    assert translation.get_language() != "cy"


def test_the_command_builds_the_pack_in_the_language_asked(scrutiny, welsh, tmp_path):
    pdf = tmp_path / "pack.pdf"
    call_command(
        "event_pack", scrutiny.slug, "--pdf", str(pdf), "--language", "cy", stdout=io.StringIO()
    )
    assert "Cerdyn sgorio cryno" in _pdf(pdf.read_bytes())[0]
    with pytest.raises(CommandError):  # not a language of the pack's
        call_command("event_pack", scrutiny.slug, "--pdf", str(pdf), "--language", "fr")


def _plan_rows() -> list:
    return [
        _row("Neglect", "1. Train every lead", "green", timescale=dt.date(2026, 5, 1)),
        _row("Neglect", "2. Audit again", "red"),
    ]


def test_the_delivery_plan_in_welsh_and_in_both(welsh):
    out = io.BytesIO()
    with translation.override("cy"):
        render_plan_xlsx(_plan_rows(), title="Esgeulustod", key=KEY, out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Cynllun cyflawni"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Cynllun cyflawni: Esgeulustod"
    assert rows[1][0] == (
        "Allwedd RAG: Glas wedi'i gwblhau; Gwyrdd ar y trywydd iawn; Ambr mewn perygl; "
        "Coch oddi ar y trywydd"
    )
    assert rows[2] == (
        "Blaenoriaeth",
        "Canlyniad",
        "Cam gweithredu",
        "Amserlen",
        "Yn gyfrifol",
        "Diweddariad",
        "RAG",
    )
    assert {row[6] for row in rows[3:] if row[6]} == {"Gwyrdd", "Coch"}
    both = io.BytesIO()
    with translation.override("cy"):
        render_plan_xlsx(_plan_rows(), title="Esgeulustod", key=KEY, out=both, also="en")
    rows = list(load_workbook(io.BytesIO(both.getvalue())).active.iter_rows(values_only=True))
    assert rows[2][0] == "Blaenoriaeth" and rows[3][0] == "Priority"

    pdf = io.BytesIO()
    render_plan_pdf(_plan_rows(), title="Esgeulustod", key=KEY, out=pdf, languages=("cy", "en"))
    text, reader = _pdf(pdf.getvalue())
    assert text.index("Cynllun cyflawni: Esgeulustod") < text.index("Delivery plan: Esgeulustod")
    assert "1 Mai 2026" in text and "1 May 2026" in text and "Tudalen 1" in text
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"


def test_the_plan_command_takes_a_language(scrutiny, welsh, tmp_path):
    xlsx = tmp_path / "plan.xlsx"
    call_command(
        "action_plan",
        scrutiny.slug,
        "--xlsx",
        str(xlsx),
        "--language",
        "both",
        stdout=io.StringIO(),
    )
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True, max_row=4))
    assert rows[0][0].startswith("Cynllun cyflawni: ") and rows[3][0] == "Priority"


def test_the_flag_email_is_in_the_partnerships_default_language(
    scrutiny, scrutineer, business_unit, mailoutbox, welsh
):
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding, strengths="Briefings land.", improvements="", user=scrutineer
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    Partnership.objects.filter(pk=scrutiny.partnership_id).update(default_language="cy")
    overdue, _ = actions.actions_draft(scrutiny=scrutiny)
    overdue.timescale = dt.date(2026, 3, 1)
    overdue.lead_email = "sam.lead@fernhill.invalid"
    overdue.save()
    assert actions.actions_flag(now=timezone.now()) == 1
    (message,) = mailoutbox
    assert message.subject.startswith("Mae angen diweddaru cam gweithredu: ")
    assert "yn hwyr: roedd ei amserlen yn 1 Mawrth 2026" in message.body
    assert "Craffu: Learning from Practice 2026\n" in message.body
    assert "Statws: Gwyrdd" in message.body or "Statws: " in message.body
    overdue.refresh_from_db()  # what the action keeps stays in English
    assert overdue.flag_reason == "Overdue: its timescale was 1 March 2026"
    assert translation.get_language() != "cy"


def test_the_merged_catalogue_has_the_documents_welsh():
    """MARKED: NEEDS THE MERGED CATALOGUE (locale/cy with locale-parts/J.po merged in)."""
    with translation.override("cy"):
        assert gettext("Summary scorecard") == "Cerdyn sgorio cryno"
        assert gettext("Scrutiny results published: %(title)s") == (
            "Canlyniadau craffu wedi'u cyhoeddi: %(title)s"
        )


@pytest.mark.usefixtures("eager_tasks", "media")
def test_the_board_is_told_in_the_partnerships_default_language(
    scrutiny, scrutineer, board, django_capture_on_commit_callbacks, mailoutbox, welsh
):
    Partnership.objects.filter(pk=scrutiny.partnership_id).update(default_language="cy")
    scrutiny.partnership.refresh_from_db()
    written(scrutiny, scrutineer)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    message = mailoutbox[0]
    assert message.subject == "Canlyniadau craffu wedi'u cyhoeddi: Learning from Practice 2026"
    assert message.body.startswith("Annwyl ")
    assert "bydd angen i chi fewngofnodi" in message.body
    # What was published, and its PDF, are in Welsh too.
    publication = Publication.objects.get(scrutiny=scrutiny)
    assert publication.snapshot["pack"]["event_date"] == "Dyddiad i'w gytuno"
    assert "Cerdyn sgorio cryno" in _pdf(publication.pdf.read())[0]
