"""The surveys' kinds in a retention run (surveys.retention): invitation addresses past their
period, in the invitations, the audit trail and the jobs that read the lists."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from scrutiny.models import TrailEntry
from scrutiny.retention import retention_run
from scrutiny.trail import trail_record
from surveys.models import Survey
from tests.surveys.conftest import make_invitation

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2029, 1, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
CLOSED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # past the six months of invitation emails


@pytest.fixture
def closed(survey) -> Survey:
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=CLOSED - dt.timedelta(days=30), closes_at=CLOSED
    )
    survey.refresh_from_db()
    return survey


def test_an_invitation_address_leaves_the_trail_whole_and_no_other_with_it(
    closed, council, business_unit, partnership
):
    make_invitation(closed, "a@fernhill.invalid", council)
    trail_record(action="note", user=business_unit, detail="Invited a@fernhill.invalid.")
    trail_record(action="note", user=business_unit, detail="Invited ana@fernhill.invalid.")
    retention_run(partnership=partnership, now=NOW)
    assert sorted(TrailEntry.objects.filter(action="note").values_list("detail", flat=True)) == [
        "Invited [an invitee's address].",
        "Invited ana@fernhill.invalid.",
    ]
