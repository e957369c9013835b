"""The audits part of `manage.py demo`: the demo's audited case files as a sample, assigned and
moderated, agreeing with the responses the scores count."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from audits.models import Assignment, CaseFile, Moderation, Sample
from scrutiny.demo import SCRUTINY_SLUG
from scrutiny.models import Response


@pytest.fixture
def demo(demo_loaded, db) -> str:
    """The demo, loaded once for this module (tests.conftest.demo_loaded): what it printed."""
    return demo_loaded


def test_the_demo_sample_is_six_case_files_per_council(demo):
    sample = Sample.objects.get(scrutiny__slug=SCRUTINY_SLUG)
    assert sample.instrument is not None and sample.instrument.kind == "file_audit"
    assert Counter(CaseFile.objects.values_list("group", flat=True)) == {"NBC": 6, "WMC": 6}
    assert "Audits: a sample of 12 case files" in demo


def test_every_contribution_is_an_assignment_and_every_case_is_moderated(demo):
    contributions = Response.objects.filter(
        scrutiny__slug=SCRUTINY_SLUG, source="file_audit", superseded_by__isnull=False
    )
    assigned = Assignment.objects.exclude(response=None)
    assert set(assigned.values_list("response_id", flat=True)) == set(
        contributions.values_list("pk", flat=True)
    )
    for assignment in assigned.select_related("response", "case"):
        assert assignment.response.case_ref == assignment.case.case_ref
        assert assignment.response.agency_id == assignment.agency_id
    moderations = Moderation.objects.select_related("agreed_response", "case")
    assert moderations.count() == 12
    for moderation in moderations:
        assert moderation.agreed_response.case_ref == moderation.case.case_ref
        assert moderation.agreed_response.superseded_by_id is None


def test_the_demo_auditor_has_the_council_audits(demo):
    mine = Assignment.objects.filter(auditor__email="auditor.nbc@demo.invalid")
    assert mine.count() == 6
    assert set(mine.values_list("agency__code", flat=True)) == {"NBC"}


def test_running_the_demo_again_adds_no_audits(demo, capsys):
    before = (Sample.objects.count(), CaseFile.objects.count(), Assignment.objects.count())
    call_command("demo")
    assert "Audits:" not in capsys.readouterr().out
    assert (Sample.objects.count(), CaseFile.objects.count(), Assignment.objects.count()) == before
