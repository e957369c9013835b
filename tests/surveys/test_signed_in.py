"""Answering signed in: board members answer the board questionnaire by name, once; a rights
officer enters family feedback on each family's behalf, anonymously. Nobody reaches another
person's draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from scrutiny.instruments import instrument_save
from scrutiny.models import Response, Source
from surveys.models import OpenDraft
from tests.conftest import client_for
from tests.surveys.conftest import make_survey, survey_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_survey(survey_scrutiny):
    definition = survey_definition(Source.FAMILY_FEEDBACK, "FF")
    instrument = instrument_save(scrutiny=survey_scrutiny, definition=definition).instrument
    return make_survey(instrument, title="What families told us")


def _answer_all(client, draft_id: int) -> None:
    step = lambda name: reverse("answer-step", args=[draft_id, name])  # noqa: E731
    assert client.get(step("resume")).url == step("0")
    assert client.post(step("0"), {"0-Q1": "yes", "0-Q2": "We felt listened to"}).url == step("1")
    assert client.post(step("1"), {"1-Q6": "4"}).url == step("check")
    done = client.post(step("check"), {"action": "submit"})
    assert done.url == reverse("answer-thanks", args=[draft_id])


def test_a_board_member_answers_by_name_once(board_survey, board_member):
    client = client_for(board_member)
    listing = client.get(reverse("answer-list"))
    assert listing.status_code == 200 and "Board questionnaire 2025" in listing.text
    assert "Board questionnaires" in client.get(reverse("home")).text  # in the navigation

    start = reverse("answer-start", args=[board_survey.pk])
    first = client.post(start)
    draft = OpenDraft.objects.get(entered_by=board_member)
    assert first.url == reverse("answer-step", args=[draft.pk, "resume"])
    client.post(reverse("answer-step", args=[draft.pk, "0"]), {"0-Q1": "no", "action": "later"})
    # Starting again carries on with the same draft.
    assert client.post(start).url == first.url
    assert OpenDraft.objects.filter(entered_by=board_member).count() == 1

    _answer_all(client, draft.pk)
    response = Response.objects.get(instrument=board_survey.instrument)
    assert response.status == Response.Status.SUBMITTED
    assert response.created_by == board_member  # named: not anonymous
    draft.refresh_from_db()
    assert draft.response == response and draft.used_at is not None
    thanks = client.get(reverse("answer-thanks", args=[draft.pk]))
    assert "stored with your name" in thanks.text

    again = client.post(start, follow=True)
    assert "You submitted your answers" in again.text
    assert Response.objects.filter(instrument=board_survey.instrument).count() == 1
    assert "Submitted on" in client.get(reverse("answer-list")).text


def test_a_rights_officer_enters_each_familys_feedback_anonymously(family_survey, practitioner):
    client = client_for(practitioner)
    assert "What families told us" in client.get(reverse("answer-list")).text
    start = reverse("answer-start", args=[family_survey.pk])
    for _ in range(2):
        client.post(start)
        draft = OpenDraft.objects.filter(entered_by=practitioner).latest("pk")
        _answer_all(client, draft.pk)
        thanks = client.get(reverse("answer-thanks", args=[draft.pk]))
        assert "Enter feedback from another family" in thanks.text
    responses = Response.objects.filter(instrument=family_survey.instrument)
    assert responses.count() == 2
    for response in responses:
        assert response.status == Response.Status.SUBMITTED
        assert response.agency == practitioner.agency
        assert response.created_by is None  # anonymous: no link to the officer
        assert response.submitted_at.time() == dt.time(0, 0)
    assert not OpenDraft.objects.filter(response__isnull=False).exists()
    assert not OpenDraft.objects.exclude(draft_values={}).exists()


def test_nobody_reaches_anothers_draft_or_another_kind(
    board_survey, family_survey, board_member, practitioner, auditor_police
):
    client_for(practitioner).post(reverse("answer-start", args=[family_survey.pk]))
    draft = OpenDraft.objects.get(entered_by=practitioner)
    step = reverse("answer-step", args=[draft.pk, "0"])
    assert client_for(auditor_police).get(step).status_code == 404
    assert client_for(board_member).get(step).status_code == 404
    assert client_for(practitioner).get(step).status_code == 200
    # A board member does not enter family feedback; a practitioner does not answer the board's.
    board = client_for(board_member)
    assert board.post(reverse("answer-start", args=[family_survey.pk])).status_code == 404
    officer = client_for(practitioner)
    assert officer.post(reverse("answer-start", args=[board_survey.pk])).status_code == 404
    assert "Board questionnaire 2025" not in officer.get(reverse("answer-list")).text
    # Signed out: to the sign-in page.
    from django.test import Client

    assert Client().get(step).url.startswith(reverse("login"))


def test_a_closed_questionnaire_cannot_be_started(family_survey, practitioner):
    family_survey.closes_at = timezone.now() - dt.timedelta(hours=1)
    family_survey.save()
    client = client_for(practitioner)
    assert "What families told us" not in client.get(reverse("answer-list")).text
    page = client.post(reverse("answer-start", args=[family_survey.pk]), follow=True)
    assert "This survey has closed" in page.text
    assert not OpenDraft.objects.exists()
