"""Who may do what with surveys. Respondents need no account: their link is their key.

The business unit and the scrutineer set surveys up, invite people and see counts; nobody else
sees a survey's administration pages (a 404).

Signed in, two kinds of questionnaire are answered without a link: board members answer the
board questionnaire by name, and everyone else who works with children and families (a
children's rights officer, say) enters family feedback on a family's behalf. A draft started
signed in is reached only by the person who started it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from scrutiny import permissions
from scrutiny.models import Instrument, Scrutiny, Source, User
from scrutiny.permissions import AnyUser
from surveys.models import SURVEY_KINDS, OpenDraft, Survey


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
