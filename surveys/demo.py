"""The surveys part of the demo (`manage.py demo`, through `SurveysConfig.demo_load`): a survey
of each of the scrutiny's survey instruments (the fourth source, the case-file audit, is the
audits app's), open since the evidence gathering began and open still, so that the board
member and the rights officer find theirs on /answer/ and every response rate has people
invited.

- the practitioner survey takes answers by its open link too, and was sent to made-up people of
  every agency and role;
- the board questionnaire (by name) was sent to the board members of the agencies, and is
  answered signed in as well; each answered invitation holds its member's response;
- the family feedback form takes answers by its open link, and was sent to families that
  services worked with.

Each was sent in two rounds: the first when the survey opened, most of it answered and the
rest reminded as often as the survey allows; the second a few days ago, to people who have not
answered yet, some reminded once already, each owed their next reminder in the coming week.
No email goes: the invitations are stored as sent, each with the token its links carry
(`invitation_token`), so a reminder sent later works. Made-up people only (example.org).
Idempotent: a scrutiny that already has a survey is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from scrutiny.demo.evidence import START
from scrutiny.models import Instrument, Response, Scrutiny, Source, User
from surveys.models import Invitation, OpenDraft, Survey, invited_draft_key, token_hash
from surveys.services.invitations import (
    invitation_token,
    invitations_create,
    survey_save,
)

SEED = 20260202
# Open since the evidence gathering began.
OPENS_AT = START
REMINDER_DAYS = 7
REMINDER_LIMIT = 2

FIRST_NAMES = (
    "Amara", "Ben", "Cara", "Dev", "Elin", "Femi", "Gwen", "Hal", "Isla", "Jonah", "Kemi",
    "Lars", "Maya", "Nico", "Orla", "Pavel", "Quinn", "Rhys", "Sian", "Tomas", "Uma", "Wren",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Brennan", "Castell", "Dunmore", "Evesham", "Fairley", "Garrow", "Hollis",
    "Ingram", "Jessop", "Kettering", "Lomax", "Marsh", "Norwood", "Oakley", "Penrose",
    "Quayle", "Rowntree", "Stanway", "Tolley", "Upton", "Varley",
)  # fmt: skip


@dataclass(frozen=True)
class Round:
    """How many of an agency's people each round invited, and how many answered."""

    agency: str
    role: str
    first: int  # invited when the survey opened
    answered: int  # of those, how many answered
    second: int  # invited a few days ago, none answered yet


@dataclass(frozen=True)
class DemoSurvey:
    kind: str
    title: str
    open_link: bool
    rounds: tuple[Round, ...]


SURVEYS = (
    DemoSurvey(
        Source.PRACTITIONER_SURVEY,
        "Practitioner survey: learning from practice reviews",
        True,
        (
            Round("NBC", "SW", 4, 3, 1),
            Round("WMC", "SW", 4, 3, 1),
            Round("POL", "PC", 4, 2, 3),
            Round("NHB", "HV", 4, 3, 1),
            Round("AVH", "GP", 4, 3, 1),
            Round("EDU", "DSL", 4, 3, 2),
            Round("PRB", "PO", 3, 1, 2),
            Round("VOL", "YW", 3, 2, 2),
        ),
    ),
    DemoSurvey(
        Source.BOARD_QUESTIONNAIRE,
        "Board questionnaire: learning from practice reviews",
        False,
        (
            Round("NBC", "", 2, 2, 1),
            Round("WMC", "", 2, 2, 0),
            Round("POL", "", 2, 2, 1),
            Round("NHB", "", 2, 2, 0),
            Round("AVH", "", 2, 2, 0),
            Round("EDU", "", 2, 2, 1),
            Round("PRB", "", 1, 1, 0),
            Round("VOL", "", 2, 2, 0),
        ),
    ),
    DemoSurvey(
        Source.FAMILY_FEEDBACK,
        "Family feedback: your say on the help you had",
        True,
        (
            Round("NBC", "", 4, 3, 1),
            Round("WMC", "", 3, 2, 1),
            Round("NHB", "", 2, 1, 1),
            Round("EDU", "", 1, 0, 0),
        ),
    ),
)


# What `_invite` stores of each invitation after the list made it.
STORED = [
    "token_sha256",
    "sent_at",
    "reminders_sent",
    "answered",
    "started_at",
    "response",
    "used_at",
]


@dataclass(frozen=True)
class Sent:
    """One invitation as the demo stores it."""

    email: str
    agency: str
    role: str
    sent_at: dt.datetime
    reminders_sent: int
    answered_on: dt.date | None = None


@transaction.atomic
def demo_surveys_load(*, scrutiny: Scrutiny) -> str | None:
    if Survey.objects.filter(scrutiny=scrutiny).exists():
        return None
    instruments = {
        instrument.kind: instrument
        for instrument in Instrument.objects.filter(scrutiny=scrutiny).order_by("pk")
    }
    business_unit = User.objects.filter(
        partnership=scrutiny.partnership, role=User.Role.ADMINISTRATOR
    ).first()
    rng = random.Random(SEED)  # noqa: S311 (made-up people, not secrets)
    names = iter(rng.sample([(f, s) for f in FIRST_NAMES for s in LAST_NAMES], 120))
    now = timezone.now()
    invited = answered = 0
    for demo in SURVEYS:
        instrument = instruments.get(demo.kind)
        if instrument is None:
            continue
        survey = survey_save(
            scrutiny=scrutiny,
            instrument=instrument,
            title=demo.title,
            opens_at=OPENS_AT,
            open_link_enabled=demo.open_link,
            reminder_days=REMINDER_DAYS,
            reminder_limit=REMINDER_LIMIT,
            user=business_unit,
        )
        sent = _schedule(demo, rng=rng, names=names, now=now)
        _invite(survey, sent)
        invited += len(sent)
        answered += sum(1 for s in sent if s.answered_on)
    if not invited:
        return None
    setting = _young_people_load(scrutiny=scrutiny, business_unit=business_unit)
    return (
        f"Surveys: the practitioner survey, board questionnaire and family feedback open, "
        f"{invited} people invited, {answered} answered, reminders due in the coming week; "
        f"the children and young people's survey open, with a session at {setting}."
    )


def _young_people_load(*, scrutiny: Scrutiny, business_unit: User | None) -> str:
    """The children and young people's survey (the library's, ages 11 to 17), with its open
    link and a session a teacher has just started (its code shown on their page). No child has
    answered yet, so the demo's scores are those of the four other sources."""
    from scrutiny.library import template_import
    from surveys.services.youth_sessions import youth_session_start

    instrument = template_import(scrutiny=scrutiny, slug="young-people-survey").instrument
    survey = survey_save(
        scrutiny=scrutiny,
        instrument=instrument,
        title="Your say: learning from what happened",
        opens_at=OPENS_AT,
        open_link_enabled=True,
        reminder_days=None,
        reminder_limit=0,
        user=business_unit,
    )
    teacher = User.objects.get(email="practitioner@demo.invalid")
    setting = "Northbrook Academy, Year 9"
    youth_session_start(survey=survey, user=teacher, setting=setting, consent_confirmed=True)
    return setting


def _email(name: tuple[str, str]) -> str:
    return f"{name[0]}.{name[1]}@example.org".lower()


def _schedule(
    demo: DemoSurvey, *, rng: random.Random, names: Iterator[tuple[str, str]], now: dt.datetime
) -> list[Sent]:
    """Who was invited when, reminded how often, and who answered on which day."""
    sent: list[Sent] = []
    for round_ in demo.rounds:
        for number in range(round_.first):
            email = _email(next(names))
            if number < round_.answered:
                answered_on = OPENS_AT.date() + dt.timedelta(days=rng.randrange(3, 40))
                # Reminded each week until they answered, at most the survey's limit.
                days = (answered_on - OPENS_AT.date()).days
                reminders = min(REMINDER_LIMIT, days // REMINDER_DAYS)
                sent.append(
                    Sent(email, round_.agency, round_.role, OPENS_AT, reminders, answered_on)
                )
            else:
                sent.append(Sent(email, round_.agency, round_.role, OPENS_AT, REMINDER_LIMIT))
        for _ in range(round_.second):
            # Sent 1 to 5 days after a reminder (or the first email): the next is owed in 2
            # to 6 days, by the daily reminders job.
            reminders = rng.randrange(REMINDER_LIMIT)
            ago = dt.timedelta(days=REMINDER_DAYS * reminders + rng.randint(1, 5), hours=2)
            sent.append(Sent(_email(next(names)), round_.agency, round_.role, now - ago, reminders))
    return sent


def _invite(survey: Survey, sent: list[Sent]) -> None:
    """Invite everyone through the invitation list the business unit would upload, then store
    each as sent: its link's token, when, its reminders and whether it was answered."""
    lines = ["email,agency,role", *(f"{s.email},{s.agency},{s.role}" for s in sent)]
    created = invitations_create(
        survey=survey, content="\n".join(lines).encode(), file_name="demo-invitees.csv", send=False
    )
    by_email = {s.email: s for s in sent}
    named = _board_responses(survey)
    invitations = list(Invitation.objects.filter(pk__in=created.invitation_ids).order_by("pk"))
    keyed: list[OpenDraft] = []
    for invitation in invitations:
        plan = by_email[invitation.email]
        invitation.token_sha256 = token_hash(invitation_token(invitation))
        invitation.sent_at = plan.sent_at
        invitation.reminders_sent = plan.reminders_sent
        if plan.answered_on is None:
            continue
        if survey.anonymous:  # answered in a keyed draft, with no day (invited_drafts)
            keyed.append(_invited_answered(survey, invitation))
            continue
        invitation.answered = True
        invitation.started_at = plan.answered_on
        responses = named.get(invitation.agency_id)
        if responses:
            # By name: the invitation keeps the member's response (a return of their agency).
            invitation.response = responses.pop(0)
            assert invitation.response.submitted_at is not None
            invitation.started_at = invitation.used_at = invitation.response.submitted_at.date()
    Invitation.objects.bulk_update(invitations, STORED)
    keyed.sort(key=lambda draft: draft.key_sha256)  # created in no order the invitations have
    OpenDraft.objects.bulk_create(keyed)


def _invited_answered(survey: Survey, invitation: Invitation) -> OpenDraft:
    """An anonymous survey's answered invitation: its keyed draft, answered, holding no agency,
    role or day (as `answering.survey_submit` leaves it)."""
    return OpenDraft(
        survey=survey,
        key_sha256=invited_draft_key(invitation.pk),
        by_invitation=True,
        answered=True,
        started_at=survey.opens_at.astimezone(dt.UTC).date(),
    )


def _board_responses(survey: Survey) -> dict[int, list[Response]]:
    """The named questionnaire's submitted responses by agency, oldest ref first."""
    if survey.anonymous:
        return {}
    found: dict[int, list[Response]] = {}
    for response in Response.objects.filter(
        instrument=survey.instrument, status=Response.Status.SUBMITTED, agency__isnull=False
    ).order_by("ref"):
        assert response.agency_id is not None
        found.setdefault(response.agency_id, []).append(response)
    return found
