"""Every page of a practitioner survey and a board questionnaire in Welsh (issue 18): by a
personal link and by the open link, in every state, signed in too. The instrument is bilingual
(tests/surveys/test_welsh_answering.py), so its own texts are Welsh as well.

These use the shipped catalogue (locale/cy), with every part merged (docs/welsh.md).
"""

# ruff: noqa: F811 - the survey fixtures, imported by name

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from scrutiny.instruments import instrument_save
from scrutiny.models import Source
from surveys.models import Survey
from tests.conftest import client_for
from tests.surveys.conftest import (  # noqa: F401 - fixtures
    make_invitation,
    make_survey,
    social_worker,
    survey,
    survey_scrutiny,
    survey_tool,
)
from tests.surveys.test_welsh_answering import bilingual_definition
from tests.welsh.check import MONTHS_CY
from tests.welsh.conftest import assert_welsh, welsh

pytestmark = pytest.mark.django_db

TITLE = "Practitioners' views 2025"


@pytest.fixture
def data(partnership, council, social_worker) -> list[str]:
    """The names on these pages that are user data, the same in both languages."""
    return [partnership.name, council.name, social_worker.name, TITLE, "Fernhill"]


@pytest.fixture
def bilingual(survey_scrutiny) -> Survey:
    tool = instrument_save(scrutiny=survey_scrutiny, definition=bilingual_definition()).instrument
    return make_survey(tool, title=TITLE)


def _invited(client: Client, survey: Survey, council) -> str:
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    assert client.get(reverse("survey-invitation", args=[token])).status_code == 302
    return token


def _walk(client: Client, step, data: list[str]) -> None:
    """Start, each page, a page with errors, check your answers, submit, thanks."""
    assert_welsh(client.get(step("0")), data)
    assert_welsh(client.post(step("0"), {"action": "continue"}), data)  # errors
    assert client.post(step("0"), {"0-Q1": "yes", "0-Q2": "Cynllun"}).status_code == 302
    assert_welsh(client.get(step("1")), data)
    assert_welsh(client.post(step("1"), {"1-Q4": "lots", "action": "continue"}), data)
    answers = {"1-Q3": ["briefing"], "1-Q4": "3", "1-Q5": "2025-03-04", "1-Q6": "3"}
    assert client.post(step("1"), answers).status_code == 302
    assert_welsh(client.get(step("check")), data)
    assert client.post(step("check"), {"action": "submit"}).status_code == 302


def test_a_personal_link_in_every_state(bilingual, council, data):
    client = welsh()
    token = _invited(client, bilingual, council)
    assert_welsh(client.get(reverse("survey-invited", args=[bilingual.pk])), data)

    def step(name: str) -> str:
        return reverse("survey-invited-step", args=[bilingual.pk, name])

    _walk(client, step, data)
    assert_welsh(client.get(reverse("survey-invited-thanks", args=[bilingual.pk])), data)
    # Already submitted: by the link and by the page it led to.
    assert_welsh(client.get(reverse("survey-invitation", args=[token])), data)
    assert_welsh(client.get(reverse("survey-invited", args=[bilingual.pk])), data)
    # A link that does not work, and a page reached without the link's cookie.
    assert_welsh(client.get(reverse("survey-invitation", args=["no-such"])), data, status=404)
    assert_welsh(welsh().get(reverse("survey-invited", args=[bilingual.pk])), data)


def test_saving_for_later(bilingual, council, data):
    client = welsh()
    _invited(client, bilingual, council)
    url = reverse("survey-invited-step", args=[bilingual.pk, "0"])
    assert_welsh(client.post(url, {"0-Q1": "no", "action": "later"}), data)
    assert_welsh(client.get(reverse("survey-invited", args=[bilingual.pk])), data)  # resume


def test_the_open_link_in_every_state(bilingual, council, social_worker, data):
    bilingual.open_link_enabled = True
    bilingual.save()
    client = welsh()
    start = reverse("survey-open", args=[bilingual.public_key])
    assert_welsh(client.get(start), data)
    assert_welsh(client.post(start, {}), data)  # no agency chosen
    assert client.post(start, {"agency": council.pk, "role": social_worker.pk}).status_code == 302

    def step(name: str) -> str:
        return reverse("survey-open-step", args=[bilingual.public_key, name])

    _walk(client, step, data)
    assert_welsh(client.get(reverse("survey-open-thanks", args=[bilingual.public_key])), data)
    assert_welsh(client.get(start), data)  # already answered from this browser
    assert_welsh(client.get(reverse("survey-open", args=["nope"])), data, status=404)


@pytest.mark.parametrize(
    "opens, closes",
    [(1, 14), (-14, -1)],
    ids=["not open yet", "closed"],
)
def test_a_survey_not_open(survey_scrutiny, council, data, opens, closes):
    now = timezone.now()
    tool = instrument_save(scrutiny=survey_scrutiny, definition=bilingual_definition()).instrument
    survey = make_survey(
        tool,
        title=TITLE,
        opens_at=now + dt.timedelta(days=opens),
        closes_at=now + dt.timedelta(days=closes),
        open_link_enabled=True,
    )
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    page = assert_welsh(welsh().get(reverse("survey-invitation", args=[token])), data)
    assert any(month in page for month in MONTHS_CY), "a date on the page is not in Welsh"
    assert_welsh(welsh().get(reverse("survey-open", args=[survey.public_key])), data)


def test_a_survey_with_no_welsh_says_so(survey, council, data):
    client = welsh()
    _invited(client, survey, council)
    page = assert_welsh(client.get(reverse("survey-invited", args=[survey.pk])), data)
    assert "data-english-only" in page
    step = reverse("survey-invited-step", args=[survey.pk, "0"])
    # The instrument's own English (its section's name in the title) is its data.
    assert "Dim ond yn Saesneg" in assert_welsh(client.get(step), [*data, "About the case"])
    # With errors: only the questionnaire's own English is marked English, never the page's
    # Welsh around it (the error summary, "Gwall:", "(dewisol)"), which check.py reports.
    page = assert_welsh(client.post(step, {"action": "continue"}), [*data, "About the case"])
    tree = lxml_html.document_fromstring(page)
    marked = [
        " ".join(e.text_content().split()) for e in tree.xpath("//form[@novalidate]//*[@lang]")
    ]
    assert marked and all(text in ENGLISH_TEXTS for text in marked), marked
    assert tree.xpath("//*[@data-error-summary]") and not tree.xpath(
        "//*[starts-with(@lang, 'en')]//h2"
    )


# The English-only instrument's texts on its first page (tests/surveys/conftest.py).
ENGLISH_TEXTS = {"Was there a plan?", "Yes No", "What did the plan say?"}


def test_the_board_questionnaire_signed_in(survey_scrutiny, board_member, data):
    definition = bilingual_definition("BQ")
    definition = definition.__class__(**{**definition.__dict__, "kind": Source.BOARD_QUESTIONNAIRE})
    tool = instrument_save(scrutiny=survey_scrutiny, definition=definition).instrument
    survey = make_survey(tool, title=TITLE, anonymous=False)
    client = welsh(client_for(board_member))
    data = [*data, board_member.full_name]
    assert_welsh(client.get(reverse("answer-list")), data)
    started = client.post(reverse("answer-start", args=[survey.pk]))
    assert started.status_code == 302, started.status_code
    first = client.get(started["Location"], follow=True)
    draft_id = first.resolver_match.kwargs["draft_id"]

    def step(name: str) -> str:
        return reverse("answer-step", args=[draft_id, name])

    _walk(client, step, data)
    assert_welsh(client.get(reverse("answer-thanks", args=[draft_id])), data)
    assert_welsh(client.get(reverse("answer-list")), data)
    # Starting again: told in Welsh that the answers went in, and when (the month in Welsh).
    again = assert_welsh(client.post(reverse("answer-start", args=[survey.pk]), follow=True), data)
    assert "Rydych wedi cyflwyno eich atebion" in again
    assert any(month in again for month in MONTHS_CY)


def test_family_feedback_by_the_open_link(survey_scrutiny, council, social_worker, data):
    definition = bilingual_definition("FF")
    definition = definition.__class__(**{**definition.__dict__, "kind": Source.FAMILY_FEEDBACK})
    tool = instrument_save(scrutiny=survey_scrutiny, definition=definition).instrument
    survey = make_survey(tool, title=TITLE, open_link_enabled=True)
    client = welsh()
    start = reverse("survey-open", args=[survey.public_key])
    assert_welsh(client.get(start), data)
    assert client.post(start, {"agency": council.pk, "role": social_worker.pk}).status_code == 302
    assert_welsh(client.get(reverse("survey-open-step", args=[survey.public_key, "0"])), data)
