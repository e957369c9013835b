"""The workspace API: scorecard, evidence, findings, and the pack as a task."""

from __future__ import annotations

import pytest
from celery import current_app as celery_app
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from scrutiny import findings
from scrutiny.disclosure import redact
from scrutiny.models import Answer, Finding, Quote
from tests.scrutiny.test_workspace import PLANTED, writes
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_scorecard_and_evidence_leave_suppressed_and_redacted(scrutiny, scrutineer):
    rows = _api(scrutineer).get(reverse("api-workspace-scorecard", args=[SLUG])).json()
    assert [(r["code"], r["score"], r["rating"], r["divergent"]) for r in rows] == [
        ("SF1", 46.8, "limited", True),
        ("SF2", None, "insufficient", False),
    ]
    evidence = _api(scrutineer).get(reverse("api-workspace-evidence", args=[SLUG, "SF1"])).json()
    assert {c["code"]: c["suppressed"] for c in evidence["agencies"]} == {
        "EDU": True,
        "FHC": False,
        "POL": True,
    }
    assert all(c["score"] is None for c in evidence["agencies"] if c["suppressed"])
    body = str(evidence)
    assert "[removed]" in body and not any(p in body for p in PLANTED.values())
    searched = (
        _api(scrutineer)
        .get(reverse("api-workspace-evidence", args=[SLUG, "SF1"]), {"q": "briefing"})
        .json()
    )
    assert [c["text"] for c in searched["comments"]] == [
        "Our team briefing on the review was excellent."
    ]


def test_reading_the_scorecard_evidence_and_findings_writes_nothing(scrutiny, scrutineer):
    client = _api(scrutineer)
    for name, args in (
        ("api-workspace-scorecard", [SLUG]),
        ("api-workspace-evidence", [SLUG, "SF1"]),
        ("api-workspace-findings", [SLUG]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=args)).status_code == 200
        assert writes(queries) == [], name
    assert not Finding.objects.exists()
    listed = client.get(reverse("api-workspace-findings", args=[SLUG])).json()
    # The words drafted are those a finding stored from the same data holds.
    stored = findings.findings_ensure(scrutiny=scrutiny)
    assert [f["drafted"] for f in listed] == [redact(f.drafted, scrutiny=scrutiny) for f in stored]


def test_a_quote_leaves_redacted(scrutiny, scrutineer):
    # A quote kept before its case was audited holds the reference the redaction now knows.
    Quote.objects.create(
        scrutiny=scrutiny,
        factor=scrutiny.factors.get(code="SF1"),
        answer=Answer.objects.filter(question__code="Q7").exclude(text="").first(),
        text=f"Seen again in {PLANTED['case']}.",
        source="practitioner_survey",
    )
    evidence = _api(scrutineer).get(reverse("api-workspace-evidence", args=[SLUG, "SF1"])).json()
    assert evidence["quotes"] == ["Seen again in [removed]."]
    assert PLANTED["case"] not in str(evidence)


def test_findings_are_written_and_signed_off(scrutiny, scrutineer):
    client = _api(scrutineer)
    listed = client.get(reverse("api-workspace-findings", args=[SLUG])).json()
    assert [f["factor"] for f in listed] == ["SF1", "SF2"]
    assert "Limited evidence: 46.8" in listed[0]["drafted"]
    refused = client.post(reverse("api-workspace-sign-off", args=[SLUG]))
    assert refused.status_code == 400 and "SF1, SF2" in refused.json()["detail"]
    for code in ("SF1", "SF2"):
        saved = client.put(
            reverse("api-workspace-finding", args=[SLUG, code]),
            {
                "strengths": ["Briefings land (PS Q6)."],
                "improvements": [f"Call {PLANTED['phone']}"],
            },
            format="json",
        )
        assert saved.status_code == 200
        assert saved.json()["improvements"] == ["Call [removed]"]  # redacted on the way out
    signed = client.post(reverse("api-workspace-sign-off", args=[SLUG]))
    assert signed.status_code == 200 and all(f["signed_off_at"] for f in signed.json())
    late = client.put(
        reverse("api-workspace-finding", args=[SLUG, "SF1"]), {"strengths": ["x"]}, format="json"
    )
    assert late.status_code == 400 and "can no longer change" in late.json()["detail"]
    assert Finding.objects.get(factor__code="SF1").strengths == "Briefings land (PS Q6)."


def test_the_pack_is_built_as_a_task_followed_and_downloaded(
    scrutiny, scrutineer, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.MEDIA_ROOT = tmp_path
    client = _api(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("api-workspace-packs", args=[SLUG]))
    assert started.status_code == 202 and started.json()["status"] == "queued"
    pack = client.get(reverse("api-workspace-pack", args=[SLUG, started.json()["id"]])).json()
    assert (pack["status"], pack["progress"]) == ("done", 100)
    pdf = client.get(pack["pdf"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(pack["xlsx"]).status_code == 200


def test_other_readers_are_refused_and_strangers_not_told(scrutiny, board_member, auditor_police):
    url = reverse("api-workspace-scorecard", args=[SLUG])
    assert _api(board_member).get(url).status_code == 403
    assert _api(auditor_police).get(url).status_code == 404
    assert _api(board_member).post(reverse("api-workspace-packs", args=[SLUG])).status_code == 403
