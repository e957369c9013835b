"""The sign-in lock-out cannot be bypassed by spelling the e-mail address another way.

Attack (issue 12): after `sam@…` is locked, `SAM@…`, ` sam@… ` or `sam@…` in full-width letters
used to get five fresh attempts, on the sign-in page and on the API's token endpoint. Sign-in
matches an address whatever its case, surrounding spaces or compatibility forms (NFKC), so the
lock-out counts every such spelling as one name (scrutiny.sign_in).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.conftest import second_factor_for, totp_code

EMAIL = "sam@fernhill.invalid"  # the `auditor_council` persona


def full_width(text: str) -> str:
    """ASCII letters and signs as their full-width forms (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


VARIANTS = {
    "as stored": EMAIL,
    "upper case": EMAIL.upper(),
    "mixed case": "Sam@Fernhill.Invalid",
    "surrounding spaces": f"  {EMAIL}\t",
    "full-width letters": full_width(EMAIL),
    "full-width upper case": full_width("SAM@FERNHILL") + ".INVALID",
    "spaces and case": " SAM@fernhill.INVALID ",
}

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, name: str, password: str):
    return client.post(reverse("login"), {"username": name, "password": password})


def _token(client: Client, name: str, password: str, otp: str = ""):
    return client.post(reverse("api-token"), {"username": name, "password": password, "otp": otp})


def _signed_in(client: Client) -> bool:
    """Signed in with the password (the auditor is then asked for a second factor)."""
    return SESSION_KEY in client.session


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_spelling_signs_in_on_both_endpoints(auditor_council, password, variant):
    """Sign-in itself ignores case, surrounding spaces and full-width forms: so must the
    lock-out. The token endpoint matches names exactly as the sign-in page does."""
    client = Client()
    assert _sign_in(client, variant, password).status_code == 302
    assert _signed_in(client)
    answer = _token(Client(), variant, password, totp_code(second_factor_for(auditor_council)))
    assert answer.status_code == 200, answer.content
    assert answer.json()["token"]


def _lock(settings, client: Client, attempt) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, EMAIL, "wrong")


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_locked_name_stays_locked_on_the_sign_in_page(
    settings, auditor_council, password, variant
):
    client = Client()
    _lock(settings, client, _sign_in)
    answer = _sign_in(client, variant, password)
    assert answer.status_code == 429
    assert "too many failed attempts" in answer.content.decode()
    assert not _signed_in(client)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_locked_name_stays_locked_on_the_token_endpoint(
    settings, auditor_council, password, variant
):
    client = Client()
    _lock(settings, client, _token)
    answer = _token(client, variant, password)
    assert answer.status_code == 429
    assert "too many failed attempts" in answer.json()["detail"]
    assert "token" not in answer.json()


def test_failures_spelt_differently_add_up_to_one_lock(settings, auditor_council, password):
    """Five failures, each spelt another way and split between the two endpoints, lock the
    name for both."""
    client = Client()
    spellings = list(VARIANTS.values())
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt = _sign_in if n % 2 else _token
        attempt(client, spellings[n % len(spellings)], "wrong")
    assert _sign_in(client, EMAIL, password).status_code == 429
    assert _token(client, EMAIL, password).status_code == 429
    assert not _signed_in(client)


def test_a_lock_holds_only_for_that_name(settings, auditor_council, auditor_police, password):
    client = Client()
    _lock(settings, client, _sign_in)
    assert _sign_in(client, "JO@fernhill.invalid", password).status_code == 302


def test_a_wrong_password_before_the_limit_is_a_plain_failure(auditor_council):
    answer = _token(Client(), EMAIL.upper(), "wrong")
    assert answer.status_code == 400
    assert "token" not in answer.json()


def _from(address: str, proxy: str = "10.0.0.2") -> Client:
    """A browser at `address` reaching the platform through a proxy that appends it to
    X-Forwarded-For (the connection itself comes from the proxy)."""
    return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.66, {address}")


def test_behind_one_proxy_failures_lock_the_address_they_came_from_not_the_proxy(
    settings, auditor_council, password
):
    """NUM_PROXIES 1 (docker-compose's TLS proxy): the lock-out counts the address the proxy
    added, as the API's throttle does. Counting the proxy's own address, which everyone shares,
    let five wrong passwords from anyone lock the name for everyone; what the client wrote
    first in the header (203.0.113.66) counts for nothing. The trail keeps the same address."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(_from("198.51.100.7"), EMAIL, "wrong password")
    locked = _from("198.51.100.7")
    assert _sign_in(locked, EMAIL, password).status_code == 429
    elsewhere = _from("198.51.100.8")
    assert _sign_in(elsewhere, EMAIL, password).status_code == 302 and _signed_in(elsewhere)
    from scrutiny.models import TrailEntry

    signed_in = TrailEntry.objects.filter(action="signed_in").latest("pk")
    assert signed_in.data["address"] == "198.51.100.8"


def test_an_address_a_proxy_wrote_otherwise_counts_the_connections_own(
    settings, auditor_council, password
):
    """A proxy that writes "unknown" or the port after the address: not an IP address, which
    django-axes stores in an address column (PostgreSQL refused it, and every sign-in failed).
    The connection's own address counts instead."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for written in ("unknown", "198.51.100.7:50123", "[2001:db8::1]"):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=written)
        assert _sign_in(client, EMAIL, password).status_code == 302 and _signed_in(client)
    from scrutiny.models import TrailEntry

    signed_in = TrailEntry.objects.filter(action="signed_in").latest("pk")
    assert signed_in.data["address"] == "10.0.0.2"
