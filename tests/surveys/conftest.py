"""What the survey tests build on: a scrutiny with a two-page practitioner survey, the
partnership's roles, and surveys open now. Every name and address is made up.

The instrument is tests.scrutiny.test_questionnaires.sample_definition as a practitioner survey:
page 0 "About the case": Q1 (yes/no, required), Q2 (text, required, shown if Q1 = yes);
page 1 "Practice": Q3 (multiple), Q4 (number), Q5 (date), Q6 (grade, required, shown if
Q1 = yes, scored for SF1), Q7 (text).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from celery import current_app as celery_app
from django.utils import timezone

from scrutiny.instruments import instrument_save
from scrutiny.models import (
    Agency,
    Instrument,
    PractitionerRole,
    Scrutiny,
    Source,
    SuccessFactor,
)
from surveys.models import Invitation, Survey, new_token, token_hash
from tests.scrutiny.test_questionnaires import sample_definition

SLUG = "learning-2025"
COMPLETE = {"Q1": "yes", "Q2": "A plan was made", "Q6": "3"}


@pytest.fixture
def eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def survey_scrutiny(partnership) -> Scrutiny:
    scrutiny = Scrutiny.objects.create(
        partnership=partnership, slug=SLUG, title="Learning from Practice 2025"
    )
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=scrutiny, code="SF2", statement="Learning reaches all.")
    return scrutiny


@pytest.fixture
def social_worker(partnership) -> PractitionerRole:
    return PractitionerRole.objects.create(partnership=partnership, code="SW", name="Social worker")


@pytest.fixture
def teacher(partnership) -> PractitionerRole:
    return PractitionerRole.objects.create(partnership=partnership, code="TCH", name="Teacher")


def survey_definition(kind: str = Source.PRACTITIONER_SURVEY, code: str = "PS"):
    return dataclasses.replace(sample_definition(code), kind=kind, title="Practitioner survey")


@pytest.fixture
def survey_tool(survey_scrutiny) -> Instrument:
    return instrument_save(scrutiny=survey_scrutiny, definition=survey_definition()).instrument


@pytest.fixture
def board_tool(survey_scrutiny) -> Instrument:
    definition = survey_definition(Source.BOARD_QUESTIONNAIRE, "BQ")
    return instrument_save(scrutiny=survey_scrutiny, definition=definition).instrument


def make_survey(instrument: Instrument, **fields) -> Survey:
    now = timezone.now()
    values = {
        "scrutiny": instrument.scrutiny,
        "instrument": instrument,
        "title": "Practitioners' views 2025",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=14),
        "anonymous": instrument.kind != Source.BOARD_QUESTIONNAIRE,
    }
    values.update(fields)
    return Survey.objects.create(**values)


@pytest.fixture
def survey(survey_tool) -> Survey:
    return make_survey(survey_tool)


@pytest.fixture
def board_survey(board_tool) -> Survey:
    return make_survey(board_tool, title="Board questionnaire 2025")


def make_invitation(
    survey: Survey, email: str, agency: Agency, role: PractitionerRole | None = None
) -> tuple[Invitation, str]:
    """An invitation as if its email had been sent: returns it and its plain token."""
    token = new_token()
    invitation = Invitation.objects.create(
        survey=survey,
        email=email,
        agency=agency,
        role=role,
        token_sha256=token_hash(token),
        sent_at=timezone.now(),
    )
    return invitation, token
