"""A partnership alone in its installation: adding one, and its statements at the addresses of
an installation with one partnership. (Apart from test_partnerships.py, whose two partnerships are
built once for the module and would be there too.)"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from scrutiny.models import Partnership, User

pytestmark = pytest.mark.django_db


def test_add_partnership_makes_its_first_administrator(db, client, capsys, settings):
    settings.SITE_URL = "https://scrutiny.example.org"
    call_command(
        "add_partnership",
        "--name",
        "Northbrook Safeguarding Partnership",
        "--slug",
        "northbrook",
        "--admin-email",
        "Una@Northbrook.invalid",
        "--admin-name",
        "Una Northbrook",
    )
    out = capsys.readouterr().out
    partnership = Partnership.objects.get(slug="northbrook")
    admin_user = User.objects.get(email="una@northbrook.invalid")
    assert admin_user.partnership == partnership and admin_user.role == User.Role.ADMINISTRATOR
    assert admin_user.is_staff and not admin_user.is_superuser
    assert not admin_user.has_usable_password()
    link = re.search(r"https://scrutiny\.example\.org(/accounts/reset/\S+)", out)
    assert link, out
    assert client.get(link[1], follow=True).status_code == 200
    # Taken: a name, a slug, an email. Nothing changes.
    for name, slug, email in (
        ("Northbrook Safeguarding Partnership", "other", "x@other.invalid"),
        ("Other", "northbrook", "x@other.invalid"),
        ("Other", "other", "una@northbrook.invalid"),
    ):
        with pytest.raises(CommandError, match="Nothing was added"):
            call_command("add_partnership", name=name, slug=slug, admin_email=email)
    assert Partnership.objects.count() == 1 and User.objects.count() == 1


def test_the_only_partnerships_statements_at_the_old_addresses(partnership, client):
    Partnership.objects.filter(pk=partnership.pk).update(privacy_notice="We keep it a year.")
    assert b"We keep it a year." in client.get(reverse("privacy")).content
