"""Action plans: drafted from signed-off findings, BRAG with an update every time, Blue only
with evidence, and the delivery plan workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from scrutiny import findings
from scrutiny import plan as actions
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
    # Strong, and with no area for improvement: nothing to act on.
    finding = signed.findings.get(factor__code="SF2")
    finding.frozen["row"]["rating"] = "strong"
    finding.improvements = ""
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
    with pytest.raises(ApplicationError, match="Say what the evidence shows"):
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
    render_plan_xlsx(rows, title=signed.title, key=signed.partnership.brag_key, out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "RAG key: Blue complete; Green on track; Amber at risk; Red off track"
    assert values[2] == [
        "Priority",
        "Outcome",
        "Action",
        "Timescale",
        "Responsible",
        "Update",
        "RAG",
    ]
    assert values[3][0] == "Learning into practice"  # the priority's own row
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
    assert {row[6] for row in rows[3:] if row[6]} == {"Green"}
    pdf = tmp_path / "plan.pdf"
    call_command("action_plan", signed.slug, "--pdf", str(pdf), stdout=out)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Re-audit drift in SF1 cases." in text
    assert "RAG key: Blue complete" in text
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
    assert f"/plan/actions/{overdue.pk}/" in message.body  # the action's own page
    overdue.refresh_from_db()
    assert overdue.flag_reason.startswith("Overdue: its timescale was ")
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


# Drafting rolls up into the business plan -----------------------------------------------------


def test_drafted_actions_roll_up_under_the_scrutinys_priority(signed):
    signed.priority = "Learning into practice"
    signed.save()
    existing = Priority.objects.create(
        partnership=signed.partnership, title="learning into practice", position=4
    )
    first, second = actions.actions_draft(scrutiny=signed)
    # The priority of the same name (any case) is found, not made twice; an outcome per factor.
    assert first.outcome.priority == existing == second.outcome.priority
    assert (first.outcome.text, second.outcome.text) == (
        "SF1 Plans are good.",
        "SF2 Learning reaches all.",
    )
    rows = actions.delivery_plan(scrutiny=signed)
    assert {row.priority for row in rows} == {"learning into practice"}


def test_priorities_and_outcomes_are_named_once(partnership):
    neglect = actions.priority_save(partnership=partnership, title="  Neglect ")
    assert neglect.title == "Neglect"
    with pytest.raises(ApplicationError, match="already has a priority called “NEGLECT”"):
        actions.priority_save(partnership=partnership, title="NEGLECT")
    with pytest.raises(ApplicationError, match="Write the priority"):
        actions.priority_save(partnership=partnership, title=" ")
    actions.outcome_save(priority=neglect, text="Neglect is recognised early")
    with pytest.raises(ApplicationError, match="already has that outcome"):
        actions.outcome_save(priority=neglect, text="neglect is recognised early")
    assert Priority.objects.count() == 1 and Outcome.objects.count() == 1


def test_an_action_is_written_and_assigned(partnership, council):
    from scrutiny.models import Agency, Partnership

    other = Partnership.objects.create(name="Elsewhere Partnership")
    stranger = Agency.objects.create(partnership=other, code="X", name="Elsewhere Police")
    with pytest.raises(ApplicationError, match="Write the action"):
        actions.action_save(partnership=partnership, data=actions.ActionData(text=" "))
    with pytest.raises(ApplicationError, match="this partnership's agencies"):
        actions.action_save(
            partnership=partnership, data=actions.ActionData(text="A", responsible=stranger)
        )
    with pytest.raises(ApplicationError, match="named lead's name"):
        actions.action_save(
            partnership=partnership,
            data=actions.ActionData(text="A", lead_email="sam@fernhill.invalid"),
        )
    assert Action.objects.count() == 0
    action = actions.action_save(
        partnership=partnership,
        data=actions.ActionData(
            text="Relaunch the neglect toolkit",
            responsible=council,
            lead_name="Sam Okafor",
            lead_email="Sam.Okafor@Fernhill.invalid",
            timescale=dt.date(2027, 3, 31),
        ),
    )
    assert (action.lead_email, action.status, action.scrutiny) == (
        "sam.okafor@fernhill.invalid",
        Brag.GREEN,
        None,
    )
    # A new timescale answers a flag raised against the old one.
    action.flag_reason, action.flagged_at = "Overdue", dt.datetime(2027, 4, 1, tzinfo=dt.UTC)
    action.save()
    data = actions.ActionData(**{**actions.ActionData(text="x").__dict__, "text": action.text})
    action = actions.action_save(
        partnership=partnership,
        data=dataclasses.replace(data, responsible=council, timescale=dt.date(2027, 6, 30)),
        action=action,
    )
    assert (action.flag_reason, action.flagged_at, action.timescale) == (
        "",
        None,
        dt.date(2027, 6, 30),
    )
    # Other work sits under "Other work" in the plan until it has an outcome.
    assert [row.priority for row in actions.plan_rows(Action.objects.all())] == ["Other work"]


# Evidence of impact ---------------------------------------------------------------------------


@pytest.fixture
def earlier(signed, partnership):
    """The 2024 scrutiny of the theme, SF1 at 26.7 (hand-worked in test_workspace), before
    lfp-2026's 46.8: a move up of 20.1 points."""
    from scrutiny.models import Agency, Scrutiny, SuccessFactor
    from tests.scrutiny.test_workspace import _submit, instrument_save, sample_definition

    earlier = Scrutiny.objects.create(
        partnership=partnership, slug="lfp-2024", title="LfP 2024", starts=dt.date(2024, 1, 8)
    )
    signed.starts = dt.date(2026, 1, 12)
    signed.previous = earlier
    signed.save()
    SuccessFactor.objects.create(scrutiny=earlier, code="SF1", statement="Plans are good.")
    SuccessFactor.objects.create(scrutiny=earlier, code="SF2", statement="Learning reaches all.")
    definition = dataclasses.replace(sample_definition("OLD"), kind="practitioner_survey")
    old = instrument_save(scrutiny=earlier, definition=definition).instrument
    police = Agency.objects.get(code="POL")
    for grade in ("1", "2", "2", "3", "1"):  # (0 + 1/3 + 1/3 + 2/3 + 0)/5 = 4/15 → 26.7
        _submit(old, police, grade)
    return earlier


def _earlier_action(earlier, code, status=Brag.AMBER):
    return Action.objects.create(
        partnership_id=earlier.partnership_id,
        scrutiny=earlier,
        factor=earlier.factors.get(code=code),
        text=f"Act on {code}",
        status=status,
    )


def test_a_later_scrutinys_factor_moving_up_is_evidence_of_impact(earlier, signed, scrutineer):
    action = _earlier_action(earlier, "SF1")
    movement = actions.factor_movement(code="SF1", before=earlier, after=signed)
    assert (movement.before, movement.after, movement.change, movement.moved_up) == (
        26.7,
        46.8,
        20.1,
        True,
    )
    assert movement.describe() == (
        "SF1 went from 26.7 (limited evidence) in LfP 2024 to 46.8 (limited evidence) in "
        "Learning from Practice 2026: +20.1 points."
    )
    with pytest.raises(ApplicationError, match="Choose the later scrutiny"):
        actions.action_update(
            action=action,
            status=Brag.BLUE,
            note="Done.",
            user=scrutineer,
            attached=actions.Evidence(kind="scrutiny"),
        )
    with pytest.raises(ApplicationError, match="Choose a scrutiny later than LfP 2024"):
        actions.action_update(
            action=action,
            status=Brag.BLUE,
            note="Done.",
            user=scrutineer,
            attached=actions.Evidence(kind="scrutiny", scrutiny=earlier),
        )
    update = actions.action_update(
        action=action,
        status=Brag.BLUE,
        note="Re-scrutinised in 2026.",
        user=scrutineer,
        attached=actions.Evidence(kind="scrutiny", scrutiny=signed, text="See the pack."),
    )
    assert update.evidence == movement.describe() + " See the pack."
    assert update.evidence_scrutiny == signed


def test_a_factor_that_did_not_move_up_is_not_evidence(earlier, signed, scrutineer):
    # SF2 has no question linked in either scrutiny: no score, so no movement to show.
    action = _earlier_action(earlier, "SF2")
    with pytest.raises(ApplicationError, match="not a move up, so it is not evidence"):
        actions.action_update(
            action=action,
            status=Brag.BLUE,
            note="Done.",
            user=scrutineer,
            attached=actions.Evidence(kind="scrutiny", scrutiny=signed),
        )
    # Recorded with an open status, the movement is kept as it is.
    update = actions.action_update(
        action=action,
        status=Brag.AMBER,
        note="Not yet shifted.",
        user=scrutineer,
        attached=actions.Evidence(kind="scrutiny", scrutiny=signed),
    )
    assert update.evidence == (
        "SF2 went from no score in LfP 2024 to no score in Learning from Practice 2026."
    )
    action.refresh_from_db()
    assert action.status == Brag.AMBER


def test_a_document_is_uploaded_or_linked(signed, scrutineer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.ACTION_EVIDENCE_MAX_MB = 1
    action = actions.actions_draft(scrutiny=signed)[0]

    def blue(**evidence):
        return actions.action_update(
            action=action,
            status=Brag.BLUE,
            note="Done.",
            user=scrutineer,
            attached=actions.Evidence(kind="document", **evidence),
        )

    with pytest.raises(ApplicationError, match="Upload the document, or give a link"):
        blue(text="The re-audit.")
    with pytest.raises(ApplicationError, match="Say what the evidence shows"):
        blue(link="https://intranet.fernhill.invalid/reaudit")
    with pytest.raises(ApplicationError, match=r"run\.exe is not a document type"):
        blue(text="Re-audit.", document=SimpleUploadedFile("run.exe", b"MZ"))
    with pytest.raises(ApplicationError, match=r"big\.pdf is larger than 1 MB"):
        blue(text="Re-audit.", document=SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1)))
    assert not ActionUpdate.objects.exists() and not list(tmp_path.rglob("*.*"))
    update = blue(
        text="Drift in 1 of 12 files, down from 7.",
        document=SimpleUploadedFile("Re-audit March.pdf", b"%PDF-1.4 report"),
    )
    assert update.document_name == "Re-audit March.pdf"
    # Kept under a name of its own, not the person's file name.
    assert "Re-audit" not in update.document.name and update.document.name.endswith(".pdf")
    assert update.document.read() == b"%PDF-1.4 report"


def test_open_actions_are_carried_into_the_next_scrutiny_of_the_theme(earlier, signed, scrutineer):
    open_one = _earlier_action(earlier, "SF1")
    done = _earlier_action(earlier, "SF2", status=Brag.BLUE)
    signed.previous = None
    signed.save()
    with pytest.raises(ApplicationError, match="Choose the earlier scrutiny of this theme"):
        actions.actions_carry(scrutiny=signed)
    signed.previous = earlier
    signed.save()
    assert actions.actions_carry(scrutiny=signed) == [open_one]
    assert actions.actions_carry(scrutiny=signed) == []  # nothing twice
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert (open_one.scrutiny, open_one.carried_from, open_one.factor.scrutiny) == (
        signed,
        earlier,
        signed,
    )
    assert done.scrutiny == earlier
    movement = actions.factor_movements([open_one])[open_one.pk]
    assert (movement.before, movement.after, movement.change) == (26.7, 46.8, 20.1)
    # Drafting the new plan gives SF1 no second action: the carried one serves.
    assert [a.factor.code for a in actions.actions_draft(scrutiny=signed)] == ["SF2"]
    # Its movement is evidence measured from the scrutiny it was carried from.
    actions.action_update(
        action=open_one,
        status=Brag.BLUE,
        note="SF1 moved.",
        user=scrutineer,
        attached=actions.Evidence(kind="scrutiny", scrutiny=signed),
    )


def test_the_exported_plan_is_redacted(signed, scrutineer):
    action = actions.actions_draft(scrutiny=signed)[0]
    action.text = "Re-audit case C-7781; ask jo.bloggs@example.org."
    action.save()
    actions.action_update(
        action=action, status=Brag.RED, note="Ring 020 7946 0991 first.", user=scrutineer
    )
    row = next(r for r in actions.delivery_plan(scrutiny=signed) if r.status == "red")
    for planted in ("C-7781", "jo.bloggs@example.org", "020 7946 0991"):
        assert planted not in row.action + row.update
    assert "[removed]" in row.action


@pytest.mark.parametrize(
    ("before", "after", "after_rating", "change", "moved_up"),
    [
        (41.2, 63.0, "some", 21.8, True),  # up, and rated: evidence
        (63.0, 55.5, "some", -7.5, False),  # down
        (50.0, 50.0, "some", 0.0, False),  # no change
        (41.2, 63.0, "insufficient", 21.8, False),  # up, but too few responses to rate
        (None, 63.0, "some", None, False),  # nothing to compare with
    ],
)
def test_only_a_rated_move_up_counts_as_movement(before, after, after_rating, change, moved_up):
    from scrutiny.scoring import Rating

    movement = actions.Movement(
        code="SF5",
        before_title="2024",
        after_title="2026",
        before=before,
        after=after,
        before_rating=Rating.LIMITED,
        after_rating=Rating(after_rating),
    )
    assert (movement.change, movement.moved_up) == (change, moved_up)


def test_a_carried_action_keeps_the_redaction_of_the_scrutiny_it_came_from(earlier, signed):
    earlier.redaction_terms = "Bloggs"
    earlier.save()
    action = _earlier_action(earlier, "SF1")
    action.text = "Re-audit the Bloggs family's plan."
    action.save()
    actions.actions_carry(scrutiny=signed)
    row = next(r for r in actions.delivery_plan(scrutiny=signed) if r.action.startswith("Re-"))
    assert row.action == "Re-audit the [removed] family's plan."


def test_an_action_carried_twice_keeps_every_scrutinys_redaction(earlier, signed, partnership):
    from scrutiny.models import Scrutiny

    earlier.redaction_terms = "Bloggs"
    earlier.save()
    action = _earlier_action(earlier, "SF1")
    action.text = "Re-audit the Bloggs family's plan."
    action.save()
    action.scrutiny_trail.add(earlier)
    actions.actions_carry(scrutiny=signed)
    later = Scrutiny.objects.create(
        partnership=partnership, slug="lfp-2028", title="LfP 2028", previous=signed
    )
    later.factors.create(code="SF1", statement="Plans are good.")
    assert actions.actions_carry(scrutiny=later) == [action]
    row = actions.plan_rows(Action.objects.filter(pk=action.pk))[0]
    assert row.action == "Re-audit the [removed] family's plan."


def test_a_link_too_long_is_refused_and_no_file_is_kept(signed, scrutineer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    action = actions.actions_draft(scrutiny=signed)[0]
    with pytest.raises(ApplicationError, match="The link is longer than 200 characters"):
        actions.action_update(
            action=action,
            status=Brag.BLUE,
            note="Done.",
            user=scrutineer,
            attached=actions.Evidence(
                kind="document",
                text="The re-audit.",
                link="https://intranet.fernhill.invalid/" + "x" * 200,
                document=SimpleUploadedFile("reaudit.pdf", b"%PDF-1.4"),
            ),
        )
    assert not ActionUpdate.objects.exists() and not list(tmp_path.rglob("*.*"))


def test_a_priority_title_is_text_in_the_workbook_never_a_formula(partnership):
    priority = actions.priority_save(partnership=partnership, title='=HYPERLINK("x","y")')
    outcome = actions.outcome_save(priority=priority, text="Outcome")
    actions.action_save(
        partnership=partnership, data=actions.ActionData(text="Act", outcome=outcome)
    )
    out = io.BytesIO()
    render_plan_xlsx(
        actions.plan_rows(Action.objects.all()),
        title="Plan",
        key=partnership.brag_key,
        out=out,
    )
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    heading = sheet.cell(row=4, column=1)
    assert (heading.value, heading.data_type) == ('=HYPERLINK("x","y")', "s")


def test_an_action_of_another_partnership_is_not_changed(partnership, council):
    from scrutiny.models import Partnership

    other = Partnership.objects.create(name="Elsewhere Partnership")
    action = actions.action_save(partnership=other, data=actions.ActionData(text="Theirs"))
    with pytest.raises(ApplicationError, match="another partnership's"):
        actions.action_save(
            partnership=partnership,
            data=actions.ActionData(text="Ours now", responsible=council),
            action=action,
        )
    action.refresh_from_db()
    assert (action.text, action.partnership) == ("Theirs", other)
