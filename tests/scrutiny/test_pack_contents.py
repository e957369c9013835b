"""What the event pack says, worked by hand on the scrutiny of tests.scrutiny.test_workspace
(its docstring has the numbers): the event's date on the cover, an action drafted for each
factor that needs one saying which factor and what the evidence showed, each source counted
once in the method, and response sheets in words with the codes in an analysts' sheet.

| factor | rating       | score, n | by source                                             |
| ------ | ------------ | -------- | ----------------------------------------------------- |
| SF1    | limited      | 46.8, 15 | case-file audit 16.7 from 2; practitioner survey 76.9 from 13 |
| SF2    | insufficient | none, 0  | nothing is linked to it                               |
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import findings
from scrutiny.evidence import ResponseDetails, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Agency, Instrument, Response
from scrutiny.packs.build import pack_files
from scrutiny.packs.data import pack_data
from surveys.models import Invitation, new_token, token_hash
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db

SF1_EVIDENCE = (
    "Limited evidence, 46.8 from 15 responses "
    "(multi-agency case-file audit 16.7 from 2; practitioner survey 76.9 from 13)."
)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _files(scrutiny) -> tuple[str, object]:
    pdf, xlsx = io.BytesIO(), io.BytesIO()
    pack_files(scrutiny=scrutiny, pdf=pdf, xlsx=xlsx)
    text = " ".join(_pdf_text(pdf.getvalue()).split())
    return text, load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True)


def _rows(workbook, name: str) -> list[tuple]:
    return list(workbook[name].iter_rows(values_only=True))


def test_the_cover_gives_the_events_date_or_says_it_is_to_be_agreed(scrutiny):
    assert pack_data(scrutiny=scrutiny).event_date == "Date to be agreed"
    text, workbook = _files(scrutiny)
    assert "Scrutiny event: date to be agreed" in text and "to be set" not in text
    assert ("Scrutiny event", "Date to be agreed") in _rows(workbook, "Summary")

    scrutiny.event_date = dt.date(2027, 3, 4)
    scrutiny.save()
    text, workbook = _files(scrutiny)
    assert "Scrutiny event: 4 March 2027" in text
    assert ("Scrutiny event", "4 March 2027") in _rows(workbook, "Summary")


def test_an_action_is_drafted_for_each_factor_that_needs_one_saying_what_the_evidence_showed(
    scrutiny, scrutineer
):
    (sf1, sf2) = pack_data(scrutiny=scrutiny).actions
    # Both below strong, no areas for improvement yet: the score with its sources.
    assert (sf1.code, sf1.statement, sf1.rating) == ("SF1", "Plans are good.", "Limited evidence")
    assert sf1.evidence == SF1_EVIDENCE
    assert sf1.text == (
        "Agree at the scrutiny event what would make “Plans are good.” true for every child, "
        "who will lead it and by when."
    )
    assert (sf2.code, sf2.rating) == ("SF2", "Insufficient evidence")
    assert sf2.evidence == "Insufficient evidence, with no response giving evidence for it yet."
    assert "“Learning reaches all.”" in sf2.text and sf1.text != sf2.text

    # The scrutineer's areas for improvement are what the evidence showed, one row a factor.
    finding = next(f for f in findings.findings_ensure(scrutiny=scrutiny) if f.factor.code == "SF1")
    findings.finding_update(
        finding=finding,
        strengths="",
        improvements="Audits find drift in plans.\nSupervision notes are thin.",
        user=scrutineer,
    )
    (sf1, _) = pack_data(scrutiny=scrutiny).actions
    assert sf1.evidence == "Audits find drift in plans. Supervision notes are thin."
    assert "“Plans are good.” holds for every child" in sf1.text

    text, workbook = _files(scrutiny)
    assert "Draft action plan" in text and "What the evidence showed" in text
    assert "Audits find drift in plans." in text and "no response giving evidence" in text
    header, *rows = _rows(workbook, "Actions (draft)")
    assert header == (
        "Factor",
        "Success factor",
        "Rating",
        "What the evidence showed",
        "Drafted action",
    )
    assert [row[:4] for row in rows] == [
        (
            "SF1",
            "Plans are good.",
            "Limited evidence",
            "Audits find drift in plans. Supervision notes are thin.",
        ),
        (
            "SF2",
            "Learning reaches all.",
            "Insufficient evidence",
            "Insufficient evidence, with no response giving evidence for it yet.",
        ),
    ]


def test_the_method_counts_each_source_once_with_its_returns_and_rate(scrutiny, council):
    survey = make_survey(Instrument.objects.get(scrutiny=scrutiny, code="PS"))
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            email=f"practitioner{i}@fernhill.invalid",
            agency=council,
            token_sha256=token_hash(new_token()),
        )
        for i in range(20)
    )
    method = pack_data(scrutiny=scrutiny).method
    # The audit's 2 returns are 2 case files (no area given: fewer than 5); the survey's 13
    # of 20 invited is 65.0%. Each instrument once: no second line of "counting responses".
    assert method == (
        ("Case-file audit", "2 audits of 2 case files (No area: fewer than 5)"),
        ("Practitioner survey", "13 submitted of 20 invited (65.0%)"),
    )
    text, workbook = _files(scrutiny)
    assert text.count("13 submitted of 20 invited (65.0%)") == 1
    assert "counting responses" not in text
    summary = dict(row for row in _rows(workbook, "Summary") if len(row) == 2)
    assert summary["Practitioner survey"] == "13 submitted of 20 invited (65.0%)"


def test_a_source_without_a_survey_gives_its_returns(scrutiny):
    assert dict(pack_data(scrutiny=scrutiny).method)["Practitioner survey"] == "13 submitted"


def test_response_sheets_are_in_words_with_the_codes_in_an_analysts_sheet(scrutiny, council):
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    response_submit(
        compiled=version_compile(instrument_current_version(survey)),
        values={"Q1": "yes", "Q2": "A plan", "Q3": ["briefing", "supervision"], "Q6": "4"},
        details=ResponseDetails(agency_id=council.pk),
        channel=Response.Channel.WORKBOOK,
    )
    text, workbook = _files(scrutiny)
    words = _rows(workbook, "Responses PS")
    codes = _rows(workbook, "Codes PS")
    assert words[0][:7] == (
        "Response",
        "Version",
        "Agency",
        "Area",
        "Role",
        "Submitted",
        "Was there a plan?",
    )
    assert "How good was the plan?" in words[0] and "Where was learning heard?" in words[0]
    assert codes[0][:7] == ("response", "version", "agency", "area", "role", "submitted", "Q1")
    assert len(words) == len(codes) == 1 + 14
    # Row for row the same responses: words where the analysts' sheet has codes.
    q3, q6 = codes[0].index("Q3"), codes[0].index("Q6")
    for said, coded in zip(words[1:], codes[1:], strict=True):
        assert said[0] == coded[0]
        assert said[2] == {"FHC": "Fernhill Council", None: None}[coded[2]]
        assert said[q6] == {"4": "Outstanding", "3": "Good", "2": "Requires improvement"}[coded[q6]]
    both = next(row for row in codes[1:] if row[q3])
    assert both[q3] == "briefing;supervision"
    said = next(row for row in words[1:] if row[0] == both[0])
    assert said[q3] == "Briefings; Supervision"
    assert said[codes[0].index("Q1")] == "Yes"
    # No option value shows where people read the responses.
    assert not any(value in ("yes", "4", "briefing") for row in words[1:] for value in row)
    # The PDF's appendix names the question in words, not by its codes.
    assert "Practitioner survey, version 1: How good was the plan?" in text
    assert "PS v1 Q6" not in text


def test_the_comments_sheet_names_the_question_in_words(scrutiny):
    _, workbook = _files(scrutiny)
    header, *rows = _rows(workbook, "Comments")
    assert header == ("Source", "Question", "Comment (redacted)", "Question code")
    assert (
        "Practitioner survey",
        "Anything else?",
        "Our team briefing on the review was excellent.",
        "PS Q7",
    ) in rows


def test_a_breakdown_names_an_agency_without_its_code(scrutiny):
    agency = Agency.objects.get(code="FHC")
    text, _ = _files(scrutiny)
    assert agency.name in text and f"{agency.name} (FHC)" not in text


def test_a_number_and_a_date_are_a_number_and_a_date_in_both_response_sheets(scrutiny, council):
    survey = Instrument.objects.get(scrutiny=scrutiny, code="PS")
    response_submit(
        compiled=version_compile(instrument_current_version(survey)),
        values={"Q1": "yes", "Q2": "A plan", "Q4": "2.5", "Q5": "2026-03-04", "Q6": "4"},
        details=ResponseDetails(agency_id=council.pk),
        channel=Response.Channel.WORKBOOK,
    )
    _, workbook = _files(scrutiny)
    words, codes = _rows(workbook, "Responses PS"), _rows(workbook, "Codes PS")
    q4, q5 = codes[0].index("Q4"), codes[0].index("Q5")
    (coded,) = [row for row in codes[1:] if row[q4] is not None]
    (said,) = [row for row in words[1:] if row[0] == coded[0]]
    for row in (coded, said):
        assert (row[q4], row[q5]) == (2.5, dt.datetime(2026, 3, 4))
    formats = {
        cell.number_format
        for row in workbook["Codes PS"].iter_rows(min_row=2)
        for cell in row
        if cell.value == dt.datetime(2026, 3, 4)
    }
    assert formats == {"yyyy-mm-dd"}
