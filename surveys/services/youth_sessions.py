"""Children's sessions: an adult starts a session of a children's survey in a setting (a class,
a youth group), children type its code and answer without an account.

What a session keeps is that it was arranged, by whom, where, and with the consent the setting
requires: never who the children were. Each child's answers are an open draft of the survey
(found again by a resume key in their browser, as the open link's) that records the session;
once submitted, the response is anonymous (surveys.services.answering.survey_submit) and the
draft keeps only that it was answered, the day and the session.

A session takes new children until it is ended or until SESSION_HOURS have passed, whichever
comes first; a child who has started may always finish while the survey is open (no time-out
loses answers).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutiny.errors import ApplicationError
from scrutiny.models import Source, User
from surveys.models import (
    SESSION_CODE_ALPHABET,
    SESSION_CODE_LENGTH,
    OpenDraft,
    Survey,
    YouthSession,
    new_session_code,
    new_token,
    token_hash,
)
from surveys.services.answering import today
from surveys.services.invitations import CLOSED, NOT_OPEN, survey_state

SESSION_HOURS = 8
SETTING_MAX = 200


def session_is_open(session: YouthSession, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return session.closed_at is None and session.closes_at > now


def code_normalise(code: str) -> str:
    """The code as typed: any case, spaces or dashes between the characters."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def youth_session_for_code(code: str) -> YouthSession | None:
    """The open session with this code, or None (an ended or unknown code alike)."""
    code = code_normalise(code)
    if len(code) != SESSION_CODE_LENGTH or any(ch not in SESSION_CODE_ALPHABET for ch in code):
        return None
    return (
        YouthSession.objects.select_related("survey__scrutiny__partnership", "survey__instrument")
        .filter(code=code, closed_at__isnull=True, closes_at__gt=timezone.now())
        .first()
    )


def _check_survey(survey: Survey) -> None:
    if survey.instrument.kind != Source.YOUNG_PEOPLE:
        raise ApplicationError("Sessions are for children's surveys only.")
    state = survey_state(survey)
    if state == NOT_OPEN:
        raise ApplicationError("This survey is not open yet: start the session once it opens.")
    if state == CLOSED:
        raise ApplicationError("This survey has closed: a session can no longer be started.")


def youth_session_start(
    *, survey: Survey, user: User, setting: str, consent_confirmed: bool
) -> YouthSession:
    """Start a session (the caller has checked `can_start_youth_sessions`): a new code, open
    for SESSION_HOURS unless ended sooner."""
    _check_survey(survey)
    setting = " ".join(setting.split())
    if not setting:
        raise ApplicationError("Say where the session is, for example “Fernhill Academy, Year 8”.")
    if len(setting) > SETTING_MAX:
        raise ApplicationError(f"Say where the session is in {SETTING_MAX} characters or fewer.")
    if not consent_confirmed:
        raise ApplicationError(
            "Confirm that you have arranged this session with the consent the setting requires."
        )
    now = timezone.now()
    for _ in range(10):
        try:
            with transaction.atomic():
                return YouthSession.objects.create(
                    survey=survey,
                    code=new_session_code(),
                    arranged_by=user,
                    setting=setting,
                    consent_confirmed=True,
                    opened_at=now,
                    closes_at=now + dt.timedelta(hours=SESSION_HOURS),
                )
        except IntegrityError:  # the code is another open session's: draw again
            continue
    raise ApplicationError("A code could not be made just now: try again.")


@transaction.atomic
def youth_session_end(*, session: YouthSession) -> YouthSession:
    """End a session: no child starts answering with its code any more; those who have started
    may finish. Ending an ended session changes nothing."""
    session = YouthSession.objects.select_for_update().get(pk=session.pk)
    if session.closed_at is None:
        session.closed_at = timezone.now()
        session.save(update_fields=["closed_at"])
    return session


@transaction.atomic
def young_draft_start(*, session: YouthSession) -> tuple[OpenDraft, str]:
    """A child begins answering in a session: a draft recording the session and the day, and
    nothing of the child. Returns it and its plain resume key (for the child's browser only)."""
    session = YouthSession.objects.select_related("survey__instrument").get(pk=session.pk)
    if not session_is_open(session):
        raise ApplicationError("This session has ended. Ask the adult running it for a new code.")
    _check_survey(session.survey)
    key = new_token()
    draft = OpenDraft.objects.create(
        survey=session.survey, session=session, key_sha256=token_hash(key), started_at=today()
    )
    return draft, key


def young_open_survey(public_key: str) -> Survey | None:
    """The children's survey whose open link this is, if its open link is on."""
    return (
        Survey.objects.select_related("scrutiny__partnership", "instrument")
        .filter(public_key=public_key, open_link_enabled=True, instrument__kind=Source.YOUNG_PEOPLE)
        .first()
    )


@transaction.atomic
def young_open_draft_start(*, survey: Survey) -> tuple[OpenDraft, str]:
    """A child begins answering through a children's survey's open link: a draft recording
    the day and nothing of the child (no agency or role is asked)."""
    if not survey.open_link_enabled:
        raise ApplicationError("This survey is answered in sessions only.")
    _check_survey(survey)
    key = new_token()
    draft = OpenDraft.objects.create(survey=survey, key_sha256=token_hash(key), started_at=today())
    return draft, key
