"""The language a personal link opens in (docs/welsh.md): the invitation's (from the
invitation list's `language` column, else the partnership's default), unless the person has
already chosen one with the switch at the top of every page (Django's language cookie); then
their choice is kept on the invitation, for their reminders.

The invitation's language is set in the language cookie, so the pages that follow keep it, and
the person can still change it on any page. The cookie holds only "en" or "cy".

Opening a link (a GET) writes nothing: the choice is kept on the invitation when the person
next saves a page or submits (`chosen_language_keep`, from the invitation's pages' POST), so
only once the survey is open and the invitation not yet answered, never on a link that is used,
closed or merely looked at. Never for an anonymous survey: nothing written while its invitee
answers may name the invitation (surveys.services.invited_drafts), so its reminders come in the
invitation's language, not the one chosen while answering.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from scrutiny.instruments import BASE_LANGUAGE
from scrutiny.questionnaires.language import active_language
from surveys.models import Invitation, Survey
from surveys.services import answering, invitations
from surveys.services.invitation_emails import invitation_language

View = Callable[..., HttpResponse]


def has_chosen_language(request: HttpRequest) -> bool:
    return bool(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Django's language cookie, as its set_language view sets it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # settings.LANGUAGE_COOKIE_SAMESITE
    )


def in_invitation_language(view: View) -> View:
    """For the view of `/i/<token>/`: its page (a survey closed, a link used) and the pages after
    it in the invitation's language, unless the person has chosen one."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: object, **kwargs: object) -> HttpResponse:
        language = ""
        invitation = invitations.invitation_for_token(token)
        if invitation is not None and not has_chosen_language(request):
            language = invitation_language(invitation)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = view(request, token, *args, **kwargs)
        if language:
            language_cookie_set(response, language)
        return response

    return wrapped


def chosen_language_keep(request: HttpRequest, invitation: Invitation) -> None:
    """On a POST of the invitation's pages (a page saved, the answers submitted): the language
    the person chose kept on their invitation, so that their reminders come in it too. Only
    when it is not the language they would be written to anyway: a cookie this module set from
    the invitation is no choice, and nothing needs writing for it. Never for an anonymous
    survey: the write would sit beside the person's answers (module docstring)."""
    if invitation.survey.anonymous:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen and chosen != invitation_language(invitation):
        invitations.invitation_language_keep(invitation=invitation, language=chosen)


def language_context(survey: Survey) -> dict[str, Any]:
    """For a start page: whether the questionnaire is shown in English although another
    language is active (its instrument does not offer it), and the `lang` of its texts.
    Asked only when the active language is not English, so English pages read nothing more."""
    language = active_language()
    if language == BASE_LANGUAGE or language in answering.survey_languages(survey):
        return {"english_only": False, "questionnaire_lang": ""}
    return {"english_only": True, "questionnaire_lang": "en-GB"}
