"""What an unauthenticated sender can put in an answer: 2 MB of comment, a NUL byte, invalid
Unicode. Each is refused with a message a person can act on (400), and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from scrutiny.models import Response
from surveys.models import Invitation
from tests.surveys.conftest import COMPLETE, make_invitation

pytestmark = pytest.mark.django_db


def _open_url(survey) -> str:
    return reverse("api-survey-open-submit", args=[survey.public_key])


def _post_raw(survey, body: bytes):
    return Client().post(_open_url(survey), body, content_type="application/json")


def test_a_2mb_comment_is_refused_and_nothing_is_stored(survey, council):
    body = {"agency": council.code, "answers": {**COMPLETE, "Q7": "word " * 400_000}}
    answer = _post_raw(survey, json.dumps(body).encode())
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["errors"]["Q7"] == (
        "the answer to Q7 is 1,999,999 characters long: shorten it to 10,000 characters or fewer"
    )
    assert not Response.objects.exists()


def test_the_cap_is_a_setting_and_the_limit_itself_is_taken(survey, council, settings):
    settings.ANSWER_TEXT_MAX_CHARS = 20
    body = {"agency": council.code, "answers": {**COMPLETE, "Q7": "x" * 20}}
    assert _post_raw(survey, json.dumps(body).encode()).status_code == 201
    body["answers"]["Q7"] = "x" * 21
    answer = _post_raw(survey, json.dumps(body).encode())
    assert answer.status_code == 400 and "20 characters or fewer" in answer.json()["detail"]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "raw",
    [
        b'"A plan\\u0000 was made"',  # NUL
        b'"A plan \\ud800 was made"',  # a lone surrogate: not Unicode at all
        b'["yes", "\\udfff"]',
    ],
)
def test_nul_and_invalid_unicode_get_a_400_with_a_message(survey, council, raw):
    body = b'{"agency": "%s", "answers": {"Q1": "yes", "Q6": "3", "Q2": %s}}' % (
        council.code.encode(),
        raw,
    )
    answer = _post_raw(survey, body)
    assert answer.status_code == 400
    assert "cannot be stored" in answer.json()["errors"]["Q2"]
    assert not Response.objects.exists()


def test_invalid_unicode_in_a_question_code_is_named_safely(survey, council):
    body = b'{"agency": "%s", "answers": {"Q\\ud800": "yes"}}' % council.code.encode()
    answer = _post_raw(survey, body)
    assert answer.status_code == 400
    assert "cannot be stored" in answer.content.decode()
    assert not Response.objects.exists()


def test_the_invitation_api_refuses_the_same_and_keeps_the_link_usable(survey, council):
    _, token = make_invitation(survey, "ash@fernhill.invalid", council)
    url = reverse("api-survey-invitation-submit")
    for answers in ({**COMPLETE, "Q7": "x" * 10_001}, {**COMPLETE, "Q2": "a\x00b"}):
        body = {"token": token, "answers": answers}
        answer = Client().post(url, body, content_type="application/json")
        assert answer.status_code == 400
    assert not Response.objects.exists() and not Invitation.objects.get().answered
    body = {"token": token, "answers": COMPLETE}
    ok = Client().post(url, body, content_type="application/json")
    assert ok.status_code == 201


def test_the_page_refuses_an_answer_over_the_limit_and_keeps_the_draft(survey, council):
    invitation, token = make_invitation(survey, "ash@fernhill.invalid", council)
    browser = Client()
    browser.get(reverse("survey-invitation", args=[token]))
    page = reverse("survey-invited-step", args=[survey.pk, "0"])
    long = browser.post(page, {"0-Q1": "yes", "0-Q2": "x" * 10_001, "action": "continue"})
    assert long.status_code == 200
    assert "Shorten your answer to 10,000 characters or fewer (it has 10001)." in long.text
    invitation.refresh_from_db()
    assert invitation.draft_values == {}
