"""Inviting from a list: all or nothing, errors by row, one email per address, ever."""

from __future__ import annotations

import re

import pytest

from scrutiny.errors import ApplicationError
from surveys.models import Invitation, token_hash
from surveys.services import invitations as services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("council", "police", "social_worker", "eager_tasks"),
]

GOOD = b"email,agency,role\nash@fernhill.invalid,FHC,SW\nbo@fernhill.invalid,POL,\n"


def _link_token(body: str) -> str:
    match = re.search(r"/i/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def test_bad_rows_are_reported_by_row_and_no_one_is_invited(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    content = (
        b"email,agency,role\n"
        b"ash@fernhill.invalid,FHC,SW\n"
        b"not-an-address,FHC,SW\n"
        b"cy@fernhill.invalid,XXX,SW\n"
        b"di@fernhill.invalid,POL,NOPE\n"
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError) as caught,
    ):
        services.invitations_create(survey=survey, content=content, file_name="list.csv")
    errors = caught.value.extra["errors"]
    assert [e.split(",")[0] for e in errors] == ["Row 3", "Row 4", "Row 5"]
    assert "no one was invited" in caught.value.message
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invitations_are_emailed_once_with_a_hashed_token(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_create(survey=survey, content=GOOD, file_name="list.csv")
    assert (result.created, result.already_invited) == (2, 0)
    assert sorted(m.to[0] for m in mailoutbox) == ["ash@fernhill.invalid", "bo@fernhill.invalid"]
    for message in mailoutbox:
        token = _link_token(message.body)
        invitation = Invitation.objects.get(email=message.to[0])
        assert invitation.token_sha256 == token_hash(token) != token
        assert invitation.sent_at is not None
        assert services.invitation_for_token(token) == invitation
        assert "anonymous" in message.body
    ash = Invitation.objects.get(email="ash@fernhill.invalid")
    assert (ash.agency.code, ash.role.code) == ("FHC", "SW")

    # The same list again, with one new address: only the new person is invited and emailed.
    again = GOOD + b"Cy@Fernhill.invalid,FHC,SW\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_create(survey=survey, content=again, file_name="list.csv")
    assert (result.created, result.already_invited) == (1, 2)
    assert [m.to[0] for m in mailoutbox[2:]] == ["cy@fernhill.invalid"]
    # A task run again (a retry) sends nothing more.
    every = list(Invitation.objects.values_list("pk", flat=True))
    assert services.invitations_send(invitation_ids=every) == 0
    assert len(mailoutbox) == 3
    assert Invitation.objects.count() == 3


def test_no_email_before_the_transaction_commits(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitations_create(survey=survey, content=GOOD, file_name="list.csv")
    assert mailoutbox == [] and len(callbacks) == 1
