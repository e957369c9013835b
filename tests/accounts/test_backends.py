"""scrutiny.backends.PasswordBackend: Django's ModelBackend, its read of the signed-in person
made once a process. A password sign-in stores it; a session Django's own backend signed in
before it keeps its sign-in; a wrong password is checked once, not once a backend; a person
made inactive, or gone, is signed out."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scrutiny.backends import PasswordBackend
from scrutiny.models import User

pytestmark = pytest.mark.django_db

EMAIL = "morgan@fernhill.invalid"  # the scrutineer of tests/conftest.py


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_a_password_sign_in_is_this_backends(client, scrutineer, password):
    client.post(reverse("login"), {"username": EMAIL, "password": password})
    assert client.session[BACKEND_SESSION_KEY] == "scrutiny.backends.PasswordBackend"
    assert client.session[SESSION_KEY] == str(scrutineer.pk)


def test_a_session_django_signed_in_before_keeps_its_sign_in(client, scrutineer):
    session = client.session
    session[SESSION_KEY] = str(scrutineer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = scrutineer.get_session_auth_hash()
    session.save()
    response = client.get(reverse("home"))
    assert response.wsgi_request.user == scrutineer


def test_a_wrong_password_is_checked_once(client, scrutineer, password, monkeypatch):
    checks: list[str] = []
    for name in ("check_password", "set_password"):  # set_password: an unknown address's
        real = getattr(User, name)
        monkeypatch.setattr(
            User,
            name,
            lambda self, raw, real=real, name=name: checks.append(name) or real(self, raw),
        )
    client.post(reverse("login"), {"username": EMAIL, "password": password + "x"})
    assert checks == ["check_password"] and not _signed_in(client)
    checks.clear()
    client.post(reverse("login"), {"username": "nobody@fernhill.invalid", "password": password})
    assert checks == ["set_password"] and not _signed_in(client)
    checks.clear()
    client.post(reverse("login"), {"username": EMAIL, "password": password})
    assert checks == ["check_password"] and _signed_in(client)


def test_one_query_reads_the_person_and_an_inactive_or_unknown_one_is_nobody(scrutineer):
    backend = PasswordBackend()
    backend.get_user(scrutineer.pk)
    with CaptureQueriesContext(connection) as queries:
        assert backend.get_user(scrutineer.pk) == scrutineer
        assert backend.get_user(str(scrutineer.pk)) == scrutineer
    assert len(queries) == 2
    assert backend.get_user(scrutineer.pk + 1000) is None
    assert backend.get_user("not a number") is None
    User.objects.filter(pk=scrutineer.pk).update(is_active=False)
    assert backend.get_user(scrutineer.pk) is None


def test_a_person_made_inactive_is_signed_out(client, scrutineer, password):
    client.post(reverse("login"), {"username": EMAIL, "password": password})
    assert _signed_in(client)
    User.objects.filter(pk=scrutineer.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated


def test_a_wrong_password_signing_in_asynchronously_is_refused_here_too(scrutineer, password):
    backend = PasswordBackend()
    with pytest.raises(PermissionDenied):
        async_to_sync(backend.aauthenticate)(None, username=EMAIL, password=password + "x")
    assert async_to_sync(backend.aauthenticate)(None, username=EMAIL, password=password) == (
        scrutineer
    )
    # Not a password sign-in (the identity provider's callback): left to the next backend.
    assert async_to_sync(backend.aauthenticate)(None, nonce="n") is None
