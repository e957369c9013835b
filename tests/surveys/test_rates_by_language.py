"""Response rates by language (issue 18): the submitted responses to an instrument by the
language they were given in (Response.language: en, cy, or blank where it was not recorded),
suppressed as the other breakdowns (scrutiny.disclosure.suppressed_codes), on the response
rates page.

Worked by hand, threshold 5: 9 answered in English, 6 in Welsh, 2 with no language recorded
(imported). The 2 is below the threshold, the only one that is, so the next smallest with
returns, Welsh's 6, is suppressed too (SCORING.md §9); English's 9 shows.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny.evidence import ResponseDetails, response_save_draft, response_submit
from scrutiny.instruments import instrument_current_version, version_compile
from scrutiny.models import Response
from surveys.rates import LanguageCell, language_rates
from tests.conftest import client_for
from tests.surveys.conftest import COMPLETE, SLUG

pytestmark = pytest.mark.django_db


def _answer(instrument, agency, n, *, language="", draft=False, channel=Response.Channel.SURVEY):
    compiled = version_compile(instrument_current_version(instrument))
    write = response_save_draft if draft else response_submit
    for _ in range(n):
        write(
            compiled=compiled,
            values=COMPLETE,
            details=ResponseDetails(agency_id=agency.pk, language=language),
            channel=channel,
        )


@pytest.fixture
def by_language(survey_tool, police):
    _answer(survey_tool, police, 9, language="en")
    _answer(survey_tool, police, 6, language="cy")
    _answer(survey_tool, police, 2, channel=Response.Channel.WORKBOOK)
    _answer(survey_tool, police, 3, language="cy", draft=True)  # not submitted: not counted
    return survey_tool


def test_hand_worked_languages_with_primary_and_secondary_suppression(by_language):
    assert language_rates(instrument=by_language) == (
        LanguageCell(code="en", submitted=9),
        LanguageCell(code="cy", submitted=None),
        LanguageCell(code="", submitted=None),
    )


def test_languages_over_the_threshold_all_show(survey_tool, police):
    _answer(survey_tool, police, 5, language="en")
    _answer(survey_tool, police, 7, language="cy")
    assert language_rates(instrument=survey_tool) == (
        LanguageCell(code="en", submitted=5),
        LanguageCell(code="cy", submitted=7),
    )


def test_a_single_small_language_is_suppressed_with_nothing_to_give_it_away(survey_tool, police):
    _answer(survey_tool, police, 3, language="cy")
    assert language_rates(instrument=survey_tool) == (LanguageCell(code="cy", submitted=None),)
    assert language_rates(instrument=survey_tool)[0].suppressed


def test_no_answers_no_languages_in_one_query(survey_tool):
    assert survey_tool.scrutiny.suppression_threshold == 5  # loaded: count only its own query
    with CaptureQueriesContext(connection) as queries:
        assert language_rates(instrument=survey_tool) == ()
    assert len(queries) == 1


def test_page_shows_languages_with_small_cells_suppressed(by_language, scrutineer):
    page = client_for(scrutineer).get(reverse("survey-rates", args=[SLUG, "PS"]))
    assert page.status_code == 200
    text = page.text
    section = text.split('id="rates-languages"')[1]
    assert "Submitted responses by language" in section
    assert '<th scope="row">English</th>\n      <td>9</td>' in section
    assert "Welsh" in section and "Not recorded" in section
    assert section.count("Fewer than 5 submitted: not shown") == 2
    assert "<td>6</td>" not in section and "<td>2</td>" not in section


def test_page_says_when_no_one_has_answered(survey_tool, scrutineer):
    page = client_for(scrutineer).get(reverse("survey-rates", args=[SLUG, "PS"]))
    assert "No one has answered yet." in page.text.split('id="rates-languages"')[1]


# Welsh rendering: passes once the lead has merged locale-parts/L.po into the shipped catalogue.
def test_page_in_welsh_after_the_catalogue_merge(by_language, scrutineer):
    client = client_for(scrutineer)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "cy"
    text = client.get(reverse("survey-rates", args=[SLUG, "PS"])).text
    assert "Cyfraddau ymateb" in text
    assert "Yn ôl iaith" in text and "Saesneg" in text and "Heb ei gofnodi" in text
    assert "Ymatebion a gyflwynwyd yn ôl iaith" in text
