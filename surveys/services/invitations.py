"""Setting up surveys and inviting people: a survey's settings and whether it is open, the
invitation lists, the emails with their personal links (the tokens), the reminders, and the
survey an instrument is sent with from the command line.

The emails go after the transaction commits, by celery tasks (surveys.tasks); an invitation is
locked before its email goes, so a retried task sends no one a second email or reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from scrutiny.errors import ApplicationError
from scrutiny.models import Instrument, Scrutiny, Source, User
from scrutiny.notifications import email_send, site_link
from scrutiny.workbooks.lists import invitation_list_read
from surveys.models import (
    ANONYMOUS_ONLY_KINDS,
    SURVEY_KINDS,
    Invitation,
    Survey,
    new_token,
    token_hash,
)
from surveys.services.invitation_emails import invitation_email
from surveys.services.invited_drafts import invitation_answered, invitations_answered

NOT_OPEN = "not_open"
OPEN = "open"
CLOSED = "closed"


# ---------------------------------------------------------------------------------------------
# Surveys


def survey_state(survey: Survey, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if now < survey.opens_at:
        return NOT_OPEN
    if survey.closes_at is not None and now >= survey.closes_at:
        return CLOSED
    return OPEN


def default_anonymous(kind: str) -> bool:
    """Practitioner surveys and family feedback are anonymous unless said otherwise; board
    questionnaires go to named board members."""
    return kind != Source.BOARD_QUESTIONNAIRE


@transaction.atomic
def survey_save(
    *,
    scrutiny: Scrutiny,
    instrument: Instrument,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime | None = None,
    anonymous: bool | None = None,
    open_link_enabled: bool = True,
    reminder_days: int | None = 7,
    reminder_limit: int = 2,
    user: User | None = None,
    survey: Survey | None = None,
) -> Survey:
    """Create a survey of `instrument` (or change `survey`). `anonymous=None` takes the
    default for the instrument's kind."""
    if instrument.scrutiny_id != scrutiny.pk:
        raise ApplicationError("The instrument belongs to another scrutiny.")
    if instrument.kind not in SURVEY_KINDS:
        raise ApplicationError(
            f"“{instrument.title}” is a {instrument.get_kind_display().lower()}: choose a "
            "practitioner survey, board questionnaire, family feedback or children's survey "
            "instrument."
        )
    if instrument.kind in ANONYMOUS_ONLY_KINDS and anonymous is False:
        raise ApplicationError(
            "Children's surveys are always anonymous: nobody can know which answers are whose."
        )
    title = title.strip()
    if not title:
        raise ApplicationError("Give the survey a title.")
    if closes_at is not None and closes_at <= opens_at:
        raise ApplicationError("The survey must close after it opens.")
    if reminder_days is not None and not 1 <= reminder_days <= 90:
        raise ApplicationError("Remind every 1 to 90 days, or leave it empty for no reminders.")
    if not 0 <= reminder_limit <= 10:
        raise ApplicationError("Send at most 10 reminders.")
    if survey is None:
        survey = Survey(scrutiny=scrutiny, created_by=user)
    elif survey.scrutiny_id != scrutiny.pk:
        raise ApplicationError("The survey belongs to another scrutiny.")
    survey.instrument = instrument
    survey.title = title
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.anonymous = default_anonymous(instrument.kind) if anonymous is None else anonymous
    survey.open_link_enabled = open_link_enabled
    survey.reminder_days = reminder_days
    survey.reminder_limit = reminder_limit
    survey.save()
    return survey


def open_link(survey: Survey) -> str:
    return site_link("survey-open", survey.public_key)


# ---------------------------------------------------------------------------------------------
# Invitations


@dataclass(frozen=True)
class InvitationResult:
    created: int
    already_invited: int
    invitation_ids: tuple[int, ...]


@transaction.atomic
def invitations_create(
    *, survey: Survey, content: bytes, file_name: str = "", send: bool = True
) -> InvitationResult:
    """Invite everyone on an invitation list (.xlsx or .csv, WORKBOOKS.md §4), all or nothing.

    An address already invited to the survey is not invited again. The emails go after the
    transaction commits (a celery task); each invitation's token is made when its email is sent.
    """
    if survey.instrument.kind in ANONYMOUS_ONLY_KINDS:
        raise ApplicationError(
            "Children are never invited by email: run a session in their setting instead, and "
            "show them its code."
        )
    partnership = survey.scrutiny.partnership
    listed = invitation_list_read(content=content, file_name=file_name, partnership=partnership)
    known = set(
        Invitation.objects.filter(
            survey=survey, email__in=[i.email for i in listed.invitees]
        ).values_list("email", flat=True)
    )
    rows = [
        Invitation(
            survey=survey,
            email=invitee.email,
            agency_id=invitee.agency_id,
            role_id=invitee.role_id,
            language=invitee.language,
            # A placeholder nobody holds: the real token is made when the email is sent.
            token_sha256=token_hash(new_token()),
        )
        for invitee in listed.invitees
        if invitee.email not in known
    ]
    created = Invitation.objects.bulk_create(rows)
    ids = tuple(row.pk for row in created)
    if send and ids:
        invitations_send_later(invitation_ids=ids)
    return InvitationResult(created=len(created), already_invited=len(known), invitation_ids=ids)


def invitations_send_later(*, invitation_ids: tuple[int, ...] | list[int]) -> None:
    from surveys.tasks import invitations_email

    ids = list(invitation_ids)
    transaction.on_commit(lambda: invitations_email.delay(invitation_ids=ids))


def invitation_token(invitation: Invitation) -> str:
    """The invitation's link token: an HMAC of the invitation and its random salt under the
    secret key, so the first email and every reminder carry the same link while the database
    holds only its hash. (Changing SECRET_KEY ends every link, as it ends password resets.)"""
    return salted_hmac(
        "surveys.invitation", f"{invitation.pk}:{invitation.token_salt}", algorithm="sha256"
    ).hexdigest()[:40]


def invitations_send(*, invitation_ids: list[int]) -> int:
    """Email each invitation not yet sent; returns how many were sent.

    The token's hash is stored here and the plain token goes in the email only. An invitation
    whose email has gone is marked at once, so a retried task sends no one a second email.
    """
    sent = 0
    for pk in invitation_ids:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("survey__scrutiny__partnership")
                .filter(pk=pk, sent_at__isnull=True, answered=False)
                .first()
            )
            if invitation is None or invitation_answered(invitation):
                continue
            token = invitation_token(invitation)
            invitation.token_sha256 = token_hash(token)
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["token_sha256", "sent_at"])
            email = invitation_email(invitation, site_link("survey-invitation", token))
            email_send(subject=email.subject, body=email.body, to=[invitation.email])
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# Reminders


def reminders_due(*, now: dt.datetime | None = None) -> list[int]:
    """The invitations owed a reminder now: their survey is open and sends reminders, their
    first email went at least `reminder_days` days before each reminder so far plus one, they
    have had fewer than the survey's limit, and they have not submitted. A few queries for each
    survey that sends reminders, however many people it invited."""
    now = now or timezone.now()
    due: list[int] = []
    surveys = Survey.objects.filter(
        reminder_days__gt=0, reminder_limit__gt=0, opens_at__lte=now
    ).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    for survey in surveys.only("pk", "reminder_days", "reminder_limit"):
        days = survey.reminder_days
        assert days is not None  # reminder_days__gt=0 above
        waiting = Invitation.objects.filter(survey=survey, sent_at__isnull=False, answered=False)
        # An anonymous survey's invitation says nothing of its answering: its keyed draft does.
        answered = invitations_answered(waiting.select_related("survey"))
        for sent_so_far in range(survey.reminder_limit):
            gap = dt.timedelta(days=days * (sent_so_far + 1))
            due.extend(
                pk
                for pk in waiting.filter(reminders_sent=sent_so_far, sent_at__lte=now - gap)
                .order_by("pk")
                .values_list("pk", flat=True)
                if pk not in answered
            )
    return sorted(due)


def _owed_reminder(invitation: Invitation, now: dt.datetime) -> bool:
    """The rule of `reminders_due`, for one invitation already loaded (and locked)."""
    survey = invitation.survey
    if not survey.reminder_days or invitation.reminders_sent >= survey.reminder_limit:
        return False
    # An anonymous survey's keyed draft is read, never locked: a lock marks the row with the
    # transaction that writes the invitation here, which would tie the two (invited_drafts).
    if invitation.sent_at is None or invitation_answered(invitation):
        return False
    if survey_state(survey, now=now) != OPEN:
        return False
    gap = dt.timedelta(days=survey.reminder_days * (invitation.reminders_sent + 1))
    return invitation.sent_at <= now - gap


def reminders_send(*, invitation_ids: list[int], now: dt.datetime | None = None) -> int:
    """Email a reminder to each invitation still owed one; returns how many were sent.

    Each invitation is locked and checked again before its email goes, so someone who submitted
    in the meantime is not reminded, and a retried task reminds no one twice. (An anonymous
    survey's keyed draft is read, not locked: `_owed_reminder`. A submit in the same moment can
    cross the reminder.)"""
    now = now or timezone.now()
    sent = 0
    for pk in invitation_ids:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("survey__scrutiny__partnership")
                .filter(pk=pk)
                .first()
            )
            if invitation is None or not _owed_reminder(invitation, now):
                continue
            invitation.reminders_sent += 1
            invitation.save(update_fields=["reminders_sent"])
            link = site_link("survey-invitation", invitation_token(invitation))
            email = invitation_email(invitation, link, reminder=True)
            email_send(subject=email.subject, body=email.body, to=[invitation.email])
            sent += 1
    return sent


def invitation_language_keep(*, invitation: Invitation, language: str) -> None:
    """The language the person chose (the switch at the top of the pages) kept on their
    invitation, so that their reminders come in it too."""
    if language in ("en", "cy") and language != invitation.language:
        Invitation.objects.filter(pk=invitation.pk).update(language=language)
        invitation.language = language


def invitation_for_token(token: str) -> Invitation | None:
    # A token is unique: `get`, with no ordering. `first` would sort by the key, and any ordering
    # makes Django compare it with each column the joined tables select, on every survey page.
    try:
        return Invitation.objects.select_related(
            "survey__scrutiny__partnership", "survey__instrument", "agency", "role"
        ).get(token_sha256=token_hash(token))
    except Invitation.DoesNotExist:
        return None


# ---------------------------------------------------------------------------------------------
# The command line


def survey_instrument(*, scrutiny: Scrutiny, code: str) -> Instrument:
    """The scrutiny's survey instrument CODE (a practitioner survey, board questionnaire or
    family feedback), or an error that lists the codes there are."""
    instrument = (
        Instrument.objects.select_related("scrutiny")
        .filter(scrutiny=scrutiny, code=code, kind__in=SURVEY_KINDS)
        .first()
    )
    if instrument is None:
        codes = ", ".join(
            Instrument.objects.filter(scrutiny=scrutiny, kind__in=SURVEY_KINDS)
            .order_by("code")
            .values_list("code", flat=True)
        )
        raise ApplicationError(
            f"{scrutiny.slug} has no instrument {code!r}; its survey instruments are: "
            f"{codes or '(none yet: import one first)'}"
        )
    return instrument


@transaction.atomic
def survey_for_instrument(*, scrutiny: Scrutiny, code: str) -> Survey:
    """The survey that instrument CODE is sent with (`manage.py invite`): its latest, or a new
    one open from now, without a closing date, anonymous as usual for its kind."""
    instrument = survey_instrument(scrutiny=scrutiny, code=code)
    survey = Survey.objects.filter(instrument=instrument).order_by("-opens_at", "-pk").first()
    if survey is not None:
        return survey
    return survey_save(
        scrutiny=scrutiny, instrument=instrument, title=instrument.title, opens_at=timezone.now()
    )
