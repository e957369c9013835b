"""Who may do what with surveys. Respondents need no account: their link is their key.

The business unit and the scrutineer set surveys up, invite people and see counts; nobody else
sees a survey's administration pages (a 404).

Signed in, two kinds of questionnaire are answered without a link: board members answer the
board questionnaire by name, and everyone else who works with children and families (a
children's rights officer, say) enters family feedback on a family's behalf. A draft started
signed in is reached only by the person who started it.

Children answer a children's survey without an account, in a session that an adult with an
account starts: the business unit, or a practitioner (a youth worker or a teacher). A session is
ended by the person who started it, or by the business unit.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from scrutiny import permissions
from scrutiny.models import Instrument, Scrutiny, Source, User
from scrutiny.permissions import AnyUser
from surveys.models import SURVEY_KINDS, OpenDraft, Survey, YouthSession


def can_run_surveys(user: AnyUser) -> bool:
    return permissions.can_configure_scrutinies(user)


def access_scrutiny_surveys_for_user(user: AnyUser, slug: str) -> Scrutiny:
    """The scrutiny, for someone who runs its surveys; 404 for everyone else."""
    if not can_run_surveys(user):
        raise Http404("No such scrutiny.")
    return permissions.access_scrutiny_for_user(user, slug)


def access_survey_for_user(user: AnyUser, slug: str, survey_id: int) -> Survey:
    scrutiny = access_scrutiny_surveys_for_user(user, slug)
    try:
        return Survey.objects.select_related("scrutiny", "instrument").get(
            pk=survey_id, scrutiny=scrutiny
        )
    except Survey.DoesNotExist:
        raise Http404("No such survey.") from None


def invitation_progress_shown(survey: Survey) -> bool:
    """Whether those who run the survey see, invitation by invitation, who has started,
    submitted and been reminded: for a named survey only. For an anonymous one they see the
    counts alone: with each person's "submitted" beside the list of responses, looking twice
    would show which response came in with which person (docs/surveys.md)."""
    return not survey.anonymous


def access_survey_instrument_for_user(user: AnyUser, slug: str, code: str) -> Instrument:
    """A survey instrument of the scrutiny (for response rates), for someone who runs its
    surveys; 404 for everyone else and for any other instrument."""
    scrutiny = access_scrutiny_surveys_for_user(user, slug)
    instrument = (
        Instrument.objects.select_related("scrutiny")
        .filter(scrutiny=scrutiny, code=code, kind__in=SURVEY_KINDS)
        .first()
    )
    if instrument is None:
        raise Http404("No such questionnaire.")
    return instrument


def kinds_answered_signed_in(user: AnyUser) -> tuple[str, ...]:
    """The kinds of questionnaire the user answers or enters signed in."""
    if permissions.role_of(user) is None:  # signed out, inactive, or the platform's operator
        return ()
    if permissions.is_board_member(user):
        return (Source.BOARD_QUESTIONNAIRE,)
    if permissions.role_of(user) == User.Role.YOUNG_SCRUTINEER:
        return ()  # their own feedback tool is theirs to answer (scrutiny.young_scrutineers)
    return (Source.FAMILY_FEEDBACK,)


def surveys_to_answer_for_user(user: AnyUser) -> QuerySet[Survey]:
    kinds = kinds_answered_signed_in(user)
    if not kinds:
        return Survey.objects.none()
    assert isinstance(user, User)
    if user.partnership_id is None:
        return Survey.objects.none()
    return Survey.objects.filter(
        scrutiny__partnership_id=user.partnership_id, instrument__kind__in=kinds
    ).select_related("scrutiny__partnership", "instrument")


def access_survey_to_answer_for_user(user: AnyUser, survey_id: int) -> Survey:
    try:
        return surveys_to_answer_for_user(user).get(pk=survey_id)
    except Survey.DoesNotExist:
        raise Http404("No such questionnaire.") from None


def access_signed_in_draft_for_user(user: AnyUser, draft_id: int) -> OpenDraft:
    """A draft started signed in, for the person who started it only."""
    if not user.is_authenticated:
        raise Http404("No such answers.")
    try:
        return OpenDraft.objects.select_related(
            "survey__scrutiny__partnership", "survey__instrument", "agency", "role"
        ).get(pk=draft_id, entered_by=user)
    except OpenDraft.DoesNotExist:
        raise Http404("No such answers.") from None


# ---------------------------------------------------------------------------------------------
# Children's sessions


def can_start_youth_sessions(user: AnyUser) -> bool:
    """The business unit, and practitioners (a youth worker or teacher with an account) of a
    partnership."""
    role = permissions.role_of(user)
    if role not in (User.Role.ADMINISTRATOR, User.Role.PRACTITIONER):
        return False
    assert isinstance(user, User)
    return user.partnership_id is not None


def _partnership_id(user: AnyUser) -> int | None:
    """The partnership of someone who may start sessions; None for anyone else."""
    if not can_start_youth_sessions(user):
        return None
    assert isinstance(user, User)
    return user.partnership_id


def youth_surveys_for_user(user: AnyUser) -> QuerySet[Survey]:
    """The partnership's children's surveys someone may start a session of."""
    partnership_id = _partnership_id(user)
    if partnership_id is None:
        return Survey.objects.none()
    return Survey.objects.filter(
        scrutiny__partnership_id=partnership_id, instrument__kind=Source.YOUNG_PEOPLE
    ).select_related("scrutiny__partnership", "instrument")


def access_youth_survey_for_user(user: AnyUser, survey_id: int) -> Survey:
    try:
        return youth_surveys_for_user(user).get(pk=survey_id)
    except Survey.DoesNotExist:
        raise Http404("No such survey.") from None


def youth_sessions_for_user(user: AnyUser) -> QuerySet[YouthSession]:
    """The sessions someone sees and may end: their own; the business unit's, every one of
    the partnership's."""
    partnership_id = _partnership_id(user)
    if partnership_id is None:
        return YouthSession.objects.none()
    sessions = YouthSession.objects.filter(
        survey__scrutiny__partnership_id=partnership_id
    ).select_related("survey__scrutiny__partnership", "survey__instrument", "arranged_by")
    if permissions.is_administrator(user):
        return sessions
    return sessions.filter(arranged_by_id=user.pk)


def access_youth_session_for_user(user: AnyUser, session_id: int) -> YouthSession:
    try:
        return youth_sessions_for_user(user).get(pk=session_id)
    except YouthSession.DoesNotExist:
        raise Http404("No such session.") from None
