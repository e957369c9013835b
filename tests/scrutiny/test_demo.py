from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from scrutiny.models import Agency, Area, User


@pytest.mark.django_db
def test_demo_loads_logins_for_every_role_and_is_idempotent(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    counts = (User.objects.count(), Agency.objects.count(), Area.objects.count())
    assert {u.role for u in User.objects.all()} == set(User.Role.values)
    assert "admin@demo.invalid" in out
    call_command("demo")
    assert (User.objects.count(), Agency.objects.count(), Area.objects.count()) == counts


@pytest.mark.django_db
def test_demo_refuses_where_demo_logins_are_off(settings):
    settings.DEMO_LOGINS_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_LOGINS_ALLOWED"):
        call_command("demo")
    assert not User.objects.exists()
