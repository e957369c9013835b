"""The audits API: the caller's audits, one audit's answers, drafts with optimistic locking,
submitting, reopening, immediate concerns and assigning."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import completion
from audits.models import Assignment, AuditEvent, ImmediateConcern
from scrutiny.models import Response
from tests.audits.builders_completion import CASE_REFS, COMPLETE, SLUG, assign
from tests.audits.builders_completion import audit_scrutiny as audit_scrutiny
from tests.audits.builders_completion import cases as cases
from tests.audits.builders_completion import council_audit as council_audit
from tests.audits.builders_completion import eager_tasks as eager_tasks
from tests.audits.builders_completion import police_audit as police_audit
from tests.audits.builders_completion import second_council_auditor as second_council_auditor
from tests.audits.builders_completion import tool as tool
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def put(client, path: str, data: dict):
    return client.put(path, json.dumps(data), content_type="application/json")


def post(client, path: str, data: dict):
    return client.post(path, json.dumps(data), content_type="application/json")


def test_my_audits_only(council_audit, police_audit, auditor_council):
    data = client_for(auditor_council).get(url("api-audit-list")).json()
    assert data == [
        {
            "id": council_audit.pk,
            "scrutiny": SLUG,
            "case_ref": "CF-1042",
            "agency": "FHC",
            "role": "first",
            "due": council_audit.due.isoformat(),
            "status": "not_started",
            "status_words": "Not started",
            "revision": 0,
            "current_step": "",
        }
    ]


def test_my_audits_take_the_same_queries_however_many(cases, council, auditor_council):
    client = client_for(auditor_council)
    assign(cases[0], council, auditor_council)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url("api-audit-list")).json()) == 1
    for case in cases[1:]:
        assign(case, council, auditor_council)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url("api-audit-list")).json()) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_detail_with_answers_revision_and_status(council_audit, auditor_council):
    completion.audit_save_page(
        assignment=council_audit,
        revision=0,
        step="1",
        values={"Q1": "yes", "Q3": ["briefing"]},
        user=auditor_council,
    )
    data = client_for(auditor_council).get(url("api-audit-detail", council_audit.pk)).json()
    assert data["values"] == {"Q1": "yes", "Q3": ["briefing"]}
    assert (data["revision"], data["status"], data["current_step"]) == (1, "draft", "1")
    assert (data["instrument"], data["version"], data["auditor"]) == (
        "AUDIT",
        1,
        auditor_council.email,
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED).count() == 1


def test_404_for_what_the_caller_may_not_see(council_audit, auditor_police, board_member):
    for user in (auditor_police, board_member):
        client = client_for(user)
        assert client.get(url("api-audit-detail", council_audit.pk)).status_code == 404
        assert (
            put(
                client, url("api-audit-draft", council_audit.pk), {"values": {}, "revision": 0}
            ).status_code
            == 404
        )
        for name, body in (
            ("api-audit-submit", {"revision": 0}),
            ("api-audit-reopen", {"reason": "x"}),
            ("api-audit-concern", {"concern": "x"}),
        ):
            assert post(client, url(name, council_audit.pk), body).status_code == 404, name
    assert Response.objects.count() == 0
    assert ImmediateConcern.objects.count() == 0


class TestDraft:
    def test_saves_then_refuses_a_stale_revision_with_409(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        path = url("api-audit-draft", council_audit.pk)
        saved = put(client, path, {"values": {"Q1": "no"}, "revision": 0, "step": "1"})
        assert saved.status_code == 200
        assert saved.json() == {
            "id": council_audit.pk,
            "status": "draft",
            "status_words": "In draft",
            "revision": 1,
            "current_step": "1",
        }
        stale = put(client, path, {"values": {"Q1": "yes", "Q2": "Other"}, "revision": 0})
        assert stale.status_code == 409
        assert stale.json()["revision"] == 1
        assert "changed in another tab or by someone else" in stale.json()["detail"]
        council_audit.refresh_from_db()
        assert completion.audit_values(council_audit) == {"Q1": "no"}
        assert council_audit.revision == 1

    def test_bad_input_is_a_400_and_changes_nothing(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        path = url("api-audit-draft", council_audit.pk)
        wrong = put(client, path, {"values": {"Q1": "maybe", "Q9": "x"}, "revision": 0})
        assert wrong.status_code == 400
        assert set(wrong.json()["errors"]) == {"Q1", "Q9"}
        assert put(client, path, {"values": {"Q1": "no"}}).status_code == 400  # no revision
        assert put(client, path, {"values": {}, "revision": 0, "step": "9"}).status_code == 400
        council_audit.refresh_from_db()
        assert (council_audit.revision, council_audit.response) == (0, None)

    def test_only_the_auditor_saves(self, council_audit, second_council_auditor):
        path = url("api-audit-draft", council_audit.pk)
        refused = put(client_for(second_council_auditor), path, {"values": {}, "revision": 0})
        assert refused.status_code == 404


class TestSubmitAndReopen:
    def test_submit_validates_the_whole_audit(self, council_audit, auditor_council):
        client = client_for(auditor_council)
        put(
            client,
            url("api-audit-draft", council_audit.pk),
            {"values": {"Q1": "yes"}, "revision": 0},
        )
        path = url("api-audit-submit", council_audit.pk)
        incomplete = post(client, path, {"revision": 1})
        assert incomplete.status_code == 400
        assert set(incomplete.json()["errors"]) == {"Q2", "Q6"}
        assert post(client, path, {"revision": 0}).status_code == 409
        put(client, url("api-audit-draft", council_audit.pk), {"values": COMPLETE, "revision": 1})
        done = post(client, path, {"revision": 2})
        assert done.status_code == 200
        assert (done.json()["status"], done.json()["revision"]) == ("submitted", 3)
        locked = put(
            client, url("api-audit-draft", council_audit.pk), {"values": {}, "revision": 3}
        )
        assert locked.status_code == 400 and "locked" in locked.json()["detail"]

    def test_reopen_needs_a_reason_and_a_right(
        self, council_audit, auditor_council, second_council_auditor, scrutineer
    ):
        client = client_for(auditor_council)
        put(client, url("api-audit-draft", council_audit.pk), {"values": COMPLETE, "revision": 0})
        post(client, url("api-audit-submit", council_audit.pk), {"revision": 1})
        path = url("api-audit-reopen", council_audit.pk)
        assert post(client_for(scrutineer), path, {"reason": ""}).status_code == 400
        assert post(client_for(scrutineer), path, {}).status_code == 400
        colleague = post(client_for(second_council_auditor), path, {"reason": "Mine now"})
        assert colleague.status_code == 403
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.SUBMITTED
        reopened = post(client_for(scrutineer), path, {"reason": "Wrong plan graded"})
        assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
        event = AuditEvent.objects.get(action=AuditEvent.Action.REOPENED)
        assert (event.user, event.detail) == (scrutineer, "Wrong plan graded")

    def test_an_auditor_may_not_reopen_their_own_once_the_blind_pair_is_both_submitted(
        self, council_audit, council, second_council_auditor, business_unit
    ):
        second = assign(
            council_audit.case, council, second_council_auditor, role=Assignment.Role.SECOND
        )
        for audit in (council_audit, second):
            client = client_for(audit.auditor)
            put(client, url("api-audit-draft", audit.pk), {"values": COMPLETE, "revision": 0})
            post(client, url("api-audit-submit", audit.pk), {"revision": 1})
        path = url("api-audit-reopen", council_audit.pk)
        refused = post(client_for(council_audit.auditor), path, {"reason": "A typo"})
        assert refused.status_code == 400
        assert (
            "only the business unit or the scrutineer can reopen yours"
            in (refused.json()["detail"])
        )
        council_audit.refresh_from_db()
        assert council_audit.response.status == Response.Status.SUBMITTED
        reopened = post(client_for(business_unit), path, {"reason": "Asked by the panel"})
        assert reopened.status_code == 200 and reopened.json()["status"] == "draft"


def test_concern_tells_the_lead_without_case_details(
    council_audit, auditor_council, partnership, django_capture_on_commit_callbacks
):
    partnership.safeguarding_lead_email = "dana.lead@fernhill.invalid"
    partnership.save()
    path = url("api-audit-concern", council_audit.pk)
    assert post(client_for(auditor_council), path, {"concern": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        raised = post(client_for(auditor_council), path, {"concern": "Bruises, CF-1042."})
    assert raised.status_code == 201
    body = raised.json()
    concern = ImmediateConcern.objects.get()
    assert body["id"] == concern.pk and body["told"] == "lead"
    assert body["url"].endswith(url("audit-concern-detail", concern.pk))
    (message,) = mail.outbox
    for ref in CASE_REFS:
        assert ref not in message.body and ref not in message.subject
    assert "Bruises" not in message.body


class TestAssign:
    def path(self) -> str:
        return url("api-assignment-create", SLUG)

    def test_creates_all_and_emails_each_auditor(
        self,
        cases,
        auditor_council,
        auditor_police,
        business_unit,
        django_capture_on_commit_callbacks,
    ):
        due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        items = [
            {"case_ref": ref, "agency": agency, "auditor": auditor.email, "due": due}
            for ref in CASE_REFS[:2]
            for agency, auditor in (("FHC", auditor_council), ("POL", auditor_police))
        ]
        with django_capture_on_commit_callbacks(execute=True):
            made = post(client_for(business_unit), self.path(), {"assignments": items})
        assert made.status_code == 201
        assert [(a["case_ref"], a["agency"], a["status"]) for a in made.json()] == [
            ("CF-1042", "FHC", "not_started"),
            ("CF-1042", "POL", "not_started"),
            ("CF-0087", "FHC", "not_started"),
            ("CF-0087", "POL", "not_started"),
        ]
        assert len(mail.outbox) == 2

    def test_bad_items_are_a_400_and_nothing_is_made(
        self, cases, police, auditor_council, business_unit
    ):
        due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        client = client_for(business_unit)
        items = [
            {"case_ref": "CF-1042", "agency": "FHC", "auditor": auditor_council.email, "due": due},
            {"case_ref": "CF-NOPE", "agency": "XXX", "auditor": "nobody@x.invalid", "due": due},
            {"case_ref": "CF-0087", "agency": "POL", "auditor": auditor_council.email, "due": due},
        ]
        refused = post(client, self.path(), {"assignments": items})
        assert refused.status_code == 400
        assert set(refused.json()["errors"]) == {"1"}
        assert "'CF-NOPE' is not in the scrutiny's sample" in refused.json()["errors"]["1"]
        items.pop(1)
        refused = post(client, self.path(), {"assignments": items})
        assert refused.status_code == 400
        assert refused.json()["errors"] == {
            "1": f"{auditor_council.full_name} is not an active auditor of Fernhill Police."
        }
        assert post(client, self.path(), {"assignments": []}).status_code == 400
        assert Assignment.objects.count() == 0

    def test_only_those_who_run_audits(self, cases, auditor_council, board_member):
        body = {"assignments": []}
        for user in (auditor_council, board_member):
            assert post(client_for(user), self.path(), body).status_code == 404


def test_the_schema_describes_the_audit_operations(auditor_council):
    schema = client_for(auditor_council).get(
        url("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    assert "put" in paths["/api/audits/{assignment_id}/draft/"]
    assert "409" in paths["/api/audits/{assignment_id}/draft/"]["put"]["responses"]
    assert "post" in paths["/api/scrutinies/{slug}/assignments/"]
    assert schema.json()["components"]["schemas"]["AuditStatus"]["enum"] == [
        "not_started",
        "draft",
        "submitted",
        "moderated",
        "overdue",
    ]
