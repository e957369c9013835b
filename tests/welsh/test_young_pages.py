"""Children and young people in Welsh (issue 18): a children's survey answered through a
session's code, one question a page, in every state; and the young scrutineers' own pages.

These use the shipped catalogue (locale/cy), with every part merged (docs/welsh.md).
"""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import resolve, reverse

from scrutiny.instruments import InstrumentDefinition, instrument_save
from scrutiny.models import Scrutiny, SuccessFactor, User
from scrutiny.publishing.services import publication_pack
from surveys.models import Survey
from surveys.services import youth_sessions
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.scrutiny.test_publishing import board as board
from tests.scrutiny.test_publishing import media as media
from tests.scrutiny.test_publishing import published as published
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import make_survey
from tests.surveys.test_youth_sessions import start_session, young_definition
from tests.welsh.conftest import assert_welsh, welsh

pytestmark = pytest.mark.django_db

QUESTIONS_CY = {
    "AGE": ("Amdanoch chi", "Faint yw eich oed chi?"),
    "SAFE": ("Sut mae pethau", "Ydych chi'n teimlo'n ddiogel yn yr ysgol?"),
    "HEARD": ("Sut mae pethau", "Ydy oedolion yn gwrando arnoch chi?"),
    "MORE": ("Sut mae pethau", "Oes unrhyw beth arall?"),
}
OPTIONS_CY = {
    "8-10": "8 i 10",
    "11-13": "11 i 13",
    "14-16": "14 i 16",
    "17-18": "17 neu 18",
    "always": "Bob amser",
    "mostly": "Y rhan fwyaf o'r amser",
    "sometimes": "Weithiau",
    "never": "Byth",
    "dont_know": "Dwi ddim yn gwybod",
}


def bilingual_young() -> InstrumentDefinition:
    english = young_definition()
    return dataclasses.replace(
        english,
        questions=tuple(
            dataclasses.replace(
                q,
                translations={
                    "cy": {"section": QUESTIONS_CY[q.code][0], "text": QUESTIONS_CY[q.code][1]}
                },
            )
            for q in english.questions
        ),
        option_lists={
            name: tuple(
                dataclasses.replace(o, translations={"cy": {"label": OPTIONS_CY[o.value]}})
                for o in options
            )
            for name, options in english.option_lists.items()
        },
        languages=("en", "cy"),
        translations={"cy": {"title": "Beth mae plant yn ei feddwl"}},
    )


@pytest.fixture
def young_survey(partnership) -> Survey:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug="voices-2026", title="Voices 2026", suppression_threshold=3
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Children feel safe.")
    instrument = instrument_save(scrutiny=scrutiny, definition=bilingual_young()).instrument
    return make_survey(instrument, title="Eich barn 2026")


def test_a_child_answers_through_a_session_code(young_survey, business_unit, partnership):
    data = [partnership.name, "Fernhill Academy, Year 8", "Eich barn 2026"]
    session = start_session(business_unit, young_survey)
    child = welsh()
    assert_welsh(child.get(reverse("young-code")), data)
    assert_welsh(child.post(reverse("young-code"), {"code": "ZZZZZZ"}), data)  # a wrong code
    start = reverse("young-start", args=[session.code])
    assert_welsh(child.get(start), data)
    url = child.get(child.post(start)["Location"])["Location"]
    first = True
    while not url.endswith("/check/"):
        step = url.rstrip("/").rsplit("/", 1)[1]
        assert resolve(url).url_name == "young-step"
        assert_welsh(child.get(url), data)
        if first:  # a page with an error
            assert_welsh(child.post(url, {"action": "continue"}), data)
            first = False
        code = {"0": "AGE", "1": "SAFE", "2": "HEARD", "3": "MORE"}[step]
        value = {"AGE": "11-13", "MORE": ""}.get(code, "always")
        url = child.post(url, {f"{step}-{code}": value, "action": "continue"})["Location"]
    assert_welsh(child.get(url), data)
    assert child.post(url, {"action": "submit"})["Location"].endswith("/thanks/")
    assert_welsh(child.get(reverse("young-thanks", args=[session.code])), data)
    # The session ended: a new child is told so.
    youth_sessions.youth_session_end(session=session)
    assert_welsh(welsh().get(start), data, status=welsh().get(start).status_code)


@pytest.fixture
def young(partnership) -> User:
    return UserFactory(
        partnership=partnership,
        email="riley@fernhill.invalid",
        full_name="Riley Youngperson",
        role=User.Role.YOUNG_SCRUTINEER,
    )


@pytest.mark.usefixtures("eager_tasks", "media")
def test_the_young_scrutineers_pages(published, young, partnership, scrutiny):
    slug = scrutiny.slug
    factors = list(scrutiny.factors.values_list("statement", flat=True))
    quotes = [
        f"“{text}”" for factor in publication_pack(published).factors for text, *_ in factor.quotes
    ]
    data = [partnership.name, scrutiny.title, young.full_name, *factors, *quotes]
    client = welsh(client_for(young))
    assert_welsh(client.get(reverse("young-home")), data)
    assert_welsh(client.get(reverse("young-scrutiny", args=[slug])), data)
    observation = reverse("young-observation", args=[slug])
    assert_welsh(client.get(observation), data)
    assert_welsh(client.post(observation, {"where": "event", "factors": [], "text": ""}), data)
    feedback = reverse("young-feedback", args=[slug])
    assert_welsh(client.get(feedback), data)
    assert_welsh(client.post(feedback, {}), data)


def test_a_survey_with_no_welsh_marks_only_its_own_words_english(business_unit, partnership):
    """The question, its help and its options are marked English; the page's Welsh around them
    (the error summary, "Gwall:", "You can skip this one.") is not (WCAG 3.1.2)."""
    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="voices-en", title="Voices")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Children feel safe.")
    instrument = instrument_save(scrutiny=scrutiny, definition=young_definition()).instrument
    session = start_session(business_unit, make_survey(instrument, title="Eich barn 2026"))
    data = [partnership.name, "Fernhill Academy, Year 8", "Eich barn 2026"]
    child = welsh()
    start = reverse("young-start", args=[session.code])
    child.get(start)
    url = child.get(child.post(start)["Location"])["Location"]
    page = assert_welsh(child.post(url, {"action": "continue"}), data)  # an error
    assert "data-error-summary" in page and "data-english-only" in page
    assert 'lang="en-GB"' in page
