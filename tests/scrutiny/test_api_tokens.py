"""API tokens (knox): given for a password at /api/token/, good for API_TOKEN_HOURS, kept only as
a hash, signed out at /api/token/revoke/, and revoked when the password changes, the account is
deactivated or the person comes to need a second factor (User.save)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from knox.models import get_token_model
from rest_framework.test import APIClient

from scrutiny.models import User
from tests.conftest import client_for, second_factor_for, totp_code

pytestmark = pytest.mark.django_db

EMAIL = "sam@fernhill.invalid"  # the `auditor_council` persona
GIVEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _token(password: str) -> dict[str, str]:
    # An auditor needs a second factor: the code from their app goes with the password.
    otp = totp_code(second_factor_for(User.objects.get(email=EMAIL)))
    answer = Client().post(
        reverse("api-token"), {"username": EMAIL, "password": password, "otp": otp}
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def _me(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get(reverse("api-me")).status_code


def test_a_token_works_until_it_expires(auditor_council, password):
    assert _me("not-a-token") in (401, 403)
    with mock.patch("django.utils.timezone.now", return_value=GIVEN):
        given = _token(password)
    assert datetime.fromisoformat(given["expiry"]) == GIVEN + timedelta(hours=10)

    for later, works in [
        (timedelta(hours=9, minutes=59), True),
        (timedelta(hours=10, seconds=1), False),
    ]:
        with mock.patch("django.utils.timezone.now", return_value=GIVEN + later):
            assert _me(given["token"]) in ((200,) if works else (401, 403)), later
    assert not get_token_model().objects.exists()  # the expired token is deleted when tried


def test_the_lifetime_is_a_setting(settings, auditor_council, password):
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(hours=settings.API_TOKEN_HOURS)
    settings.REST_KNOX = {"TOKEN_TTL": timedelta(hours=1)}
    with mock.patch("django.utils.timezone.now", return_value=GIVEN):
        given = _token(password)
    assert datetime.fromisoformat(given["expiry"]) == GIVEN + timedelta(hours=1)


def test_the_database_holds_no_plain_token(auditor_council, password):
    token = _token(password)["token"]
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert token not in dump.getvalue()
    assert get_token_model().objects.get().digest not in (token, "")


def test_signing_out_revokes_that_token_only(auditor_council, password):
    first, second = _token(password)["token"], _token(password)["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post(reverse("api-token-revoke")).status_code == 204
    assert _me(first) in (401, 403)
    assert _me(second) == 200


def test_a_session_cannot_sign_out_a_token(auditor_council):
    client = APIClient()
    client.force_login(auditor_council)
    assert client.post(reverse("api-token-revoke")).status_code in (401, 403)


def test_an_old_token_fails_after_a_password_change_on_the_page(auditor_council, password):
    token = _token(password)["token"]
    changed = client_for(auditor_council).post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "A new 1 long!",
            "new_password2": "A new 1 long!",
        },
    )
    assert changed.status_code == 302, changed.content
    assert _me(token) in (401, 403)
    assert _me(_token("A new 1 long!")["token"]) == 200


@pytest.mark.parametrize("how", ["set_password", "set_unusable_password"])
def test_an_old_token_fails_after_the_password_is_set_elsewhere(auditor_council, password, how):
    """The admin's password form and `manage.py changepassword` set it and save the person."""
    token = _token(password)["token"]
    user = User.objects.get(email=EMAIL)
    if how == "set_password":
        user.set_password("Another 2 long!")
    else:
        user.set_unusable_password()
    user.save()
    assert _me(token) in (401, 403)
    assert not get_token_model().objects.exists()


def test_an_old_token_fails_after_deactivation_and_after_reactivation(auditor_council, password):
    token = _token(password)["token"]
    user = User.objects.get(email=EMAIL)
    user.is_active = False
    user.save()
    assert not get_token_model().objects.exists()
    user.is_active = True
    user.save()
    assert _me(token) in (401, 403)


def test_other_changes_keep_the_tokens(auditor_council, password):
    token = _token(password)["token"]
    user = User.objects.get(email=EMAIL)
    user.full_name = "Sam Okafor-Reid"
    user.save()
    assert _me(token) == 200


def _password_only_token(user: User, password: str) -> str:
    """A token for someone who needs no second factor: the password alone gives it."""
    answer = Client().post(reverse("api-token"), {"username": user.email, "password": password})
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


@pytest.mark.parametrize(
    "promotion",
    [
        {"role": User.Role.ADMINISTRATOR, "agency": None},
        {"role": User.Role.SCRUTINEER, "agency": None},
        {"role": User.Role.AUDITOR},
        {"role": User.Role.AGENCY_LEAD},
        {"is_staff": True},
        {"is_superuser": True},
    ],
)
def test_a_token_got_without_a_code_fails_once_the_person_needs_one(
    practitioner, password, promotion
):
    """The code is asked only when a token is given: a token a practitioner got with the
    password alone must not go on working in a role that needs a second factor."""
    token = _password_only_token(practitioner, password)
    assert _me(token) == 200
    for field, value in promotion.items():
        setattr(practitioner, field, value)
    practitioner.save()
    assert _me(token) in (401, 403)
    assert not get_token_model().objects.filter(user=practitioner).exists()


def test_a_change_that_needs_no_second_factor_keeps_the_tokens(practitioner, password):
    token = _password_only_token(practitioner, password)
    practitioner.role = User.Role.BOARD_MEMBER
    practitioner.agency = None
    practitioner.save()
    assert _me(token) == 200


def test_a_change_between_roles_that_both_need_one_keeps_the_tokens(auditor_council, password):
    """The token was given with a code: an auditor made an agency lead keeps it."""
    token = _token(password)["token"]
    user = User.objects.get(email=EMAIL)
    user.role = User.Role.AGENCY_LEAD
    user.save()
    assert _me(token) == 200


def test_the_named_lead_needs_a_code_for_a_token(practitioner, partnership, password):
    partnership.safeguarding_lead_email = practitioner.email
    partnership.save()
    answer = Client().post(
        reverse("api-token"), {"username": practitioner.email, "password": password}
    )
    assert answer.status_code == 400
    assert "needs a second factor" in answer.json()["detail"]


def test_a_person_made_the_named_lead_loses_the_tokens_got_without_a_code(
    practitioner, board_member, partnership, password
):
    """Named the lead on the partnership's page or in the admin: both save the partnership."""
    lead_token = _password_only_token(practitioner, password)
    other_token = _password_only_token(board_member, password)
    partnership.safeguarding_lead_email = practitioner.email.upper()
    partnership.save()
    assert _me(lead_token) in (401, 403)
    assert _me(other_token) == 200


def test_a_person_given_the_leads_address_loses_the_tokens_got_without_a_code(
    practitioner, partnership, password
):
    partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
    partnership.save()
    token = _password_only_token(practitioner, password)
    practitioner.email = "dana.lead@fernhill.invalid"
    practitioner.save()
    assert _me(token) in (401, 403)
