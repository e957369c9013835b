"""An API token for someone who needs a second factor takes the code from their app (or a
recovery code) as `otp`, as the pages do; without it, a 400 that says what to send."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import get_token_model

from scrutiny.mfa.services import recovery_codes_replace
from tests.conftest import second_factor_for, totp_code

pytestmark = pytest.mark.django_db


def _ask(email: str, password: str, **otp: str):
    return Client().post(reverse("api-token"), {"username": email, "password": password, **otp})


def test_without_the_code_no_token(scrutineer, password):
    second_factor_for(scrutineer)
    answer = _ask(scrutineer.email, password)
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "This account needs a second factor: send the 6-digit code from your authenticator "
        "app, or a recovery code, as `otp`."
    )
    assert not get_token_model().objects.exists()


def test_a_wrong_code_no_token(scrutineer, password):
    second_factor_for(scrutineer)
    answer = _ask(scrutineer.email, password, otp="000000")
    assert answer.status_code == 400
    assert "That code is not right" in answer.json()["detail"]
    assert not get_token_model().objects.exists()


def test_no_app_yet_says_to_set_one_up(scrutineer, password):
    answer = _ask(scrutineer.email, password, otp="123456")
    assert answer.status_code == 400
    assert "/accounts/two-factor/set-up/" in answer.json()["detail"]


def test_the_right_code_or_a_recovery_code_gives_a_token(scrutineer, password):
    device = second_factor_for(scrutineer)
    answer = _ask(scrutineer.email, password, otp=totp_code(device))
    assert answer.status_code == 200, answer.content
    api = Client(headers={"Authorization": f"Token {answer.json()['token']}"})
    assert api.get(reverse("api-me")).json()["email"] == scrutineer.email

    code = recovery_codes_replace(user=scrutineer)[0]
    assert _ask(scrutineer.email, password, otp=code).status_code == 200
    assert _ask(scrutineer.email, password, otp=code).status_code == 400  # used up


def test_a_wrong_password_says_nothing_of_the_code(scrutineer):
    second_factor_for(scrutineer)
    answer = _ask(scrutineer.email, "not the password", otp="000000")
    assert answer.status_code == 400
    assert "otp" not in str(answer.json()) and "second factor" not in str(answer.json())


def test_a_board_member_without_one_needs_no_code(board_member, password):
    assert _ask(board_member.email, password).status_code == 200
