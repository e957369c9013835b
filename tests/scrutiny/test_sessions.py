"""scrutiny.sessions: Django's database sessions, their read made once a process. A session is
the same row whichever store wrote it; an expired or unknown one is no session, as in Django's
own store; one query a read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scrutiny.sessions import SessionStore
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_platform_uses_it():
    assert settings.SESSION_ENGINE == "scrutiny.sessions"


def test_a_session_reads_as_djangos_own_store_reads_it():
    theirs = DjangoStore()
    theirs["answer"] = {"page": "2", "words": "Café ☕"}
    theirs.create()
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours["answer"] == {"page": "2", "words": "Café ☕"}
    ours["more"] = 1
    ours.save()
    assert DjangoStore(theirs.session_key).load() == {
        "answer": {"page": "2", "words": "Café ☕"},
        "more": 1,
    }


@pytest.mark.parametrize("key", ["no-such-session-key", "x" * 40, "a' OR '1'='1"])
def test_an_unknown_key_is_an_empty_session_and_forgets_the_key(key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_is_no_session_though_its_row_is_still_there():
    theirs = DjangoStore()
    theirs["user"] = "someone"
    theirs.create()
    theirs.save()
    Session.objects.filter(pk=theirs.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store = SessionStore(theirs.session_key)
    assert store.load() == {}
    assert store.session_key is None
    assert DjangoStore(theirs.session_key).load() == {}  # as Django's own store says


def test_one_query_a_read():
    theirs = DjangoStore()
    theirs["n"] = 1
    theirs.create()
    theirs.save()
    SessionStore(theirs.session_key).load()
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(theirs.session_key).load() == {"n": 1}
    assert len(queries) == 1


def test_a_signed_in_page_opens_and_signing_out_ends_the_session(auditor_council):
    client = client_for(auditor_council)
    key = client.session.session_key
    assert client.get(reverse("audit-mine")).status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(reverse("audit-mine")).status_code == 302  # to sign in
