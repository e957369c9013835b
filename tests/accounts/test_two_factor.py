"""Two-factor authentication (scrutiny/mfa/): setting up an app, the code after the password,
recovery codes, who must and who may, the identity provider's MFA, and the business unit's
reset for a lost phone."""

from __future__ import annotations

import io
import re
from base64 import b32decode
from binascii import hexlify

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny.mfa import PROVIDER_VERIFIED_SESSION_KEY
from scrutiny.mfa.services import recovery_codes_replace
from scrutiny.models import TrailEntry
from tests.conftest import client_for, second_factor_for, totp_code

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/two-factor/set-up/"
VERIFY = "/accounts/two-factor/verify/"
CODES = "/accounts/two-factor/recovery-codes/"


def signed_in(client: Client, email: str, password: str) -> Client:
    """Through the real sign-in form, with the password only."""
    answer = client.post(reverse("login"), {"username": email, "password": password})
    assert answer.status_code == 302, answer.content
    return client


def secret_on_page(body: str) -> TOTPDevice | None:
    """The device whose key is the secret the set-up page shows (in groups of four)."""
    shown = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', body)
    assert shown, "the set-up page shows no secret"
    key = hexlify(b32decode(shown[1].replace(" ", ""))).decode()
    return TOTPDevice.objects.filter(key=key).first()


def code_for_secret(device: TOTPDevice) -> str:
    """As the person's app computes it from the secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():06d}"


def test_a_scrutineer_sets_up_the_app_and_gets_recovery_codes_once(client, scrutineer, password):
    signed_in(client, scrutineer.email, password)
    answer = client.get("/scrutinies/?page=2")
    assert answer.status_code == 302
    assert answer["Location"] == f"{SET_UP}?next=%2Fscrutinies%2F%3Fpage%3D2"

    page = client.get(answer["Location"])
    body = page.content.decode()
    assert 'autocomplete="one-time-code"' in body and 'inputmode="numeric"' in body
    device = secret_on_page(body)
    assert device is not None and not device.confirmed and device.user == scrutineer
    # The QR code is an image of its own (no inline image under the CSP), never cached.
    qr = client.get(reverse("two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") and "no-store" in qr["Cache-Control"]
    # Reloading shows the same secret (someone who scanned, then reloaded).
    assert secret_on_page(client.get(SET_UP).content.decode()) == device

    wrong = client.post(SET_UP, {"code": "000000", "next": "/scrutinies/?page=2"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert "<title>Error: " in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/scrutinies/").status_code == 302  # still not through

    device.throttle_reset()  # the wrong code's one-second wait, without waiting
    right = client.post(SET_UP, {"code": code_for_secret(device), "next": "/scrutinies/?page=2"})
    assert right.status_code == 302
    assert right["Location"].startswith(CODES)
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(right["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/scrutinies/?page=2"' in shown  # on to where they were going
    # Shown once: the next visit only says how many are left.
    again = client.get(CODES).content.decode()
    assert not any(code in again for code in codes) and "10 recovery codes left" in again
    assert client.get("/scrutinies/").status_code == 200
    assert TrailEntry.objects.filter(user=scrutineer, action="second factor set up").exists()


def test_the_code_after_the_password(client, auditor_council, password):
    device = second_factor_for(auditor_council)
    signed_in(client, auditor_council.email, password)
    answer = client.get(reverse("audit-mine"))
    assert answer["Location"] == f"{VERIFY}?next=%2Faudits%2F"
    page = client.get(answer["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    for typed, message in [
        ("", "Enter the 6-digit code from your authenticator app, or a recovery code"),
        ("12ab", "Enter the 6 digits your authenticator app shows"),
        ("000000", "That code is not right"),
    ]:
        device.throttle_reset()
        refused = client.post(VERIFY, {"code": typed, "next": "/audits/"})
        assert refused.status_code == 200
        assert message in refused.content.decode(), typed
        assert client.get(reverse("audit-mine")).status_code == 302

    # django-otp's throttling: straight after a wrong code, even the right one must wait.
    throttled = client.post(VERIFY, {"code": totp_code(device), "next": "/audits/"})
    assert "too many wrong codes" in throttled.content.decode()
    device.throttle_reset()

    right = client.post(VERIFY, {"code": totp_code(device), "next": "/audits/"})
    assert right.status_code == 302 and right["Location"] == "/audits/"
    assert client.get(reverse("audit-mine")).status_code == 200
    assert TrailEntry.objects.filter(user=auditor_council, action="second factor refused").count()


def test_a_code_is_taken_once(client, auditor_council, password):
    device = second_factor_for(auditor_council)
    code = totp_code(device)
    signed_in(client, auditor_council.email, password)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = signed_in(Client(), auditor_council.email, password)
    assert "That code is not right" in other.post(VERIFY, {"code": code}).content.decode()


def test_an_address_elsewhere_is_not_followed(client, auditor_council, password):
    device = second_factor_for(auditor_council)
    signed_in(client, auditor_council.email, password)
    answer = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.invalid/"})
    assert answer["Location"] == "/"


def test_a_recovery_code_works_once(client, auditor_council, password):
    second_factor_for(auditor_council)
    codes = recovery_codes_replace(user=auditor_council)
    signed_in(client, auditor_council.email, password)
    typed = f" {codes[3][:4].upper()}-{codes[3][4:]} "  # as copied: spaces, a dash, capitals
    answer = client.post(VERIFY, {"recovery_code": typed}, follow=True)
    assert answer.redirect_chain[-1][0] == "/"
    assert "You used a recovery code: 9 left" in answer.content.decode()
    assert StaticToken.objects.filter(device__user=auditor_council).count() == 9

    again = signed_in(Client(), auditor_council.email, password)
    refused = again.post(VERIFY, {"recovery_code": codes[3]})
    assert "has been used already" in refused.content.decode()
    assert again.get("/").status_code == 302


def test_new_recovery_codes_replace_the_old(auditor_council):
    old = recovery_codes_replace(user=auditor_council)
    client = client_for(auditor_council)
    made = client.post(CODES)
    assert made.status_code == 302
    shown = client.get(made["Location"]).content.decode()
    new = [c.replace("-", "") for c in re.findall(r"<code>([a-z2-7-]{9})</code>", shown)]
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=auditor_council).values_list("token"))
    assert tokens == {(code,) for code in new} and not set(old) & set(new)


def test_a_board_member_is_not_made_to_but_may(client, board_member, password):
    signed_in(client, board_member.email, password)
    assert client.get("/").status_code == 200
    assert client.get(reverse("api-me")).status_code == 200
    overview = client.get(reverse("two-factor")).content.decode()
    assert "Your role does not need it" in overview and "Not set up" in overview

    # Once set up, it is asked for at every sign-in, and may be removed again.
    device = second_factor_for(board_member)
    later = signed_in(Client(), board_member.email, password)
    assert later.get("/")["Location"] == f"{VERIFY}?next=%2F"
    assert later.get(reverse("two-factor-remove"))["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    assert later.post(reverse("two-factor-remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    assert signed_in(Client(), board_member.email, password).get("/").status_code == 200


def test_the_named_safeguarding_lead_is_made_to_whatever_their_role(
    client, board_member, practitioner, partnership, password
):
    """The lead reads immediate concerns, with the case reference: as anyone who can see one,
    they prove a second factor, whether their account is a board member's or a
    practitioner's."""
    partnership.safeguarding_lead_email = f"  {board_member.email.upper()} "
    partnership.save()
    signed_in(client, board_member.email, password)
    assert client.get("/")["Location"] == f"{SET_UP}?next=%2F"
    assert "must prove a second factor" in client.get(reverse("api-me")).json()["detail"]
    # Nobody else of their partnership is, and the lead's is no longer once another is named.
    assert signed_in(Client(), practitioner.email, password).get("/").status_code == 200
    partnership.safeguarding_lead_email = practitioner.email
    partnership.save()
    assert signed_in(Client(), board_member.email, password).get("/").status_code == 200
    assert signed_in(Client(), practitioner.email, password).get("/").status_code == 302


def test_whoever_needs_it_cannot_remove_it(scrutineer):
    client = client_for(scrutineer)
    answer = client.post(reverse("two-factor-remove"), follow=True)
    assert "Your role needs two-factor authentication" in answer.content.decode()
    assert TOTPDevice.objects.filter(user=scrutineer, confirmed=True).exists()


def test_with_only_the_password_the_app_cannot_be_replaced(client, scrutineer, password):
    """Someone who has the password but not the phone cannot set up their own phone instead."""
    second_factor_for(scrutineer)
    signed_in(client, scrutineer.email, password)
    for page in (SET_UP, reverse("two-factor-qr"), CODES, reverse("two-factor")):
        assert client.get(page)["Location"].startswith(VERIFY), page
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert client.post(CODES)["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=scrutineer, confirmed=False).exists()


def test_the_api_with_a_session_says_why(client, scrutineer, password):
    signed_in(client, scrutineer.email, password)
    answer = client.get(reverse("api-me"))
    assert answer.status_code == 403
    assert "must prove a second factor" in answer.json()["detail"]


def test_the_identity_providers_mfa_counts(client, scrutineer, password):
    signed_in(client, scrutineer.email, password)
    session = client.session
    session[PROVIDER_VERIFIED_SESSION_KEY] = True
    session.save()
    assert client.get("/scrutinies/").status_code == 200


def test_the_business_unit_resets_a_lost_phone(scrutineer, business_unit, password):
    second_factor_for(scrutineer)
    recovery_codes_replace(user=scrutineer)
    verified = client_for(scrutineer)
    out = io.StringIO()
    call_command("mfa_reset", "MORGAN@fernhill.invalid", "--by", business_unit.email, stdout=out)
    assert "reset for morgan@fernhill.invalid" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=scrutineer).exists()
    assert not StaticToken.objects.filter(device__user=scrutineer).exists()
    # The session that the old phone verified is no longer enough: a new app, first.
    assert verified.get("/scrutinies/")["Location"].startswith(SET_UP)
    entry = TrailEntry.objects.get(action="second factor reset")
    assert entry.user == business_unit and entry.object_id == str(scrutineer.pk)
