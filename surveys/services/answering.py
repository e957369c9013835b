"""Answering a survey: every answer goes through scrutiny.evidence (channel "survey"), so web
responses are validated and scored like imported ones.

A respondent's place in a survey is held by an Invitation (personal link to a named survey) or
an OpenDraft (open link, signed in, or a personal link to an anonymous survey: `invited_holder`,
surveys.services.invited_drafts): both carry the agency and role, the draft answers and the
page to resume at.
Saving a page and submitting lock that row (select_for_update), so a double click, a back button
or a second tab never submits twice: the second submission is refused with a polite message and
nothing is written. A response from another front end (the API) may carry an Idempotency-Key, so
that a retried request stores nothing twice.

Anonymity (docs/surveys.md, "What anonymous means"): the draft answers are kept on the holder,
never as a Response; the response is created only on submitting, with random ids and no time
finer than the day, and no user, token or IP address (none is ever stored). The holder then
keeps only that it was answered: an invitation not even the day (nor the day it was started),
an open draft not the agency and role, an anonymous survey's invitation's keyed draft neither.
Saving and submitting never write an anonymous survey's invitation (`_locked` takes its keyed
draft instead), so no transaction id ties it to the response (invited_drafts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scrutiny.errors import ApplicationError
from scrutiny.evidence import ResponseDetails, response_draft_check, response_submit
from scrutiny.instruments import (
    BASE_LANGUAGE,
    CompiledVersion,
    instrument_current_version,
    parse_languages,
    version_compile,
)
from scrutiny.models import Agency, InstrumentVersion, PractitionerRole, Response, Source, User
from surveys.models import (
    Invitation,
    OpenDraft,
    Survey,
    invited_draft_key,
    new_token,
    token_hash,
)
from surveys.services.invitations import CLOSED, NOT_OPEN, survey_state

Holder = Invitation | OpenDraft


class AlreadySubmitted(ApplicationError):
    """The response was submitted before (another tab, a double click); nothing was written."""


def today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


# ---------------------------------------------------------------------------------------------
# Open link


def open_draft_for_key(survey: Survey, key: str) -> OpenDraft | None:
    if not key:
        return None
    try:  # a unique key: `get`, which sorts nothing (as `invitation_for_token`)
        return OpenDraft.objects.select_related("agency", "role").get(
            survey=survey, key_sha256=token_hash(key)
        )
    except OpenDraft.DoesNotExist:
        return None


@transaction.atomic
def open_draft_start(
    *, survey: Survey, agency_id: int, role_id: int | None, key: str = ""
) -> tuple[OpenDraft, str]:
    """Begin an open-link response with the agency and role the respondent chose. Returns
    the draft and its plain resume key (for the respondent's browser only): a new one, or
    `key` (an API client's idempotency key, made the survey's own)."""
    _check_open(survey)
    if not survey.open_link_enabled:
        raise ApplicationError(_("This survey is answered by invitation only."))
    partnership_id = survey.scrutiny.partnership_id
    agency = Agency.objects.filter(pk=agency_id, partnership_id=partnership_id).first()
    if agency is None:
        raise ApplicationError(_("Choose your agency from the list."))
    role = None
    if role_id is not None:
        role = PractitionerRole.objects.filter(pk=role_id, partnership_id=partnership_id).first()
        if role is None:
            raise ApplicationError(_("Choose your role from the list."))
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


def invited_holder(invitation: Invitation) -> Holder:
    """What holds the answering of an invitation: for a named survey the invitation itself; for
    an anonymous one its keyed draft (surveys.services.invited_drafts), which a page save
    creates (`_locked`). Reading writes nothing: before the first save the draft is unsaved."""
    survey = invitation.survey
    if not survey.anonymous:
        return invitation
    key = invited_draft_key(invitation.pk)
    try:  # a unique key: `get`, which sorts nothing
        draft = OpenDraft.objects.get(key_sha256=key, by_invitation=True)
    except OpenDraft.DoesNotExist:
        draft = OpenDraft(
            survey=survey,
            key_sha256=key,
            by_invitation=True,
            agency_id=invitation.agency_id,
            role_id=invitation.role_id,
            started_at=survey.opens_at.astimezone(dt.UTC).date(),  # no day (surveys.models)
        )
    draft.survey = survey
    return draft


def _invited_draft_saved(draft: OpenDraft) -> None:
    """The keyed draft created on its first save, if no one created it first. Two tabs saving at
    once: the key is unique, and the insert that meets one already there does nothing (the
    caller then locks the one there)."""
    OpenDraft.objects.bulk_create([draft], ignore_conflicts=True)


# ---------------------------------------------------------------------------------------------
# Answering


def _check_open(survey: Survey) -> None:
    state = survey_state(survey)
    if state == NOT_OPEN:
        raise ApplicationError(_("This survey is not open yet."))
    if state == CLOSED:
        raise ApplicationError(_("This survey has closed: answers can no longer be taken."))


def holder_compiled(
    holder: Holder, *, compiled: CompiledVersion | None = None, language: str = BASE_LANGUAGE
) -> CompiledVersion:
    """The version being answered: the draft's, else the instrument's current one, its texts
    in `language` where it offers it (scrutiny.instruments.version_compile).

    `compiled` is the version the page was drawn with: when it is that version it is used as it
    is (a version's id always names the same questions: a changed definition replaces a version
    by a new one, never edits it), so saving a page or submitting compiles the version once."""
    if holder.draft_version_id is not None:
        version = InstrumentVersion(pk=holder.draft_version_id)
    else:
        version = instrument_current_version(holder.survey.instrument)
    if compiled is not None and compiled.version_id == version.pk:
        return compiled
    return version_compile(version, language=language)


def survey_languages(survey: Survey) -> tuple[str, ...]:
    """The languages the survey's questionnaire (its instrument's current version) offers."""
    try:
        return parse_languages(instrument_current_version(survey.instrument).languages)
    except (ApplicationError, ValueError):
        return (BASE_LANGUAGE,)


def holder_values(holder: Holder) -> dict[str, Any]:
    """The answers so far (question code to raw value), as the wizard keeps them."""
    return dict(holder.draft_values or {})


def _locked(holder: Holder) -> Holder:
    if isinstance(holder, Invitation) and holder.survey.anonymous:
        holder = invited_holder(holder)  # never the invitation's row (invited_drafts)
    model = type(holder)
    found: dict[str, Any] = {"pk": holder.pk}
    if holder.pk is None and isinstance(holder, OpenDraft) and holder.by_invitation:
        _invited_draft_saved(holder)
        found = {"key_sha256": holder.key_sha256}
    locked = (
        model.objects.select_for_update(of=("self",))
        .select_related("survey__instrument", *(["entered_by"] if model is OpenDraft else []))
        .get(**found)
    )
    if locked.answered:
        raise AlreadySubmitted(
            _(
                "These answers have already been submitted, so nothing more was saved. "
                "Thank you for taking part."
            )
        )
    _check_open(locked.survey)
    return locked


def _named_user(holder: Holder) -> User | None:
    """Who answered, signed in (kept on the response only where the survey is not anonymous:
    scrutiny.evidence drops it otherwise)."""
    return holder.entered_by if isinstance(holder, OpenDraft) else None


def _details(holder: Holder, language: str = "") -> ResponseDetails:
    return ResponseDetails(agency_id=holder.agency_id, role_id=holder.role_id, language=language)


def _started_day_kept(holder: Holder) -> bool:
    """Whether to note the day an invitation was first answered: for a named survey only. An
    anonymous survey's invitation keeps no day at all: a response keeps its day, and most
    people start and submit on the same day, so a started day beside the invitation's agency
    and role would match most responses to their invitation (docs/surveys.md)."""
    return (
        isinstance(holder, Invitation) and not holder.survey.anonymous and holder.started_at is None
    )


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
    if _started_day_kept(locked):
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
    forgets the answers and keeps only that it was answered: not the response; an invitation
    not the day, an open draft not the agency and role.

    The response records the language its questions were shown in: that of `compiled`, the
    version the pages were drawn with (none from the API: not known)."""
    language = compiled.language if compiled is not None else ""
    locked = _locked(holder)
    compiled = holder_compiled(locked, compiled=compiled)
    anonymous = locked.survey.anonymous
    response = response_submit(
        compiled=compiled,
        values=holder_values(locked) if values is None else values,
        details=_details(locked, language),
        channel=channel,
        user=_named_user(locked),
        anonymous=anonymous,
    )
    locked.answered = True
    # A person invited to an anonymous survey: not even the day.
    invited = isinstance(locked, Invitation) or locked.by_invitation
    locked.used_at = None if anonymous and invited else today()
    locked.current_step = ""
    locked.draft_version = None
    locked.draft_values = {}
    locked.response = None if anonymous else response
    fields = ["answered", "used_at", "current_step", "draft_version", "draft_values", "response"]
    if anonymous and isinstance(locked, OpenDraft):
        # The response holds the agency and role; the open draft forgets them, so that with
        # the day it keeps it points to no response among that day's. (An invitation keeps
        # them: the response rates count who was invited, by agency and role.)
        locked.agency = locked.role = None
        fields += ["agency", "role"]
    if _started_day_kept(locked):
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
