"""The language a personal link opens in (docs/welsh.md): the invitation's (from the
invitation list's `language` column, else the partnership's default), unless the person has
already chosen one with the switch at the top of every page (Django's language cookie); then
their choice is kept on the invitation, for their reminders.

The invitation's language is set in the language cookie, so the pages that follow keep it, and
the person can still change it on any page. The cookie holds only "en" or "cy".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from surveys.services import invitations
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
        if invitation is not None and has_chosen_language(request):
            chosen = request.COOKIES[settings.LANGUAGE_COOKIE_NAME]
            invitations.invitation_language_keep(invitation=invitation, language=chosen)
        elif invitation is not None:
            language = invitation_language(invitation)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = view(request, token, *args, **kwargs)
        if language:
            language_cookie_set(response, language)
        return response

    return wrapped
