"""Retention runs at a fixed clock over the demo scrutiny: what has passed its period goes (and
nothing a day short), signed-off findings, quotes and scores stay identical, the run is in the
trail, a dry run changes nothing and a second run removes nothing more."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet

from audits.models import AuditEvent, CaseFile
from scrutiny.demo import SCRUTINY_SLUG
from scrutiny.findings import finding_update, findings_sign_off, quote_tag
from scrutiny.models import (
    Action,
    ActionUpdate,
    Answer,
    Finding,
    Quote,
    Response,
    Scrutiny,
    Source,
    TrailEntry,
    User,
)
from scrutiny.retention import months_before, retention_run
from scrutiny.scorecard import comment_questions
from scrutiny.scoring import question_distributions, scrutiny_scores
from scrutiny.trail import trail_record
from surveys.models import Invitation, OpenDraft, Survey
from tests.scrutiny.test_workspace import scrutiny as scrutiny

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2029, 3, 31, 12, 0, tzinfo=LONDON)
DAY = dt.timedelta(days=1)
SURVEYS = (Source.PRACTITIONER_SURVEY, Source.BOARD_QUESTIONNAIRE, Source.FAMILY_FEEDBACK)


def _at(rows: QuerySet, moment: dt.datetime, field: str) -> None:
    """Backdates rows whose time the database sets itself (a test's fixed clock)."""
    QuerySet.update(rows, **{field: moment})


def database() -> dict[str, list[dict]]:
    return {
        m._meta.label: list(m._default_manager.order_by("pk").values()) for m in apps.get_models()
    }


@pytest.fixture
def world(demo_loaded, db, settings, tmp_path):
    """The demo scrutiny (loaded once for the module: tests.conftest.demo_loaded), ended 24
    months before NOW, its findings signed off with a quote; and around it, each kind of data
    on both sides of its period (in the test's own transaction)."""
    settings.MEDIA_ROOT = tmp_path
    scrutiny = Scrutiny.objects.get(slug=SCRUTINY_SLUG)
    partnership = scrutiny.partnership
    scrutineer = User.objects.get(partnership=partnership, role=User.Role.SCRUTINEER)
    comments = Answer.objects.counting().filter(response__scrutiny=scrutiny).exclude(text="")
    if connection.vendor == "postgresql":
        # The demo's rows are this test's transaction's own, so autovacuum never analyses them:
        # without statistics PostgreSQL plans the comment queries below as nested loops that
        # run for minutes. A live database is analysed as its rows are committed.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    factor, comment = next(
        (f, c)
        for f in scrutiny.factors.order_by("code")
        for c in comments.filter(comment_questions(factor=f), response__source__in=SURVEYS)[:1]
    )
    quote_tag(scrutiny=scrutiny, factor=factor, answer_id=comment.pk, user=scrutineer)
    for f in scrutiny.factors.all():
        finding = Finding(scrutiny=scrutiny, factor=f, drafted="")
        finding_update(
            finding=finding, strengths="Plans are shared.", improvements="", user=scrutineer
        )
    findings_sign_off(scrutiny=scrutiny, user=scrutineer)
    Scrutiny.objects.filter(pk=scrutiny.pk).update(ends=months_before(NOW, 24).date())
    # The demo's earlier scrutiny of the theme ends at NOW: none of its periods has passed.
    Scrutiny.objects.exclude(pk=scrutiny.pk).update(ends=NOW.date())

    # Drafts: one unchanged for exactly 90 days, one for a day less.
    version = Response.objects.filter(scrutiny=scrutiny).first().version
    for name, age in (("old-draft", 90), ("new-draft", 89)):
        draft = Response.objects.create(
            scrutiny=scrutiny,
            instrument=version.instrument,
            version=version,
            source=version.instrument.kind,
            channel=Response.Channel.API,
            ref=name,
        )
        _at(Response.objects.filter(pk=draft.pk), NOW - age * DAY, "updated_at")
    # Uploads: one 24 months old, one a day younger.
    action = Action.objects.filter(partnership=partnership).first()
    for name, moment in (
        ("old.pdf", months_before(NOW, 24)),
        ("new.pdf", months_before(NOW, 24) + DAY),
    ):
        update = ActionUpdate.objects.create(
            action=action,
            status="green",
            note=f"Note {name}",
            document=SimpleUploadedFile(name, b"%PDF-1.4"),
            document_name=name,
        )
        _at(ActionUpdate.objects.filter(pk=update.pk), moment, "at")
    # Trail: one entry 72 months old, one a day younger.
    for label, moment in (("old", months_before(NOW, 72)), ("new", months_before(NOW, 72) + DAY)):
        entry = trail_record(action="test", partnership=partnership, detail=label)
        _at(TrailEntry.objects.filter(pk=entry.pk), moment, "at")
    # Surveys of the practitioner survey: one closed 6 months ago, one a day later.
    tool = scrutiny.instruments.get(kind=Source.PRACTITIONER_SURVEY)
    council = partnership.agencies.first()
    closing = (
        ("old", months_before(NOW, 6)),
        ("new", months_before(NOW, 6) + DAY),
        ("recent", NOW - 89 * DAY),
    )
    for name, closes in closing:
        survey = Survey.objects.create(
            scrutiny=scrutiny,
            instrument=tool,
            title=name,
            opens_at=closes - 30 * DAY,
            closes_at=closes,
        )
        Invitation.objects.create(
            survey=survey,
            email=f"{name}.invitee@demo.invalid",
            agency=council,
            token_sha256=f"{name:0<64}",
            draft_values={"Q1": "yes"},
            current_step="0",
            draft_version=version,
        )
        OpenDraft.objects.create(survey=survey, key_sha256=f"{name:1<64}", started_at=closes.date())
        # An anonymous survey's invitation's draft, kept apart from it (invited_drafts).
        OpenDraft.objects.create(
            survey=survey,
            key_sha256=f"{name:2<64}",
            by_invitation=True,
            draft_values={"Q1": "no"},
            started_at=closes.date(),
        )
    return scrutiny


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _kept(scrutiny: Scrutiny) -> dict:
    """What must never change: scores, distributions, signed-off findings and quotes."""
    return {
        # To 9 places: PostgreSQL sums floats in the order it reads the rows, which an UPDATE of
        # other columns may change, so the last bits of a mean may differ; no score does.
        "scores": _rounded(dataclasses.asdict(scrutiny_scores(scrutiny=scrutiny))),
        "distributions": question_distributions(scrutiny=scrutiny),
        "findings": list(Finding.objects.filter(scrutiny=scrutiny).order_by("pk").values()),
        "quotes": list(Quote.objects.filter(scrutiny=scrutiny).order_by("pk").values()),
    }


def test_a_run_removes_exactly_what_passed_and_keeps_findings_and_scores(world):
    scrutiny = world
    kept = _kept(scrutiny)
    survey_text = Answer.objects.filter(
        response__scrutiny=scrutiny, response__source__in=SURVEYS, option__isnull=True
    )
    quoted = set(Quote.objects.filter(scrutiny=scrutiny).values_list("answer_id", flat=True))
    unquoted = survey_text.exclude(pk__in=quoted).count()
    superseded = Response.objects.filter(
        scrutiny=scrutiny, assignment__isnull=False, superseded_by__isnull=False
    ).count()
    assert unquoted and superseded

    report = retention_run(partnership=scrutiny.partnership, now=NOW)

    assert _kept(scrutiny) == kept
    counts = report.counts()
    assert counts["answers"]["free-text, number and date answers (removed)"] == unquoted
    assert set(survey_text.values_list("pk", flat=True)) == quoted
    assert not survey_text.exclude(text="").exists()
    assert not Response.objects.filter(
        scrutiny=scrutiny, source__in=SURVEYS, role__isnull=False
    ).exists()
    assert counts["contributions"]["agencies' own audits (removed)"] == superseded
    assert set(Response.objects.filter(status="draft").values_list("ref", flat=True)) == {
        "new-draft"
    }
    assert set(CaseFile.objects.values_list("case_ref", flat=True)) == {
        f"Case file {p}" for p in CaseFile.objects.values_list("position", flat=True)
    }
    assert not Response.objects.filter(scrutiny=scrutiny, case_ref__startswith="NW").exists()
    documents = dict(
        ActionUpdate.objects.exclude(document_name="").values_list("document_name", "document")
    )
    assert documents == {"old.pdf": "", "new.pdf": documents["new.pdf"]} and documents["new.pdf"]
    assert set(TrailEntry.objects.filter(action="test").values_list("detail", flat=True)) == {"new"}
    emails = set(Invitation.objects.values_list("email", flat=True))
    assert "new.invitee@demo.invalid" in emails and "old.invitee@demo.invalid" not in emails
    # Survey drafts count from the survey's close: 90 days for the two older, 89 for the last.
    # An open-link draft goes whole; an anonymous survey's invitation's keyed draft, as the
    # invitation, loses its answers and stays (it counts as started).
    ours = OpenDraft.objects.filter(survey__title__in=("old", "new", "recent"))
    assert sorted(ours.values_list("survey__title", "by_invitation", "draft_values")) == [
        ("new", True, {}),
        ("old", True, {}),
        ("recent", False, {}),
        ("recent", True, {"Q1": "no"}),
    ]
    # The demo's own surveys are open, so their invitations keep everything.
    drafts = dict(
        Invitation.objects.filter(survey__title__in=("old", "new", "recent")).values_list(
            "survey__title", "draft_values"
        )
    )
    assert drafts == {"old": {}, "new": {}, "recent": {"Q1": "yes"}}
    run = TrailEntry.objects.get(action="retention_run")
    assert run.data["counts"]["answers"] == counts["answers"]
    assert run.partnership == scrutiny.partnership


def test_a_day_short_of_the_scrutinys_periods_keeps_its_answers_and_audits(world):
    scrutiny = world
    Scrutiny.objects.filter(pk=scrutiny.pk).update(ends=months_before(NOW, 24).date() + DAY)
    responses = list(Response.objects.filter(status="submitted").order_by("pk").values())
    answers = Answer.objects.count()

    report = retention_run(partnership=scrutiny.partnership, now=NOW)

    assert report.counts()["answers"] == {
        "free-text, number and date answers (removed)": 0,
        "quoted comments emptied (the quote keeps its copy) (anonymised)": 0,
        "responses' role, reference, author and day (anonymised)": 0,
    }
    assert Answer.objects.count() == answers
    after = list(Response.objects.filter(status="submitted").order_by("pk").values())
    # Only the case lists (12 months) have passed: references relabelled, nothing else.
    strip = [{k: v for k, v in r.items() if k not in ("case_ref", "updated_at")} for r in responses]
    assert strip == [
        {k: v for k, v in r.items() if k not in ("case_ref", "updated_at")} for r in after
    ]
    assert (
        report.counts()["case_lists"]["sampled case references (anonymised)"]
        == CaseFile.objects.count()
    )


def test_a_dry_run_changes_nothing_and_reports_what_a_run_would_do(world):
    before = database()
    dry = retention_run(partnership=world.partnership, now=NOW, dry_run=True)
    assert database() == before
    assert dry.changed > 0
    real = retention_run(partnership=world.partnership, now=NOW)
    assert real.counts() == dry.counts()


def test_a_second_run_removes_nothing_more(world):
    retention_run(partnership=world.partnership, now=NOW)
    before = {k: v for k, v in database().items() if k != "scrutiny.TrailEntry"}
    again = retention_run(partnership=world.partnership, now=NOW)
    assert again.changed == 0
    assert {k: v for k, v in database().items() if k != "scrutiny.TrailEntry"} == before
    assert TrailEntry.objects.filter(action="retention_run").count() == 2


def test_the_audits_trail_expires_with_the_partnerships_trail(world):
    event, newer = (AuditEvent.objects.create(scrutiny=world, action="viewed") for _ in "ab")
    _at(AuditEvent.objects.filter(pk=newer.pk), months_before(NOW, 72) + DAY, "at")
    _at(AuditEvent.objects.filter(pk=event.pk), months_before(NOW, 72), "at")
    retention_run(partnership=world.partnership, now=NOW)
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.filter(pk=newer.pk).exists()


def test_the_command_prints_each_kind_and_refuses_an_unknown_partnership(world, capsys):
    call_command("retention", "--dry-run", "--partnership", world.partnership.slug)
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out
    for title in ("Raw survey answers", "Drafts never submitted", "Audit trail"):
        assert title in out
    with pytest.raises(Exception, match="There is no partnership 'nowhere'"):
        call_command("retention", "--partnership", "nowhere")
    assert not TrailEntry.objects.filter(action="retention_run").exists()
    json.dumps(world.partnership.slug)


def test_the_daily_beat_task_runs_every_partnership(world, settings):
    from scrutiny.tasks import retention_daily

    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == "scrutiny.tasks.retention_daily"
    assert retention_daily() == 0  # the world's dates lie ahead of the real clock
    assert TrailEntry.objects.filter(action="retention_run", partnership=world.partnership).exists()


def test_a_survey_response_keeps_only_the_month_of_every_moment(scrutiny):
    """It was submitted, and (anonymous) created, on the day it was answered: past the period
    neither says the day."""
    Scrutiny.objects.filter(pk=scrutiny.pk).update(ends=dt.date(2026, 1, 31))
    surveyed = Response.objects.filter(scrutiny=scrutiny, instrument__code="PS")
    moment = dt.datetime(2025, 11, 17, 9, 41, 7, tzinfo=dt.UTC)
    surveyed.update(submitted_at=moment, created_at=moment)
    retention_run(partnership=scrutiny.partnership, now=NOW)
    month = dt.datetime(2025, 11, 1, tzinfo=LONDON)
    assert set(surveyed.values_list("submitted_at", "created_at")) == {(month, month)}
    again = retention_run(partnership=scrutiny.partnership, now=NOW)
    assert not again.counts()["answers"]["responses' role, reference, author and day (anonymised)"]
