"""`manage.py demo`: the demo partnership, its scrutiny and its evidence, and the earlier
scrutiny of the theme it compares with."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from scrutiny.demo import SCRUTINY_SLUG, earlier
from scrutiny.disclosure import REMOVED, Redactor
from scrutiny.models import (
    Agency,
    Answer,
    Area,
    Finding,
    Instrument,
    PractitionerRole,
    Response,
    Scrutiny,
    User,
)
from scrutiny.scorecard import scorecard
from tests.conftest import client_for


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def demo(demo_loaded, db) -> str:
    """The demo, loaded once for this module (tests.conftest.demo_loaded): what it printed."""
    return demo_loaded


def test_demo_loads_logins_for_every_role_and_prints_them(demo):
    assert {u.role for u in User.objects.all()} == set(User.Role.values)
    assert "password for all" in demo
    for email in User.objects.values_list("email", flat=True):
        assert email in demo
    admin = User.objects.get(email="admin@demo.invalid")
    assert admin.is_staff and not admin.is_superuser


def test_running_the_demo_twice_changes_nothing(demo):
    counts = _row_counts()
    responses = Response.objects.aggregate(last=Max("updated_at"), top=Max("pk"))
    answers = Answer.objects.aggregate(top=Max("pk"))
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG).updated_at
    call_command("demo")
    assert _row_counts() == counts
    assert Response.objects.aggregate(last=Max("updated_at"), top=Max("pk")) == responses
    assert Answer.objects.aggregate(top=Max("pk")) == answers
    assert Scrutiny.objects.get(slug=SCRUTINY_SLUG).updated_at == scrutiny


def test_the_demo_scrutiny_has_its_factors_roles_and_five_instruments(demo):
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    assert scrutiny.title == "Learning from Practice 2026"
    assert scrutiny.status == Scrutiny.Status.EVIDENCE
    assert list(scrutiny.factors.values_list("code", flat=True)) == [f"SF{i}" for i in range(1, 7)]
    assert set(Agency.objects.values_list("code", flat=True)) == {
        "NBC",
        "WMC",
        "POL",
        "NHB",
        "AVH",
        "EDU",
        "PRB",
        "VOL",
    }
    assert set(Area.objects.values_list("code", flat=True)) == {"NBK", "WMR", "ASH"}
    assert {"SW", "HV", "DSL", "PC", "GP", "TM", "YW", "PO"} <= set(
        PractitionerRole.objects.values_list("code", flat=True)
    )
    assert dict(Instrument.objects.values_list("code", "kind")) == {
        "CFA": "file_audit",
        "PS": "practitioner_survey",
        "BQ": "board_questionnaire",
        "FF": "family_feedback",
        "YP": "young_people",  # the children's survey: no answers yet, a session running
    }


def test_the_demo_evidence_comes_from_all_four_sources(demo):
    submitted = Response.objects.filter(
        scrutiny__slug=SCRUTINY_SLUG, status=Response.Status.SUBMITTED, channel="demo"
    )
    assert not Response.objects.exclude(status=Response.Status.SUBMITTED).exists()

    audits = submitted.filter(source="file_audit")
    agreed = audits.filter(superseded_by__isnull=True)
    assert agreed.count() == 12
    assert sorted(agreed.values_list("agency__code", flat=True)) == ["NBC"] * 6 + ["WMC"] * 6
    assert len(set(agreed.values_list("case_ref", flat=True))) == 12
    assert not agreed.filter(area__isnull=True).exists()
    for response in agreed:
        contributions = response.supersedes.all()
        assert contributions.count() >= 3
        assert {c.case_ref for c in contributions} == {response.case_ref}
        assert {"POL", response.agency.code} <= {c.agency.code for c in contributions}

    survey = submitted.filter(source="practitioner_survey")
    assert 140 <= survey.count() <= 160
    assert survey.values("agency").distinct().count() == 8
    assert survey.values("role").distinct().count() == 8
    assert survey.values("area").distinct().count() == 3
    assert 15 <= submitted.filter(source="board_questionnaire").count() <= 20
    family = submitted.filter(source="family_feedback")
    assert 8 <= family.count() <= 12
    assert family.filter(agency__isnull=False).exists()
    assert family.filter(agency__isnull=True).exists()
    assert len(set(submitted.values_list("ref", flat=True))) == submitted.count()


def test_the_demo_scores_show_six_factors_from_four_sources_with_different_ratings(demo, capsys):
    call_command("scores", SCRUTINY_SLUG, "--json")
    scores = json.loads(capsys.readouterr().out)
    factors = scores["factors"]
    assert [factor["code"] for factor in factors] == [f"SF{i}" for i in range(1, 7)]
    for factor in factors:
        assert set(factor["sources"]) == {
            "file_audit",
            "practitioner_survey",
            "board_questionnaire",
            "family_feedback",
        }, factor["code"]
        assert factor["sources"]["file_audit"]["n"] == 12  # agreed audits only
    ratings = {factor["rating"] for factor in factors}
    assert {"strong", "some", "limited"} <= ratings


def test_the_demo_comments_give_redaction_something_to_do(demo):
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    texts = list(
        Answer.objects.filter(response__scrutiny=scrutiny)
        .exclude(text="")
        .values_list("text", flat=True)
    )
    joined = "\n".join(texts)
    for identifier in ("01632 960", "@example.org", "NB-1003", "999 000 0034", "Larkspur"):
        assert identifier in joined
    redact = Redactor.for_scrutiny(scrutiny)
    redacted = "\n".join(redact(text) for text in texts)
    assert REMOVED in redacted
    for identifier in ("01632 960", "@example.org", "NB-1003", "999 000 0034", "Larkspur"):
        assert identifier not in redacted


@pytest.mark.django_db
def test_demo_refuses_where_demo_logins_are_off(settings, db):
    # (In this module the demo may be loaded already: refusing changes no row either way.)
    settings.DEMO_LOGINS_ALLOWED = False
    before = _row_counts()
    with pytest.raises(CommandError, match="DEMO_LOGINS_ALLOWED"):
        call_command("demo")
    assert _row_counts() == before


def test_the_demo_plan_has_priorities_and_actions_at_every_status(demo):
    from scrutiny.models import Action, Priority
    from scrutiny.plan.flags import actions_to_flag

    assert list(Priority.objects.values_list("title", flat=True)) == [
        Scrutiny.objects.get(slug=SCRUTINY_SLUG).priority,
        "Neglect",
        "Child exploitation",
    ]
    assert sorted(Action.objects.values_list("status", flat=True)) == [
        "amber",
        "blue",
        "green",
        "red",
    ]
    blue = Action.objects.get(status="blue")
    assert blue.updates.first().evidence_kind == "audit"
    # The graded care profile audit is overdue (October 2026): the daily check flags it.
    flagged = {f.action_id for f in actions_to_flag(now=timezone.now())}
    assert Action.objects.get(text__startswith="Audit the use of the graded").pk in flagged


def test_the_earlier_scrutiny_is_signed_off_smaller_and_compared_with(demo):
    current = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    before = Scrutiny.objects.get(slug=earlier.SLUG)
    assert before.title == "Learning from Practice 2025"
    assert before.partnership == current.partnership
    assert before.ends is not None and current.starts is not None
    assert before.ends < current.starts
    assert current.previous == before
    findings = Finding.objects.filter(scrutiny=before)
    assert findings.count() == 6
    assert not findings.filter(signed_off_at__isnull=True).exists()
    assert all(f.strengths and f.improvements and f.frozen for f in findings)
    assert before.quotes.exists()
    # Its own evidence, from all four sources and smaller than this year's.
    sources = set(Response.objects.filter(scrutiny=before).values_list("source", flat=True))
    assert sources == {
        "file_audit",
        "practitioner_survey",
        "board_questionnaire",
        "family_feedback",
    }
    assert (
        Response.objects.filter(scrutiny=before).count()
        < Response.objects.filter(scrutiny=current).count()
    )
    assert not Response.objects.filter(scrutiny=before, submitted_at__year=2026).exists()
    # This year's scorecard shows every factor's movement since, both ways.
    changes = [row.change for row in scorecard(scrutiny=current)]
    assert None not in changes
    assert min(c or 0 for c in changes) < 0 < max(c or 0 for c in changes)


def test_the_board_reads_the_earlier_scrutiny_as_published(demo):
    board = client_for(User.objects.get(email="board@demo.invalid"))
    page = board.get(reverse("published-detail", args=[earlier.SLUG]))
    assert page.status_code == 200
    assert "Learning from Practice 2025" in page.content.decode()
    listed = board.get(reverse("published-list")).content.decode()
    assert "Learning from Practice 2025" in listed
