"""Setting up surveys, inviting people, and answering: every answer goes through
scrutiny.evidence (channel "survey"), so web responses are validated and scored like imported
ones.

A respondent's place in a survey is held by an Invitation (personal link) or an OpenDraft (open
link): both carry the agency and role, the draft Response and the page to resume at. Saving a
page and submitting lock that row (select_for_update), so a double click, a back button or a
second tab never submits twice: the second submission is refused with a polite message and
nothing is written.

Anonymity (LimeSurvey's approach): when an anonymous survey is submitted, the invitation or open
draft keeps only the day it was used and loses its link to the response; the response keeps no
user, no token, no IP address (none is ever stored) and no time finer than the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, response_draft_check, response_submit
from scrutiny.instruments import CompiledVersion, instrument_current_version, version_compile
from scrutiny.models import (
    Agency,
    Instrument,
    InstrumentVersion,
    PractitionerRole,
    Response,
    Scrutiny,
    Source,
    User,
)
from scrutiny.notifications import email_send, site_link
from scrutiny.workbooks.lists import invitation_list_read
from surveys.models import (
    SURVEY_KINDS,
    Invitation,
    OpenDraft,
    Survey,
    new_token,
    token_hash,
)

CHECK_STEP = "check"
NOT_OPEN = "not_open"
OPEN = "open"
CLOSED = "closed"

Holder = Invitation | OpenDraft


class AlreadySubmitted(ApplicationError):
    """The response was submitted before (another tab, a double click); nothing was written."""


def today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


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
            "practitioner survey, board questionnaire or family feedback instrument."
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


def _invitation_body(invitation: Invitation, link: str, *, reminder: bool = False) -> str:
    survey = invitation.survey
    asks = (
        f"A reminder: {survey.scrutiny.partnership.name} would still like you to answer "
        f"“{survey.title}”. If you have started, the link opens where you stopped."
        if reminder
        else f"{survey.scrutiny.partnership.name} asks you to answer “{survey.title}”."
    )
    closes = ""
    if survey.closes_at is not None:
        local = timezone.localtime(survey.closes_at)
        closes = f"It closes on {local.day} {local:%B %Y} at {local:%H:%M}.\n\n"
    recorded = (
        "Your answers are anonymous: they are not linked to you, to this email or to this "
        "link once you submit them.\n\n"
        if survey.anonymous
        else "Your answers are recorded with your name.\n\n"
    )
    return (
        f"Hello,\n\n"
        f"{asks}\n\n"
        f"Answer here (no account is needed):\n{link}\n\n"
        f"{closes}{recorded}"
        "This link is personal: please do not forward it. You can stop and come back to it; "
        "your answers are saved on every page.\n"
    )


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
            if invitation is None:
                continue
            token = invitation_token(invitation)
            invitation.token_sha256 = token_hash(token)
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["token_sha256", "sent_at"])
            email_send(
                subject=f"Please answer: {invitation.survey.title}",
                body=_invitation_body(invitation, site_link("survey-invitation", token)),
                to=[invitation.email],
            )
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
        waiting = Invitation.objects.filter(survey=survey, sent_at__isnull=False, answered=False)
        for sent_so_far in range(survey.reminder_limit):
            gap = dt.timedelta(days=survey.reminder_days * (sent_so_far + 1))  # type: ignore[operator]
            due.extend(
                waiting.filter(reminders_sent=sent_so_far, sent_at__lte=now - gap)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    return sorted(due)


def _owed_reminder(invitation: Invitation, now: dt.datetime) -> bool:
    """The rule of `reminders_due`, for one invitation already loaded (and locked)."""
    survey = invitation.survey
    if not survey.reminder_days or invitation.reminders_sent >= survey.reminder_limit:
        return False
    if invitation.sent_at is None or invitation.answered:
        return False
    if survey_state(survey, now=now) != OPEN:
        return False
    gap = dt.timedelta(days=survey.reminder_days * (invitation.reminders_sent + 1))
    return invitation.sent_at <= now - gap


def reminders_send(*, invitation_ids: list[int], now: dt.datetime | None = None) -> int:
    """Email a reminder to each invitation still owed one; returns how many were sent.

    Each invitation is locked and checked again before its email goes, so someone who submitted
    in the meantime is never reminded, and a retried task reminds no one twice."""
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
            email_send(
                subject=f"Reminder: please answer {invitation.survey.title}",
                body=_invitation_body(
                    invitation,
                    site_link("survey-invitation", invitation_token(invitation)),
                    reminder=True,
                ),
                to=[invitation.email],
            )
            sent += 1
    return sent


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "survey__scrutiny__partnership", "survey__instrument", "agency", "role"
        )
        .filter(token_sha256=token_hash(token))
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Open link


def open_draft_for_key(survey: Survey, key: str) -> OpenDraft | None:
    if not key:
        return None
    return (
        OpenDraft.objects.select_related("agency", "role")
        .filter(survey=survey, key_sha256=token_hash(key))
        .first()
    )


@transaction.atomic
def open_draft_start(
    *, survey: Survey, agency_id: int, role_id: int | None, key: str = ""
) -> tuple[OpenDraft, str]:
    """Begin an open-link response with the agency and role the respondent chose. Returns
    the draft and its plain resume key (for the respondent's browser only): a new one, or
    `key` (an API client's idempotency key, made the survey's own)."""
    _check_open(survey)
    if not survey.open_link_enabled:
        raise ApplicationError("This survey is answered by invitation only.")
    partnership_id = survey.scrutiny.partnership_id
    agency = Agency.objects.filter(pk=agency_id, partnership_id=partnership_id).first()
    if agency is None:
        raise ApplicationError("Choose your agency from the list.")
    role = None
    if role_id is not None:
        role = PractitionerRole.objects.filter(pk=role_id, partnership_id=partnership_id).first()
        if role is None:
            raise ApplicationError("Choose your role from the list.")
    key = key or new_token()
    draft = OpenDraft.objects.create(
        survey=survey, key_sha256=token_hash(key), agency=agency, role=role, started_at=today()
    )
    return draft, key


@transaction.atomic
def signed_in_draft_start(*, survey: Survey, user: User) -> OpenDraft:
    """Begin answering signed in (the caller has checked `kinds_answered_signed_in`).

    A board member answers a board questionnaire once, by name: this returns their draft in
    progress if they have one, and refuses once they have submitted. Family feedback is entered
    by a rights officer once for each family: every start is a new response, with the officer's
    agency.
    """
    survey = Survey.objects.select_for_update().select_related("instrument").get(pk=survey.pk)
    _check_open(survey)
    if survey.instrument.kind == Source.BOARD_QUESTIONNAIRE:
        mine = OpenDraft.objects.filter(survey=survey, entered_by=user).first()
        if mine is not None and mine.answered:
            when = f" on {mine.used_at.day} {mine.used_at:%B %Y}" if mine.used_at else ""
            raise AlreadySubmitted(
                f"You submitted your answers to “{survey.title}”{when}. Thank you."
            )
        if mine is not None:
            return mine
    return OpenDraft.objects.create(
        survey=survey,
        key_sha256=token_hash(new_token()),  # never used: the draft is found by who they are
        entered_by=user,
        agency_id=user.agency_id,
        started_at=today(),
    )


# ---------------------------------------------------------------------------------------------
# Answering


def _check_open(survey: Survey) -> None:
    state = survey_state(survey)
    if state == NOT_OPEN:
        raise ApplicationError("This survey is not open yet.")
    if state == CLOSED:
        raise ApplicationError("This survey has closed: answers can no longer be taken.")


def holder_compiled(holder: Holder, *, compiled: CompiledVersion | None = None) -> CompiledVersion:
    """The version being answered: the draft's, else the instrument's current one.

    `compiled` is the version the page was drawn with: when it is that version it is used as it
    is (a version's id always names the same questions: a changed definition replaces a version
    by a new one, never edits it), so saving a page or submitting compiles the version once."""
    if holder.draft_version_id is not None:
        version = InstrumentVersion(pk=holder.draft_version_id)
    else:
        version = instrument_current_version(holder.survey.instrument)
    if compiled is not None and compiled.version_id == version.pk:
        return compiled
    return version_compile(version)


def holder_values(holder: Holder) -> dict[str, Any]:
    """The answers so far (question code to raw value), as the wizard keeps them."""
    return dict(holder.draft_values or {})


def _locked(holder: Holder) -> Holder:
    model = type(holder)
    locked = (
        model.objects.select_for_update(of=("self",))
        .select_related("survey__instrument", *(["entered_by"] if model is OpenDraft else []))
        .get(pk=holder.pk)
    )
    if locked.answered:
        raise AlreadySubmitted(
            "These answers have already been submitted, so nothing more was saved. "
            "Thank you for taking part."
        )
    _check_open(locked.survey)
    return locked


def _named_user(holder: Holder) -> User | None:
    """Who answered, signed in (kept on the response only where the survey is not anonymous:
    scrutiny.evidence drops it otherwise)."""
    return holder.entered_by if isinstance(holder, OpenDraft) else None


def _details(holder: Holder) -> ResponseDetails:
    return ResponseDetails(agency_id=holder.agency_id, role_id=holder.role_id)


@transaction.atomic
def survey_save_page(
    *, holder: Holder, step: str, values: dict[str, Any], compiled: CompiledVersion | None = None
) -> Holder:
    """Save all the answers so far as a draft, and the page to resume at.

    The draft is kept on the invitation or open draft itself, never as a Response: a response
    exists only once it is submitted, so nothing reachable from the invitation is ever the
    response (docs/surveys.md). The answers are checked as a Response's would be
    (`response_draft_check`), so a draft holds nothing a response could not."""
    locked = _locked(holder)
    compiled = holder_compiled(locked, compiled=compiled)
    response_draft_check(compiled=compiled, values=values)
    locked.draft_version_id = compiled.version_id
    locked.draft_values = values
    locked.current_step = step
    fields = ["draft_version", "draft_values", "current_step"]
    if isinstance(locked, Invitation) and locked.started_at is None:
        locked.started_at = today()
        fields.append("started_at")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def survey_submit(
    *,
    holder: Holder,
    values: dict[str, Any] | None = None,
    channel: str = Response.Channel.SURVEY,
    compiled: CompiledVersion | None = None,
) -> Response:
    """Submit the saved answers (or, from the API, `values` given whole), once.

    The response is created now, whole. For an anonymous survey it has a random identifier
    and no time finer than the day (scrutiny.evidence), and the invitation or open draft
    forgets the answers and keeps only that it was answered: not the response, and (an
    invitation) not the day."""
    locked = _locked(holder)
    compiled = holder_compiled(locked, compiled=compiled)
    anonymous = locked.survey.anonymous
    response = response_submit(
        compiled=compiled,
        values=holder_values(locked) if values is None else values,
        details=_details(locked),
        channel=channel,
        user=_named_user(locked),
        anonymous=anonymous,
    )
    locked.answered = True
    # A person invited to an anonymous survey: not even the day. An open draft names no one.
    locked.used_at = None if anonymous and isinstance(locked, Invitation) else today()
    locked.current_step = ""
    locked.draft_version = None
    locked.draft_values = {}
    locked.response = None if anonymous else response
    fields = ["answered", "used_at", "current_step", "draft_version", "draft_values", "response"]
    if isinstance(locked, Invitation) and locked.started_at is None:
        locked.started_at = today()
        fields.append("started_at")
    locked.save(update_fields=fields)
    return response


def _by_code(model: Any, *, partnership: Any, code: str, what: str) -> Any:
    """The partnership's agency (or role) with this code, or an error listing the codes."""
    found = model.objects.filter(partnership=partnership, code=code).first()
    if found is None:
        codes = ", ".join(
            model.objects.filter(partnership=partnership)
            .order_by("code")
            .values_list("code", flat=True)
        )
        raise ApplicationError(f"Unknown {what} {code!r}: use one of {codes or 'none'}.")
    return found


IDEMPOTENCY_KEY_LENGTH = 200


def _idempotency_key(survey: Survey, key: str) -> str:
    """An API client's Idempotency-Key as this survey's draft key: the same key sent to
    another survey is another response."""
    key = key.strip()
    if len(key) > IDEMPOTENCY_KEY_LENGTH:
        raise ApplicationError(
            f"The Idempotency-Key is longer than {IDEMPOTENCY_KEY_LENGTH} characters: send a "
            "shorter one, such as a UUID."
        )
    return f"idempotency:{survey.public_key}:{key}"


def open_response_replayed(*, survey: Survey, idempotency_key: str) -> OpenDraft | None:
    """The open-link draft already submitted by an earlier request with this Idempotency-Key,
    if there is one: a client that retries a request gets the first answer, and nothing is
    stored twice."""
    if not idempotency_key.strip():
        return None
    digest = token_hash(_idempotency_key(survey, idempotency_key))
    return OpenDraft.objects.filter(survey=survey, key_sha256=digest, answered=True).first()


@transaction.atomic
def open_response_submit(
    *,
    survey: Survey,
    agency_code: str,
    role_code: str = "",
    values: dict[str, Any],
    idempotency_key: str = "",
) -> Response:
    """A whole response through the open link, from another front end (the API): the agency
    and role by the partnership's codes. All or nothing: a wrong code or answer stores
    nothing. With an Idempotency-Key, a second request with the same key (see
    `open_response_replayed`) cannot store a second response: the key is unique."""
    partnership = survey.scrutiny.partnership
    agency = _by_code(Agency, partnership=partnership, code=agency_code, what="agency")
    role_id = None
    if role_code:
        role_id = _by_code(
            PractitionerRole, partnership=partnership, code=role_code, what="role"
        ).pk
    key = _idempotency_key(survey, idempotency_key) if idempotency_key.strip() else ""
    draft, _ = open_draft_start(survey=survey, agency_id=agency.pk, role_id=role_id, key=key)
    return survey_submit(holder=draft, values=values, channel=Response.Channel.API)


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
