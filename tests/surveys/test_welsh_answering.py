"""Answering a survey in Welsh (issue 18): a bilingual instrument's questions, help, section
titles, option labels and title in Welsh where Welsh is active (the language cookie or the
browser's Accept-Language), English otherwise; the same option values, so an English and a
Welsh response score identically; each response records the language it was given in; and an
instrument without Welsh says so, in Welsh, instead of failing.

The texts of the instrument are its own; the page's own words come from the Welsh catalogue the
platform ships (locale/cy).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from scrutiny.instruments import InstrumentDefinition, OptionDef, instrument_save, version_compile
from scrutiny.models import Answer, Instrument, Response
from scrutiny.scoring import scrutiny_scores
from surveys.models import Survey
from tests.surveys.conftest import make_invitation, make_survey, survey_definition

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COOKIE = django_settings.LANGUAGE_COOKIE_NAME

SECTIONS_CY = {"About the case": "Am yr achos", "Practice": "Ymarfer"}
QUESTIONS_CY = {
    "Q1": ("Oedd yna gynllun?", ""),
    "Q2": ("Beth oedd y cynllun yn ei ddweud?", ""),
    "Q3": ("Ble clywyd am y dysgu?", ""),
    "Q4": ("Sawl ymweliad?", ""),
    "Q5": ("Pryd oedd yr ymweliad diwethaf?", ""),
    "Q6": ("Pa mor dda oedd y cynllun?", ""),
    "Q7": ("Unrhyw beth arall?", "Dywedwch <beth> a pham."),
}
OPTIONS_CY = {
    "yes": "Oedd",
    "no": "Nac oedd",
    "4": "Rhagorol",
    "3": "Da",
    "2": "Angen gwella",
    "1": "Annigonol",
    "na": "Amherthnasol",
    "briefing": "Sesiynau briffio",
    "training": "Hyfforddiant",
    "supervision": "Goruchwyliaeth",
}
TITLE_CY = "Arolwg ymarferwyr"


def _option_cy(option: OptionDef) -> OptionDef:
    return dataclasses.replace(option, translations={"cy": {"label": OPTIONS_CY[option.value]}})


def bilingual_definition(code: str = "PS") -> InstrumentDefinition:
    """The surveys' two-page practitioner survey (tests/surveys/conftest.py), in English and
    Welsh."""
    english = survey_definition(code=code)
    questions = []
    for question in english.questions:
        text, help_text = QUESTIONS_CY[question.code]
        texts = {"section": SECTIONS_CY[question.section], "text": text}
        if help_text:
            texts["help"] = help_text
        questions.append(dataclasses.replace(question, translations={"cy": texts}))
    return dataclasses.replace(
        english,
        questions=tuple(questions),
        option_lists={
            name: tuple(_option_cy(option) for option in options)
            for name, options in english.option_lists.items()
        },
        languages=("en", "cy"),
        translations={"cy": {"title": TITLE_CY}},
    )


@pytest.fixture
def bilingual_tool(survey_scrutiny) -> Instrument:
    return instrument_save(scrutiny=survey_scrutiny, definition=bilingual_definition()).instrument


@pytest.fixture
def bilingual_survey(bilingual_tool) -> Survey:
    return make_survey(bilingual_tool)


@pytest.fixture
def welsh_catalogue() -> None:
    """The Welsh catalogue the platform ships (locale/cy), compiled by the set-up."""


def _welsh_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="cy")
    client.cookies[COOKIE] = "cy"
    return client


def _step(survey: Survey, step: str) -> str:
    return reverse("survey-invited-step", args=[survey.pk, step])


def _invited(client: Client, survey: Survey, email: str, agency) -> None:
    _, token = make_invitation(survey, email, agency)
    assert client.get(reverse("survey-invitation", args=[token])).status_code == 302


def _answer(client: Client, survey: Survey) -> None:
    """The same answers whatever the language: option values never change."""
    assert client.post(_step(survey, "0"), {"0-Q1": "yes", "0-Q2": "Cynllun"}).status_code == 302
    page = {"1-Q3": ["briefing", "training"], "1-Q4": "3", "1-Q6": "3"}
    assert client.post(_step(survey, "1"), page).url == _step(survey, "check")
    submitted = client.post(_step(survey, "check"), {"action": "submit"})
    assert submitted.url == reverse("survey-invited-thanks", args=[survey.pk])


# --- Compiling in a language (no catalogue needed) ------------------------------------------------


def test_a_version_compiled_in_welsh_has_welsh_words_and_the_same_values(bilingual_tool):
    version = bilingual_tool.versions.get()
    english = version_compile(version)
    welsh = version_compile(version, language="cy")
    assert (english.language, welsh.language) == ("en", "cy")
    assert welsh.languages == ("en", "cy") and welsh.offers("cy")
    assert (english.title, welsh.title) == ("Practitioner survey", TITLE_CY)
    assert [s.title for s in welsh.sections] == ["Am yr achos", "Ymarfer"]
    assert welsh.questions["Q1"].text == "Oedd yna gynllun?"
    assert welsh.questions["Q7"].help == "Dywedwch <beth> a pham."
    assert welsh.questions["Q6"].options["3"].label == "Da"
    for code, question in english.questions.items():
        other = welsh.questions[code]
        assert list(other.options) == list(question.options)
        assert [(o.id, o.points, o.score) for o in other.options.values()] == [
            (o.id, o.points, o.score) for o in question.options.values()
        ]
        assert (other.id, other.type, other.required, other.show_if, other.is_scored) == (
            question.id,
            question.type,
            question.required,
            question.show_if,
            question.is_scored,
        )


def test_a_version_without_welsh_compiles_in_english(survey_tool):
    compiled = version_compile(survey_tool.versions.get(), language="cy")
    assert compiled.language == "en" and not compiled.offers("cy")
    assert compiled.questions["Q1"].text == "Was there a plan?"


# --- The pages in Welsh -------------------------------------------------------------------------


def test_welsh_pages_show_the_instruments_welsh_texts(bilingual_survey, council):
    client = _welsh_client()
    _invited(client, bilingual_survey, "ash@fernhill.invalid", council)
    page = client.get(_step(bilingual_survey, "0"))
    assert page.status_code == 200
    assert "Am yr achos" in page.text and "Oedd yna gynllun?" in page.text
    assert "Oedd" in page.text and "Nac oedd" in page.text
    assert 'value="yes"' in page.text and 'value="no"' in page.text  # the values stay
    assert "Was there a plan?" not in page.text and "About the case" not in page.text
    assert "data-english-only" not in page.text
    client.post(_step(bilingual_survey, "0"), {"0-Q1": "yes", "0-Q2": "Cynllun"})
    second = client.get(_step(bilingual_survey, "1")).text
    assert "Pa mor dda oedd y cynllun?" in second and "Rhagorol" in second
    assert "Dywedwch &lt;beth&gt; a pham." in second  # help escaped as before
    check = client.get(_step(bilingual_survey, "check")).text
    assert "Oedd yna gynllun?" in check and "Oedd" in check and "Ymarfer" in check


def test_english_stays_the_default(bilingual_survey, council):
    client = Client()
    _invited(client, bilingual_survey, "ash@fernhill.invalid", council)
    page = client.get(_step(bilingual_survey, "0")).text
    assert "Was there a plan?" in page and "Oedd yna gynllun?" not in page
    assert 'lang="en-GB"' in page and "data-english-only" not in page


def test_welsh_page_words_and_lang(bilingual_survey, council, welsh_catalogue):
    # NEEDS_CATALOGUE: the page's own words in Welsh, and base.html's lang (helper G).
    client = _welsh_client()
    _invited(client, bilingual_survey, "ash@fernhill.invalid", council)
    start = client.get(reverse("survey-invited", args=[bilingual_survey.pk])).text
    assert '<html lang="cy">' in start and "Beth sy'n cael ei gofnodi" in start
    page = client.get(_step(bilingual_survey, "0")).text
    assert "Tudalen 1 o 2" in page and "Cadw a pharhau" in page
    assert "Save and continue" not in page and "Page 1 of 2" not in page
    missing = client.post(_step(bilingual_survey, "0"), {"action": "continue"}).text
    assert "Mae problem" in missing and "Dewiswch ateb." in missing
    assert "Gwall:" in missing and "Choose an answer." not in missing


# --- The same answers, the same scores ------------------------------------------------------------


def test_english_and_welsh_responses_score_identically_and_record_their_language(
    bilingual_survey, survey_scrutiny, council
):
    english = Client()
    _invited(english, bilingual_survey, "ash@fernhill.invalid", council)
    _answer(english, bilingual_survey)
    first = Response.objects.get()
    assert first.language == "en"
    after_english = scrutiny_scores(scrutiny=survey_scrutiny).factor("SF1")

    welsh = _welsh_client()
    _invited(welsh, bilingual_survey, "bo@fernhill.invalid", council)
    _answer(welsh, bilingual_survey)
    second = Response.objects.exclude(pk=first.pk).get()
    assert second.language == "cy"

    def stored(response: Response) -> list[tuple]:
        return sorted(
            Answer.objects.filter(response=response).values_list(
                "question__code", "option__value", "text", "number", "score"
            )
        )

    assert stored(first) == stored(second)
    after_welsh = scrutiny_scores(scrutiny=survey_scrutiny).factor("SF1")
    assert after_welsh.score == pytest.approx(after_english.score)
    assert after_welsh.sources["practitioner_survey"].n == 2 * (
        after_english.sources["practitioner_survey"].n
    )


def test_the_api_records_no_language(bilingual_survey, council):
    from surveys.services import answering

    draft, _ = answering.open_draft_start(
        survey=bilingual_survey, agency_id=council.pk, role_id=None
    )
    answering.survey_submit(holder=draft, values={"Q1": "no"})
    assert Response.objects.get().language == ""


# --- An instrument without Welsh ---------------------------------------------------------------


def test_an_instrument_without_welsh_opens_in_english_and_says_so(survey, council):
    client = _welsh_client()
    _invited(client, survey, "ash@fernhill.invalid", council)
    start = client.get(reverse("survey-invited", args=[survey.pk])).text
    assert "data-english-only" in start
    page = client.get(_step(survey, "0"))
    assert page.status_code == 200
    assert "Was there a plan?" in page.text and "data-english-only" in page.text
    assert '<div lang="en-GB">' in page.text and '<h1 lang="en-GB">About the case</h1>' in page.text
    client.post(_step(survey, "0"), {"0-Q1": "no"})
    client.post(_step(survey, "1"), {})
    check = client.get(_step(survey, "check")).text
    assert "data-english-only" in check
    # A chosen option's label is the questionnaire's English, marked so on the Welsh page.
    assert '<dd><span lang="en-GB">No</span></dd>' in check
    client.post(_step(survey, "check"), {"action": "submit"})
    assert Response.objects.get().language == "en"  # the questions were shown in English


def test_the_english_only_notice_is_in_welsh(survey, council, welsh_catalogue):
    # NEEDS_CATALOGUE: the notice's words.
    client = _welsh_client()
    _invited(client, survey, "ash@fernhill.invalid", council)
    page = client.get(_step(survey, "0")).text
    assert "Dim ond yn Saesneg y mae'r arolwg hwn ar gael." in page


def test_english_pages_carry_no_notice(survey, council):
    client = Client()
    _invited(client, survey, "ash@fernhill.invalid", council)
    assert "data-english-only" not in client.get(reverse("survey-invited", args=[survey.pk])).text
    assert "data-english-only" not in client.get(_step(survey, "0")).text
