"""Progress of a scrutiny's audits: not started, draft, submitted, moderated and overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import Assignment
from audits.moderation import moderation_record
from audits.progress import ProgressCounts, audit_progress
from tests.audits.conftest_moderation import answers, make_audits
from tests.audits.conftest_moderation import audits as audits

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 5, 14)
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)


def test_every_state_counted_per_case_and_in_total(audits, council, police, area, scrutineer):
    # Case 1: the council has not started (due yesterday: overdue); the police are in draft,
    # due tomorrow (not overdue), and a second council audit is in draft, due today (not
    # overdue: due today is not yet late).
    c1 = audits.case("C-001", area=area)
    audits.assign(c1, council, due=YESTERDAY)
    audits.draft(audits.assign(c1, police, due=TOMORROW), {"Q1": "yes"})
    audits.draft(audits.assign(c1, council, role=Assignment.Role.SECOND, due=TODAY), {"Q1": "no"})
    # Case 2: both submitted, the police late but submitted (not overdue): ready to moderate.
    c2 = audits.case("C-002")
    audits.submit(audits.assign(c2, council, due=YESTERDAY), answers())
    audits.submit(audits.assign(c2, police, due=YESTERDAY), answers())
    # Case 3: both submitted and moderated.
    c3 = audits.case("C-003")
    audits.submit(audits.assign(c3, council), answers())
    audits.submit(audits.assign(c3, police), answers())
    moderation_record(case=c3, values=answers(), rationales={}, user=scrutineer)
    # Case 4: no agency assigned yet. Case 5: a draft that is overdue.
    audits.case("C-004")
    c5 = audits.case("C-005")
    audits.draft(audits.assign(c5, police, due=YESTERDAY), {})

    progress = audit_progress(scrutiny=audits.scrutiny, today=TODAY)
    rows = {case.case_ref: case for case in progress.cases}
    assert [case.case_ref for case in progress.cases] == [
        "C-001",
        "C-002",
        "C-003",
        "C-004",
        "C-005",
    ]
    assert rows["C-001"].counts == ProgressCounts(
        assignments=3, not_started=1, draft=2, submitted=0, moderated=0, overdue=1
    )
    assert rows["C-001"].status == "In progress"
    assert rows["C-001"].area == "NTH"
    assert rows["C-002"].counts == ProgressCounts(assignments=2, submitted=2)
    assert rows["C-002"].status == "Ready to moderate"
    assert rows["C-003"].counts == ProgressCounts(assignments=2, moderated=2)
    assert rows["C-003"].status == "Moderated"
    assert rows["C-003"].moderated_at is not None
    assert rows["C-004"].counts == ProgressCounts()
    assert rows["C-004"].status == "No agencies assigned"
    assert rows["C-005"].counts == ProgressCounts(assignments=1, draft=1, overdue=1)
    assert progress.totals == ProgressCounts(
        assignments=8, not_started=1, draft=3, submitted=2, moderated=2, overdue=2
    )
    assert progress.cases_moderated == 1


def test_not_started_case(audits, council):
    audits.assign(audits.case("C-001"), council, due=TOMORROW)
    (case,) = audit_progress(scrutiny=audits.scrutiny, today=TODAY).cases
    assert case.status == "Not started"
    assert case.counts == ProgressCounts(assignments=1, not_started=1)


def test_no_sample_yet(partnership):
    from scrutiny.models import Scrutiny

    scrutiny = Scrutiny.objects.create(partnership=partnership, slug="empty", title="Empty")
    progress = audit_progress(scrutiny=scrutiny, today=TODAY)
    assert (progress.cases, progress.totals) == ((), ProgressCounts())


def test_other_scrutinies_are_left_out(audits, partnership, council):
    other = make_audits(partnership, slug="neglect")
    other.assign(other.case("N-001"), council)
    assert audit_progress(scrutiny=audits.scrutiny, today=TODAY).cases == ()


def test_one_query_however_many_cases(audits, council, police, django_assert_num_queries):
    audits.assign(audits.case("C-000"), council)
    with django_assert_num_queries(1):
        audit_progress(scrutiny=audits.scrutiny, today=TODAY)
    for i in range(1, 12):
        case = audits.case(f"C-{i:03}")
        audits.submit(audits.assign(case, council, due=YESTERDAY), answers())
        audits.draft(audits.assign(case, police, due=YESTERDAY), {"Q1": "yes"})
    with django_assert_num_queries(1):
        progress = audit_progress(scrutiny=audits.scrutiny, today=TODAY)
    assert progress.totals == ProgressCounts(
        assignments=23, not_started=1, draft=11, submitted=11, overdue=11
    )
