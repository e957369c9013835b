"""`manage.py invite SLUG CODE FILE` (CLI.md)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Invitation, Survey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("council", "social_worker", "eager_tasks"),
]


def _invite(*args: str) -> str:
    out = StringIO()
    call_command("invite", *args, stdout=out)
    return out.getvalue()


def test_invite_sets_up_the_survey_emails_once_and_skips_those_invited(
    survey_tool, tmp_path, mailoutbox
):
    slug = survey_tool.scrutiny.slug
    listed = tmp_path / "people.csv"
    listed.write_text("email,agency,role\nash@fernhill.invalid,FHC,SW\nbo@fernhill.invalid,FHC,\n")
    assert "Invited 2 people" in _invite(slug, "PS", str(listed))
    survey = Survey.objects.get()
    assert survey.instrument == survey_tool and survey.anonymous
    assert sorted(m.to[0] for m in mailoutbox) == ["ash@fernhill.invalid", "bo@fernhill.invalid"]

    listed.write_text("email,agency\nash@fernhill.invalid,FHC\ncy@fernhill.invalid,FHC\n")
    out = _invite(slug, "PS", str(listed))
    assert "Invited 1 person" in out and "1 already invited" in out
    assert [m.to[0] for m in mailoutbox[2:]] == ["cy@fernhill.invalid"]
    assert Survey.objects.count() == 1 and Invitation.objects.count() == 3


def test_invite_with_a_bad_row_changes_nothing(survey_tool, tmp_path, mailoutbox):
    listed = tmp_path / "people.csv"
    listed.write_text("email,agency\nash@fernhill.invalid,FHC\nbo@fernhill.invalid,NOPE\n")
    with pytest.raises(CommandError, match="Row 3"):
        _invite(survey_tool.scrutiny.slug, "PS", str(listed))
    assert not Survey.objects.exists() and not Invitation.objects.exists()
    assert mailoutbox == []


def test_invite_names_the_instruments_there_are(survey_tool, tmp_path):
    listed = tmp_path / "people.csv"
    listed.write_text("email,agency\nash@fernhill.invalid,FHC\n")
    with pytest.raises(CommandError, match="survey instruments are: PS"):
        _invite(survey_tool.scrutiny.slug, "NOPE", str(listed))
