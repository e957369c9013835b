"""The instrument builder's words in Welsh: its question and option-list pages showed English
labels, hints, titles, buttons and messages on a Welsh page, none of them marked for translation.
The instrument's own texts (its questions, sections, options) stay as written; English pages
are as they were."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from scrutiny.instruments import instrument_save
from scrutiny.models import Instrument
from tests.conftest import client_for
from tests.scrutiny.test_questionnaires import sample_definition
from tests.scrutiny.test_questionnaires import scrutiny as scrutiny
from tests.welsh.conftest import welsh

pytestmark = pytest.mark.django_db


@pytest.fixture
def instrument(scrutiny) -> Instrument:
    return instrument_save(scrutiny=scrutiny, definition=sample_definition()).instrument


def _url(instrument: Instrument, name: str, query: str = "") -> str:
    return reverse(name, args=[instrument.scrutiny.slug, instrument.pk]) + query


def _page(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_question_page_speaks_welsh(instrument, business_unit):
    page = _page(
        welsh(client_for(business_unit)).get(_url(instrument, "instrument-question", "?code=Q7"))
    )
    for words in (
        "Newid cwestiwn Q7",
        "Adran",
        "Math o ateb",
        "Fel y mae'r ymatebydd yn ei ddarllen.",
        "A oes rhaid i ymatebwyr ei ateb?",
        "Na, mae'n ddewisol",
        "Rhestrau'r offeryn hwn: grade, routes, yesno.",
        "Ffactorau'r ymarfer craffu hwn: SF1, SF2.",
        "Dangos dim ond os",
        "Cadw'r cwestiwn",
    ):
        assert words in page
    for english in (
        "Change question",
        "Type of answer",
        "As the respondent reads it.",
        "Must respondents answer it?",
        "No, it is optional",
        "Lists of this instrument",
        "This scrutiny's",
        "Show only if",
        "Save the question",
    ):
        assert english not in page
    assert "Anything else?" in page  # the instrument's own question, as written


def test_a_question_refused_says_why_in_welsh(instrument, scrutineer):
    data = {"section": "Practice", "code": "Q 8!", "type": "single", "text": "Why?"}
    data |= {"required": "no", "based_on": ""}
    response = welsh(client_for(scrutineer)).post(_url(instrument, "instrument-question"), data)
    page = _page(response)
    assert "Ychwanegu cwestiwn at AUDIT" in page
    assert "Defnyddiwch lythrennau, rhifau, cysylltnodau a thanlinellau yn unig, e.e. Q7." in page
    assert "Enwch y rhestr o atebion y mae'r cwestiwn hwn yn ei chynnig." in page
    assert "Use letters, numbers" not in page
    assert "Name the list of answers" not in page


def test_the_option_list_page_speaks_welsh(instrument, scrutineer):
    client = welsh(client_for(scrutineer))
    page = _page(client.get(_url(instrument, "instrument-list", "?name=grade")))
    for words in ("Newid rhestr opsiynau grade", "Enw'r rhestr", "Opsiynau", "Cadw'r rhestr"):
        assert words in page
    for english in ("Change option list", "Name of the list", "One option a line", "Save the list"):
        assert english not in page
    page = _page(
        client.post(
            _url(instrument, "instrument-list"), {"name": "", "option_lines": "a | A\na | Again"}
        )
    )
    assert "Ychwanegu rhestr opsiynau" in page
    assert "Llinell 2: mae'r gwerth 'a' eisoes yn y rhestr." in page
    assert "Add an option list" not in page and "already in the list" not in page


def test_english_pages_are_as_they_were(instrument, scrutineer):
    client = client_for(scrutineer)
    page = _page(client.get(_url(instrument, "instrument-question", "?code=Q7")))
    assert "Change question Q7" in page
    assert "Must respondents answer it?" in page
    assert "Lists of this instrument: grade, routes, yesno." in page
    assert "This scrutiny's: SF1, SF2." in page
    page = _page(client.get(_url(instrument, "instrument-list")))
    assert "Add an option list" in page
    assert "Name of the list" in page


def test_a_refused_move_and_removal_say_why_in_welsh(instrument, scrutineer):
    client = welsh(client_for(scrutineer))
    move = _url(instrument, "instrument-question-move", "?code=Q1")
    page = _page(client.post(move, {"direction": "up", "based_on": ""}, follow=True))
    assert "Q1 yw cwestiwn cyntaf yr adran “About the case” eisoes." in page
    assert "already the first question" not in page
    remove = _url(instrument, "instrument-list-remove", "?name=grade")
    page = _page(client.post(remove, {"based_on": ""}))
    assert "Mae rhestr opsiynau grade yn cael ei defnyddio gan Q6: rhowch restr arall" in page
    assert "is used by" not in page
