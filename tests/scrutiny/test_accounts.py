"""Sign in with an e-mail address, sign out, reset a password by e-mail, throttled sign-in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from scrutiny.models import User
from tests.conftest import second_factor_for, totp_code


@pytest.mark.django_db
def test_sign_in_with_email_is_not_case_sensitive(client, auditor_council, password):
    response = client.post(
        reverse("login"), {"username": "SAM@Fernhill.invalid", "password": password}
    )
    assert response.status_code == 302
    # An auditor then proves a second factor (tests/accounts/ tries that step).
    client.post(
        reverse("two-factor-verify"), {"code": totp_code(second_factor_for(auditor_council))}
    )
    assert client.get(reverse("home")).context["user"] == auditor_council


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_summary(client, auditor_council):
    response = client.post(reverse("login"), {"username": "sam@fernhill.invalid", "password": "no"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "<title>Error: Sign in" in body


@pytest.mark.django_db
def test_sign_out_needs_a_post(client, auditor_council):
    client.force_login(auditor_council)
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
def test_password_reset_by_email(client, auditor_council):
    client.post(reverse("password_reset"), {"email": "sam@fernhill.invalid"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-passphrase-7", "new_password2": "a-new-long-passphrase-7"},
    )
    assert response.status_code == 302
    auditor_council.refresh_from_db()
    assert auditor_council.check_password("a-new-long-passphrase-7")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@fernhill.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_sign_in_is_locked_after_repeated_failures(client, auditor_council, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sam@fernhill.invalid", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "sam@fernhill.invalid", "password": password}
    )
    assert response.status_code == 429
    assert "too many failed attempts" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
def test_auditors_must_belong_to_an_agency(partnership):
    from django.core.exceptions import ValidationError

    user = User(email="x@fernhill.invalid", role=User.Role.AUDITOR, partnership=partnership)
    with pytest.raises(ValidationError, match="must belong to an agency"):
        user.full_clean()
