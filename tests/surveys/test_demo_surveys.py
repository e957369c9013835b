"""The surveys part of `manage.py demo`: a survey of each kind, open, with people invited, some
answered and reminders owed in the coming week; the board member and the rights officer find
theirs on /answer/, and the response rates count the people invited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from scrutiny.demo import SCRUTINY_SLUG
from scrutiny.models import Source, User
from surveys.models import SURVEY_KINDS, Invitation, Survey
from surveys.services import (
    OPEN,
    invitation_for_token,
    invitation_token,
    reminders_due,
    reminders_send,
    survey_state,
)
from surveys.services.invited_drafts import invitations_answered
from tests.conftest import client_for


@pytest.fixture
def demo(demo_loaded, db) -> str:
    """The demo, loaded once for this module (tests.conftest.demo_loaded): what it printed."""
    return demo_loaded


def test_the_demo_opens_a_survey_of_each_kind_with_people_invited_and_answering(demo):
    surveys = {s.instrument.kind: s for s in Survey.objects.filter(scrutiny__slug=SCRUTINY_SLUG)}
    assert set(surveys) == set(SURVEY_KINDS)
    assert all(survey_state(survey) == OPEN for survey in surveys.values())
    # Children answer in sessions or by the open link, never by email: a session is running.
    young = surveys.pop(Source.YOUNG_PEOPLE)
    assert young.anonymous and young.open_link_enabled
    assert not Invitation.objects.filter(survey=young).exists()
    (session,) = young.youth_sessions.all()
    assert session.setting == "Northbrook Academy, Year 9" and session.consent_confirmed
    assert surveys[Source.PRACTITIONER_SURVEY].open_link_enabled
    assert surveys[Source.PRACTITIONER_SURVEY].anonymous
    assert not surveys[Source.BOARD_QUESTIONNAIRE].anonymous
    for survey in surveys.values():
        invitations = Invitation.objects.filter(survey=survey)
        answered = invitations_answered(invitations.select_related("survey"))
        assert 0 < len(answered) < invitations.count(), survey.title
        # An anonymous survey's are answered in keyed drafts; the invitations hold nothing.
        assert not survey.anonymous or not invitations.filter(answered=True).exists()
        assert not invitations.filter(sent_at__isnull=True).exists()
        assert all(i.email.endswith("@example.org") for i in invitations)
        # The agencies invited are many, not one.
        assert invitations.values("agency").distinct().count() >= 4
    # An anonymous survey's answered invitation keeps no response; a named one keeps its
    # member's, a return of their own agency.
    assert not Invitation.objects.filter(survey__anonymous=True, response__isnull=False).exists()
    named = Invitation.objects.filter(survey=surveys[Source.BOARD_QUESTIONNAIRE], answered=True)
    for invitation in named.select_related("response"):
        assert invitation.response is not None
        assert invitation.response.agency_id == invitation.agency_id
        assert invitation.response.instrument_id == invitation.survey.instrument_id
    assert len({i.response_id for i in named}) == named.count()
    assert "Surveys: the practitioner survey, board questionnaire and family feedback" in demo


def test_reminders_are_owed_in_the_coming_week_and_carry_a_working_link(demo):
    now = timezone.now()
    assert reminders_due(now=now) == []
    assert Invitation.objects.filter(answered=False, reminders_sent__gt=0).exists()
    owed = reminders_due(now=now + dt.timedelta(days=7))
    assert owed
    assert reminders_send(invitation_ids=owed, now=now + dt.timedelta(days=7)) == len(owed)
    message = mail.outbox[0]
    invitation = Invitation.objects.get(email=message.to[0])
    assert invitation_token(invitation) in message.body
    assert invitation_for_token(invitation_token(invitation)) == invitation


def test_the_board_member_and_rights_officer_find_theirs_and_every_rate_has_people_invited(demo):
    for email, kind in (
        ("board@demo.invalid", Source.BOARD_QUESTIONNAIRE),
        ("rights.officer@demo.invalid", Source.FAMILY_FEEDBACK),
    ):
        response = client_for(User.objects.get(email=email)).get(reverse("answer-list"))
        assert response.status_code == 200
        surveys = response.context["surveys"]
        assert [survey.instrument.kind for survey in surveys] == [kind], email
        assert surveys[0].title in response.content.decode()
    client = client_for(User.objects.get(email="admin@demo.invalid"))
    invited = Survey.objects.filter(scrutiny__slug=SCRUTINY_SLUG).exclude(
        instrument__kind=Source.YOUNG_PEOPLE  # children are never invited by email
    )
    for survey in invited.select_related("instrument"):
        url = reverse("survey-rates", args=[SCRUTINY_SLUG, survey.instrument.code])
        rates = client.get(url).context["rates"]
        assert rates.invited == Invitation.objects.filter(survey=survey).count() > 0
        assert rates.submitted > 0


def test_running_the_demo_again_adds_no_surveys(demo, capsys):
    before = list(Invitation.objects.order_by("pk").values())
    surveys = list(Survey.objects.order_by("pk").values())
    call_command("demo")
    assert "Surveys:" not in capsys.readouterr().out
    assert list(Survey.objects.order_by("pk").values()) == surveys
    assert list(Invitation.objects.order_by("pk").values()) == before
