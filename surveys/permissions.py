"""Who may do what with surveys. Respondents need no account: their link is their key.

The business unit and the scrutineer set surveys up, invite people and see counts; nobody else
sees a survey's administration pages (a 404).
"""

from __future__ import annotations

from django.http import Http404

from scrutiny import permissions
from scrutiny.models import Instrument, Scrutiny
from scrutiny.permissions import AnyUser
from surveys.models import SURVEY_KINDS, Survey


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
