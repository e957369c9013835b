"""The API of the audits' progress, agreement and moderation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Assignment, AuditEvent, Moderation
from scrutiny.models import Response
from tests.audits.conftest_moderation import answers, make_audits
from tests.audits.conftest_moderation import audits as audits
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(audits, council, police, area, auditor_council, auditor_police):
    case = audits.case("C-0042", area=area)
    audits.submit(audits.assign(case, council, auditor=auditor_council), answers(q6="4"))
    audits.submit(audits.assign(case, police, auditor=auditor_police), answers(q6="1"))
    return case


def api(name: str, *args: object) -> str:
    return reverse(name, args=args)


def test_paths():
    assert api("api-audit-progress", "s") == "/api/scrutinies/s/audits/progress/"
    assert api("api-audit-agreement", "s") == "/api/scrutinies/s/audits/agreement/"
    assert api("api-audit-moderation", "s", 3) == "/api/scrutinies/s/audits/cases/3/moderation/"


def test_progress(audits, case, council, scrutineer):
    late = audits.case("C-0043", group="South")
    audits.assign(late, council, due=timezone.localdate() - dt.timedelta(days=1))
    data = client_for(scrutineer).get(api("api-audit-progress", audits.scrutiny.slug)).json()
    assert data["scrutiny"] == audits.scrutiny.slug
    assert data["totals"] == {
        "assignments": 3,
        "not_started": 1,
        "draft": 0,
        "submitted": 2,
        "moderated": 0,
        "overdue": 1,
    }
    assert data["cases"][0] == {
        "id": case.pk,
        "position": 0,
        "case_ref": "C-0042",
        "group": "North",
        "area": "NTH",
        "stage": "Ready to moderate",
        "moderated_at": None,
        "stale": False,
        "counts": {
            "assignments": 2,
            "not_started": 0,
            "draft": 0,
            "submitted": 2,
            "moderated": 0,
            "overdue": 0,
        },
    }
    assert data["cases"][1]["stage"] == "Not started"


def test_agreement(audits, council, scrutineer):
    for i, (first, second) in enumerate([("4", "4"), ("3", "2")]):
        case = audits.case(f"C-{i}")
        audits.submit(audits.assign(case, council), answers(q6=first))
        audits.submit(audits.assign(case, council, role=Assignment.Role.SECOND), answers(q6=second))
    data = client_for(scrutineer).get(api("api-audit-agreement", audits.scrutiny.slug)).json()
    (tool,) = data["tools"]
    assert (tool["instrument"], tool["audit_pairs"]) == ("MACFA", 2)
    q6 = next(q for q in tool["questions"] if q["code"] == "Q6")
    # (4, 4) (3, 2): po = 1/2, pe = 1/4, kappa = 1/3 (worked in test_agreement).
    assert q6["agreement"] == {
        "compared": 2,
        "agreed": 1,
        "percent": 50.0,
        "kappa": pytest.approx(1 / 3),
        "kappa_words": "Fair",
    }
    q1 = next(q for q in tool["questions"] if q["code"] == "Q1")
    assert (q1["agreement"]["percent"], q1["agreement"]["kappa"]) == (100.0, None)


def test_moderation_sheet(audits, case, scrutineer):
    url = api("api-audit-moderation", audits.scrutiny.slug, case.pk)
    data = client_for(scrutineer).get(url).json()
    assert (data["case_ref"], data["instrument"], data["version"]) == ("C-0042", "MACFA", 1)
    assert (data["ready"], data["outstanding"], data["moderated"]) == (True, [], False)
    assert [c["agency"] for c in data["contributions"]] == ["FHC", "POL"]
    assert data["contributions"][0]["status"] == "submitted"
    q6 = next(q for q in data["questions"] if q["code"] == "Q6")
    assert q6["answers"] == [
        {"agency": "FHC", "role": "first", "value": "4", "display": "Outstanding"},
        {"agency": "POL", "role": "first", "value": "1", "display": "Inadequate"},
    ]
    assert (q6["disagree"], q6["agreed"]) == (True, None)
    q3 = next(q for q in data["questions"] if q["code"] == "Q3")
    assert q3["answers"][0]["value"] == ["briefing"]
    # Reading every agency's answers is in the audit trail, as on the page.
    viewed = AuditEvent.objects.get(case=case, action=AuditEvent.Action.VIEWED)
    assert viewed.user == scrutineer and "Moderation API" in viewed.detail


def test_record_moderation(audits, case, scrutineer):
    url = api("api-audit-moderation", audits.scrutiny.slug, case.pk)
    client = client_for(scrutineer)
    response = client.post(
        url,
        {"values": answers(q6="3"), "rationales": {"Q6": "Agreed at the meeting."}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["moderated"] is True
    assert data["moderated_by"] == str(scrutineer)
    q6 = next(q for q in data["questions"] if q["code"] == "Q6")
    assert (q6["agreed"], q6["agreed_display"], q6["rationale"]) == (
        "3",
        "Good",
        "Agreed at the meeting.",
    )
    moderation = Moderation.objects.get(case=case)
    assert Response.objects.filter(superseded_by=moderation.agreed_response).count() == 2


def test_record_errors_are_400_and_change_nothing(audits, case, council, scrutineer):
    url = api("api-audit-moderation", audits.scrutiny.slug, case.pk)
    client = client_for(scrutineer)
    before = Response.objects.count()
    response = client.post(
        url, {"values": answers(q6="3", G1="7")}, content_type="application/json"
    )
    assert response.status_code == 400
    data = response.json()
    assert set(data["errors"]) == {"G1"}
    assert set(data["rationale_errors"]) == {"Q6"}
    assert "the agencies' answers differ" in data["rationale_errors"]["Q6"]
    bad = client.post(url, {"rationales": {}}, content_type="application/json")
    assert bad.status_code == 400 and "values" in bad.json()
    # A case still waiting for an agency.
    waiting = audits.case("C-0044")
    audits.draft(audits.assign(waiting, council), answers())
    response = client.post(
        api("api-audit-moderation", audits.scrutiny.slug, waiting.pk),
        {"values": answers()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["outstanding"] == ["Fernhill Council (FHC)"]
    assert Response.objects.count() == before + 1  # the draft above, nothing else
    assert not Moderation.objects.exists()


def test_only_those_who_run_audits(
    audits, case, partnership, auditor_council, board_member, business_unit
):
    slug = audits.scrutiny.slug
    paths = [
        api("api-audit-progress", slug),
        api("api-audit-agreement", slug),
        api("api-audit-moderation", slug, case.pk),
    ]
    for user in (auditor_council, board_member):
        client = client_for(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user.role, path)
        assert (
            client.post(paths[2], {"values": answers()}, content_type="application/json")
        ).status_code == 404
    for path in paths:
        assert client_for(business_unit).get(path).status_code == 200
    other = make_audits(partnership, slug="neglect")
    foreign = api("api-audit-moderation", slug, other.case("N-1").pk)
    assert client_for(business_unit).get(foreign).status_code == 404
    assert not Moderation.objects.exists()


def test_schema_describes_the_operations(scrutineer):
    schema = client_for(scrutineer).get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = schema.json()["paths"]
    moderation = paths["/api/scrutinies/{slug}/audits/cases/{case_id}/moderation/"]
    assert moderation["get"]["operationId"] == "audit_moderation_detail"
    assert moderation["post"]["operationId"] == "audit_moderation_record"
    assert paths["/api/scrutinies/{slug}/audits/progress/"]["get"]["operationId"] == (
        "audit_progress"
    )
    assert "/api/scrutinies/{slug}/audits/agreement/" in paths
