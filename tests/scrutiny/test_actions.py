"""Action plans: drafted from signed-off findings, BRAG with an update every time, Blue only
with evidence, and the delivery plan workbook."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from scrutiny import actions, findings
from scrutiny.errors import ApplicationError
from scrutiny.models import Action, ActionUpdate, Brag, Outcome, Priority
from scrutiny.packs.plan import render_plan_xlsx
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(scrutiny, scrutineer):
    for finding in findings.findings_ensure(scrutiny=scrutiny):
        findings.finding_update(
            finding=finding,
            strengths="Briefings land (PS Q6).",
            improvements=f"Re-audit drift in {finding.factor.code} cases.\nSupervision audit.",
            user=scrutineer,
        )
    findings.findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    return scrutiny


def test_nothing_to_draft_before_the_findings_are_signed_off(scrutiny):
    with pytest.raises(ApplicationError, match="no signed-off findings yet"):
        actions.actions_draft(scrutiny=scrutiny)


def test_one_action_per_finding_not_rated_strong_once(signed):
    drafted = actions.actions_draft(scrutiny=signed)
    # SF1 is limited, SF2 insufficient: both get an action; none is strong.
    assert [a.factor.code for a in drafted] == ["SF1", "SF2"]
    assert drafted[0].text == "Re-audit drift in SF1 cases. Supervision audit."
    assert drafted[0].status == Brag.GREEN
    assert actions.actions_draft(scrutiny=signed) == []
    assert Action.objects.count() == 2


def test_a_strong_factor_gets_no_action(signed):
    finding = signed.findings.get(factor__code="SF2")
    finding.frozen["row"]["rating"] = "strong"
    finding.save()
    assert [a.factor.code for a in actions.actions_draft(scrutiny=signed)] == ["SF1"]


def test_every_change_needs_a_note_and_blue_needs_evidence(signed, scrutineer):
    action = actions.actions_draft(scrutiny=signed)[0]
    with pytest.raises(ApplicationError, match="Write an update"):
        actions.action_update(action=action, status=Brag.AMBER, note=" ", user=scrutineer)
    actions.action_update(
        action=action, status=Brag.AMBER, note="Re-audit delayed.", user=scrutineer
    )
    with pytest.raises(ApplicationError, match="Blue means complete and evidenced"):
        actions.action_update(action=action, status=Brag.BLUE, note="Done.", user=scrutineer)
    with pytest.raises(ApplicationError, match="Blue means complete and evidenced"):
        actions.action_update(
            action=action, status=Brag.BLUE, note="Done.", user=scrutineer, evidence_kind="audit"
        )
    action.refresh_from_db()
    assert action.status == Brag.AMBER
    actions.action_update(
        action=action,
        status=Brag.BLUE,
        note="Re-audit in March: drift found in 1 of 12 files, down from 7.",
        user=scrutineer,
        evidence_kind="audit",
        evidence="March re-audit report, section 3",
    )
    action.refresh_from_db()
    assert action.status == Brag.BLUE
    assert list(ActionUpdate.objects.filter(action=action).values_list("status", flat=True)) == [
        "blue",
        "amber",
    ]


def test_the_delivery_plan_groups_actions_under_their_priorities(signed, scrutineer, tmp_path):
    first, second = actions.actions_draft(scrutiny=signed)
    safer = Priority.objects.create(
        partnership=signed.partnership, title="Learning into practice", position=1
    )
    voice = Priority.objects.create(
        partnership=signed.partnership, title="The child's voice", position=2
    )
    first.outcome = Outcome.objects.create(priority=voice, text="Children's words shape plans")
    first.timescale = dt.date(2027, 3, 31)
    first.lead_name = "Sam Okafor"
    first.responsible_group = "Quality Assurance Group"
    first.save()
    second.outcome = Outcome.objects.create(priority=safer, text="Learning reaches every agency")
    second.save()
    actions.action_update(
        action=first, status=Brag.RED, note="No lead agreed yet.", user=scrutineer
    )
    rows = actions.delivery_plan(scrutiny=signed)
    assert [(r.priority, r.rag) for r in rows] == [
        ("Learning into practice", "Green"),
        ("The child's voice", "Red"),
    ]
    out = io.BytesIO()
    render_plan_xlsx(rows, title=signed.title, out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == [
        "Priority",
        "Outcome",
        "Action",
        "Timescale",
        "Responsible",
        "Update",
        "RAG",
    ]
    assert values[2][0] == "Learning into practice"  # the priority's own row
    red = next(row for row in values if row[6] == "Red")
    assert red[1] == "Children's words shape plans"
    assert red[4] == "Quality Assurance Group, Sam Okafor"
    assert red[5] == "No lead agreed yet."
    red_cell = next(row for row in sheet.iter_rows() if row[6].value == "Red")[6]
    assert red_cell.fill.fgColor.rgb.endswith("D4351C")


def test_the_command_drafts_and_exports(signed, tmp_path):
    out = StringIO()
    call_command("action_plan", signed.slug, "--draft", stdout=out)
    assert "Drafted 2 actions: SF1, SF2." in out.getvalue()
    plan = tmp_path / "plan.xlsx"
    call_command("action_plan", signed.slug, "--xlsx", str(plan), stdout=out)
    assert "2 actions" in out.getvalue()
    rows = list(load_workbook(plan).active.iter_rows(values_only=True))
    assert {row[6] for row in rows[2:] if row[6]} == {"Green"}
    with pytest.raises(CommandError, match="Say what to do"):
        call_command("action_plan", signed.slug)


def test_overdue_and_drifting_actions_are_flagged_and_emailed_once(
    signed, scrutineer, business_unit, mailoutbox
):
    from django.utils import timezone

    from scrutiny.models import Partnership

    business_unit.partnership = Partnership.objects.get(pk=signed.partnership_id)
    business_unit.save()
    overdue, quiet = actions.actions_draft(scrutiny=signed)
    now = timezone.now()
    overdue.timescale = (now - dt.timedelta(days=1)).date()
    overdue.lead_email = "sam.lead@fernhill.invalid"
    overdue.text = "Re-audit case C-7781 and its drift."
    overdue.save()
    actions.action_update(action=quiet, status=Brag.GREEN, note="Started.", user=scrutineer)
    assert [f.action_id for f in actions.actions_to_flag(now=now)] == [overdue.pk]
    assert actions.actions_flag(now=now) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted(["sam.lead@fernhill.invalid", business_unit.email])
    assert "overdue" in message.body and "C-7781" not in message.body + message.subject
    # Not again the next day; again a week later if still overdue.
    assert actions.actions_flag(now=now + dt.timedelta(days=1)) == 0
    later = now + dt.timedelta(days=8)
    assert actions.actions_flag(now=later) == 1
    # Six weeks without an update: drifting too. Blue actions are never flagged.
    drift = now + dt.timedelta(days=actions.DRIFT_DAYS + 1)
    reasons = {f.action_id: f.reasons for f in actions.actions_to_flag(now=drift)}
    assert any(r.startswith("drifting") for r in reasons[quiet.pk])
    actions.action_update(
        action=overdue,
        status=Brag.BLUE,
        note="Done.",
        user=scrutineer,
        evidence_kind="audit",
        evidence="Re-audit, March",
    )
    assert overdue.pk not in {f.action_id for f in actions.actions_to_flag(now=drift)}


def test_beat_flags_actions_daily():
    from django.conf import settings

    from scrutiny.tasks import actions_flag_overdue

    schedule = settings.CELERY_BEAT_SCHEDULE["actions-overdue"]
    assert (schedule["task"], schedule["schedule"]) == (actions_flag_overdue.name, 86400.0)
