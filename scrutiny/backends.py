"""The password sign-in's backend (AUTHENTICATION_BACKENDS): Django's `ModelBackend`, with the
read of the signed-in person, which every signed-in request makes, made once a process (issue 19:
compiling that one-table query cost about as much CPU as PostgreSQL's answer to it).

Django keeps in each session the backend that signed it in. Its own `ModelBackend` stays listed
after this one so that sessions signed in before this backend keep their sign-in until they
expire (SESSION_COOKIE_AGE); this backend answers every password sign-in, right or wrong, so
Django's is never asked to check a password a second time.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from scrutiny.models import User
from scrutiny.prepared import Prepared

_PERSON = Prepared(lambda pk: User._default_manager.filter(pk=pk), pk=User._meta.pk)


class PasswordBackend(ModelBackend):
    """Django's `ModelBackend`: the same password check and the same person read."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return _refused_if_wrong(user, username, password, kwargs)

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = await super().aauthenticate(request, username=username, password=password, **kwargs)
        return _refused_if_wrong(user, username, password, kwargs)

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)  # as Django reads the session's id back
        except ValidationError:
            return None
        user = _PERSON.one(pk=pk) if isinstance(pk, int) else None
        return user if user is not None and self.user_can_authenticate(user) else None


def _refused_if_wrong(
    user: User | None, username: str | None, password: str | None, kwargs: dict[str, Any]
) -> User | None:
    """A wrong password: no backend after this one checks it again (Django's own, kept for
    older sessions, would). `authenticate` then reports the failure as usual."""
    named = username is not None or kwargs.get(User.USERNAME_FIELD) is not None
    if user is None and named and password is not None:
        raise PermissionDenied
    return user
