"""The action plan's API: who sees and changes what (as on the pages), drafting and carrying a
scrutiny's plan, actions written and changed with bad input changing nothing, updates with
evidence of impact (Blue refused without it), redaction on the way out, and query counts that
stay flat as the plan grows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scrutiny import plan as actions
from scrutiny.models import Action, ActionUpdate, Brag, Outcome, Partnership, Priority, User
from tests.conftest import client_for
from tests.scrutiny.test_actions import _earlier_action
from tests.scrutiny.test_actions import earlier as earlier
from tests.scrutiny.test_actions import signed as signed
from tests.scrutiny.test_workspace import PLANTED
from tests.scrutiny.test_workspace import scrutiny as scrutiny

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"
MOVED = (
    "SF1 went from 26.7 (limited evidence) in LfP 2024 to 46.8 (limited evidence) in "
    "Learning from Practice 2026: +20.1 points."
)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _detail(action) -> str:
    return reverse("api-action-detail", args=[action.pk])


def _updates(action) -> str:
    return reverse("api-action-updates", args=[action.pk])


@pytest.fixture
def drafted(signed, council, police):
    """Two drafted actions: SF1's the council's, SF2's the police's."""
    first, second = actions.actions_draft(scrutiny=signed)
    first.responsible, second.responsible = council, police
    first.save()
    second.save()
    return first, second


def _plan_texts(body) -> list[str]:
    return [
        action["text"]
        for priority in body["priorities"]
        for outcome in priority["outcomes"]
        for action in outcome["actions"]
    ] + [action["text"] for action in body["unplaced"]]


# Who sees and changes what --------------------------------------------------------------------


def test_who_sees_the_plan(
    drafted, business_unit, scrutineer, board_member, agency_lead, auditor_police, practitioner
):
    council_action, police_action = drafted
    both = {council_action.text, police_action.text}
    for reader in (business_unit, scrutineer, board_member):
        body = _api(reader).get(reverse("api-plan")).json()
        assert set(_plan_texts(body)) == both
        assert body["key"] == {
            "blue": "Complete",
            "green": "On track",
            "amber": "At risk",
            "red": "Off track",
        }
        listed = _api(reader).get(reverse("api-action-list")).json()
        assert {a["text"] for a in listed} == both
    # The council's lead: the council's action only, everywhere; the police's is not there.
    lead = _api(agency_lead)
    body = lead.get(reverse("api-plan")).json()
    assert _plan_texts(body) == [council_action.text]
    assert [o["text"] for o in body["priorities"][0]["outcomes"]] == [
        "SF1 Plans are good.",
        "SF2 Learning reaches all.",
    ]
    assert [a["id"] for a in lead.get(reverse("api-action-list")).json()] == [council_action.pk]
    assert lead.get(_detail(council_action)).status_code == 200
    assert lead.get(_detail(police_action)).status_code == 404
    assert lead.get(_updates(police_action)).status_code == 404
    # Those who may not read the plan: nothing.
    for outsider in (auditor_police, practitioner):
        api = _api(outsider)
        assert api.get(reverse("api-plan")).status_code == 404
        assert api.get(reverse("api-action-list")).json() == []
        assert api.get(_detail(police_action)).status_code == 404
        assert api.get(_updates(police_action)).status_code == 404
        assert api.post(reverse("api-action-list"), {"text": "X"}, format="json").status_code == 404
    assert APIClient().get(reverse("api-plan")).status_code in (401, 403)


def test_the_board_reads_and_the_agency_lead_updates_their_own(drafted, board_member, agency_lead):
    council_action, police_action = drafted
    update = {"status": "amber", "note": "Re-audit slipped a month."}
    board = _api(board_member)
    detail = board.get(_detail(council_action)).json()
    assert (detail["responsible"], detail["status"], detail["status_label"]) == (
        "FHC",
        "green",
        "Green: On track",
    )
    refused = [
        board.post(_updates(council_action), update, format="json"),
        board.patch(_detail(council_action), {"text": "Changed"}, format="json"),
        board.post(reverse("api-action-list"), {"text": "Other work"}, format="json"),
        board.post(reverse("api-scrutiny-actions-draft", args=[SLUG])),
        board.post(reverse("api-scrutiny-actions-carry", args=[SLUG])),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert "Only the business unit" in refused[0].json()["detail"]
    assert Action.objects.count() == 2 and not ActionUpdate.objects.exists()
    council_action.refresh_from_db()
    assert (council_action.text, council_action.status) == (detail["text"], Brag.GREEN)

    lead = _api(agency_lead)
    saved = lead.post(_updates(council_action), update, format="json")
    assert saved.status_code == 201
    assert saved.json()["status_label"] == "Amber: At risk"
    assert saved.json()["by"] == agency_lead.get_full_name()
    council_action.refresh_from_db()
    assert council_action.status == Brag.AMBER
    assert council_action.updates.get().by == agency_lead
    assert lead.post(_updates(police_action), update, format="json").status_code == 404
    assert lead.patch(_detail(council_action), {"text": "X"}, format="json").status_code == 403
    assert lead.patch(_detail(police_action), {"text": "X"}, format="json").status_code == 404
    assert lead.post(reverse("api-action-list"), {"text": "X"}, format="json").status_code == 403
    # Drafting is the scrutiny's, which an agency lead cannot see.
    assert lead.post(reverse("api-scrutiny-actions-draft", args=[SLUG])).status_code == 404
    police_action.refresh_from_db()
    assert police_action.status == Brag.GREEN


# Drafting and writing -------------------------------------------------------------------------


def test_nothing_is_drafted_before_the_findings_are_signed_off(scrutiny, scrutineer):
    response = _api(scrutineer).post(reverse("api-scrutiny-actions-draft", args=[SLUG]))
    assert response.status_code == 400
    assert "has no signed-off findings yet" in response.json()["detail"]
    assert not Action.objects.exists()


def test_the_scrutineer_drafts_the_plan_from_the_findings(signed, scrutineer):
    api = _api(scrutineer)
    url = reverse("api-scrutiny-actions-draft", args=[SLUG])
    response = api.post(url)
    assert response.status_code == 200
    rows = response.json()
    assert [(a["factor"], a["scrutiny"], a["status"]) for a in rows] == [
        ("SF1", SLUG, "green"),
        ("SF2", SLUG, "green"),
    ]
    assert rows[0]["text"] == "Re-audit drift in SF1 cases. Supervision audit."
    assert rows[0]["outcome"]["text"] == "SF1 Plans are good."
    assert rows[0]["priority"]["title"] == "Learning from Practice 2026"
    assert rows[0]["measures"] == "SF1 moves at the next scrutiny of the theme."
    assert rows[0]["movement"] is None and rows[0]["carried_from"] is None
    assert api.post(url).json() == []  # running it again adds nothing
    assert Action.objects.count() == 2
    listed = api.get(reverse("api-action-list"), {"scrutiny": SLUG}).json()
    assert [a["factor"] for a in listed] == ["SF1", "SF2"]


def test_an_action_of_other_work_is_added_and_bad_input_changes_nothing(
    partnership, scrutineer, council
):
    api = _api(scrutineer)
    url = reverse("api-action-list")
    bad = [
        ({"text": " "}, "Write the action: what will be done."),
        ({"text": "A", "lead_email": "sam@fernhill.invalid"}, "named lead's name"),
        ({"text": "A", "responsible": "NOPE"}, "No agency of the partnership has the code"),
        ({"text": "A", "timescale": "31/02/2027"}, "Enter a date, for example 2027-03-31."),
        ({"text": "A", "lead_email": "not an email"}, "Enter an email address"),
        ({"text": "A", "outcome": 999999}, "The plan has no outcome 999999"),
        ({}, "Write the action: what will be done."),
    ]
    for data, message in bad:
        response = api.post(url, data, format="json")
        assert response.status_code == 400, data
        assert message in str(response.json()), data
    assert not Action.objects.exists()
    response = api.post(
        url,
        {
            "text": "Relaunch the neglect toolkit",
            "responsible": "FHC",
            "lead_name": "Sam Okafor",
            "lead_email": "Sam.Okafor@Fernhill.invalid",
            "timescale": "2027-03-31",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["responsible"], body["lead_email"], body["timescale"], body["scrutiny"]) == (
        "FHC",
        "sam.okafor@fernhill.invalid",
        "2027-03-31",
        None,
    )
    assert body["responsible_text"] == "Fernhill Council, Sam Okafor"
    assert body["outcome"] is None and body["priority"] is None
    plan = api.get(reverse("api-plan")).json()
    assert [a["id"] for a in plan["unplaced"]] == [body["id"]]


def test_an_action_is_changed_by_patch_and_bad_input_changes_nothing(drafted, scrutineer, police):
    action = drafted[0]
    api = _api(scrutineer)
    before = api.get(_detail(action)).json()
    other = Partnership.objects.create(name="Elsewhere Partnership")
    elsewhere = Outcome.objects.create(
        priority=Priority.objects.create(partnership=other, title="Elsewhere"), text="Theirs"
    )
    bad = [
        ({"lead_email": "not an email", "timescale": "2027-02-31"}, "Enter an email address"),
        ({"lead_email": "sam@fernhill.invalid"}, "named lead's name"),
        ({"text": ""}, "Write the action: what will be done."),
        ({"outcome": elsewhere.pk}, f"The plan has no outcome {elsewhere.pk}"),
        ({"responsible": "XX"}, "No agency of the partnership has the code “XX”"),
    ]
    for data, message in bad:
        response = api.patch(_detail(action), data, format="json")
        assert response.status_code == 400, data
        assert message in str(response.json()), data
    assert api.get(_detail(action)).json() == before
    # A flag is answered by a new timescale.
    Action.objects.filter(pk=action.pk).update(
        flagged_at=timezone.now(), flag_reason="Overdue: its timescale was 1 March 2026"
    )
    response = api.patch(
        _detail(action),
        {
            "lead_name": "Sam Okafor",
            "lead_email": "sam.okafor@fernhill.invalid",
            "timescale": "2027-03-31",
            "responsible": "POL",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["lead_name"], body["timescale"], body["responsible"]) == (
        "Sam Okafor",
        "2027-03-31",
        "POL",
    )
    assert (body["flagged_at"], body["flag_reason"]) == (None, "")
    # What the patch left out is kept.
    assert (body["text"], body["outcome"], body["measures"]) == (
        before["text"],
        before["outcome"],
        before["measures"],
    )
    action.refresh_from_db()
    assert (action.responsible, action.timescale) == (police, dt.date(2027, 3, 31))
    cleared = api.patch(_detail(action), {"outcome": None, "timescale": None}, format="json")
    assert cleared.json()["outcome"] is None and cleared.json()["timescale"] is None


def test_bad_filters_say_what_to_give(drafted, scrutineer):
    api = _api(scrutineer)
    url = reverse("api-action-list")
    response = api.get(url, {"status": "purple"})
    assert response.status_code == 400
    assert "Filter by a status of blue, green, amber or red" in response.json()["status"][0]
    response = api.get(url, {"scrutiny": "lfp-1999"})
    assert response.status_code == 400
    assert response.json()["scrutiny"] == [
        "No scrutiny is called “lfp-1999”: see /api/scrutinies/."
    ]
    actions.action_update(action=drafted[1], status=Brag.RED, note="Stalled.", user=scrutineer)
    red = api.get(url, {"status": "red", "scrutiny": SLUG}).json()
    assert [(a["id"], a["status_label"], a["latest_update"]) for a in red] == [
        (drafted[1].pk, "Red: Off track", "Stalled.")
    ]


# Updates and evidence of impact ---------------------------------------------------------------


def test_blue_is_refused_without_evidence_and_accepted_with_an_audit(drafted, scrutineer):
    action = drafted[0]
    api = _api(scrutineer)
    response = api.post(_updates(action), {"status": "blue", "note": "Done."}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Blue means complete and evidenced")
    response = api.post(_updates(action), {"status": "green", "note": " "}, format="json")
    assert response.json()["detail"] == "Write an update: what has happened since the last one."
    response = api.post(_updates(action), {"status": "done", "note": "x"}, format="json")
    assert "Choose Blue, Green, Amber or Red" in response.json()["status"][0]
    action.refresh_from_db()
    assert action.status == Brag.GREEN and not ActionUpdate.objects.exists()
    api.post(_updates(action), {"status": "amber", "note": "Re-audit delayed."}, format="json")
    response = api.post(
        _updates(action),
        {
            "status": "blue",
            "note": "Re-audit in March: drift in 1 of 12 files, down from 7.",
            "evidence_kind": "audit",
            "evidence": "March re-audit report, section 3",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["status_label"], body["evidence_kind"]) == (
        "blue",
        "Blue: Complete",
        "audit",
    )
    assert body["document"] is None and body["evidence"] == "March re-audit report, section 3"
    history = api.get(_updates(action)).json()
    assert [(u["status"], u["note"]) for u in history] == [
        ("blue", "Re-audit in March: drift in 1 of 12 files, down from 7."),
        ("amber", "Re-audit delayed."),
    ]
    assert api.get(_detail(action)).json()["status_label"] == "Blue: Complete"


def test_blue_with_a_document_uploaded(drafted, scrutineer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = drafted[0]
    api = _api(scrutineer)
    data = {"status": "blue", "note": "Re-audit done.", "evidence_kind": "document"}
    refused = api.post(
        _updates(action),
        {**data, "evidence": "Re-audit.", "document": SimpleUploadedFile("run.exe", b"MZ")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "run.exe is not a document type the plan keeps" in refused.json()["detail"]
    assert not ActionUpdate.objects.exists() and not list(tmp_path.rglob("*.*"))
    document = SimpleUploadedFile("reaudit.pdf", b"%PDF-1.4 re-audit", "application/pdf")
    response = api.post(
        _updates(action),
        {**data, "evidence": "Drift down to 1 in 12.", "document": document},
        format="multipart",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["document_name"] == "reaudit.pdf"
    update = ActionUpdate.objects.get()
    assert body["document"] == "http://testserver" + reverse("plan-document", args=[update.pk])
    assert api.get(_updates(action)).json()[0]["document"] == body["document"]
    download = client_for(scrutineer).get(body["document"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 re-audit"
    action.refresh_from_db()
    assert action.status == Brag.BLUE


def test_a_later_scrutinys_factor_moving_is_evidence(earlier, signed, scrutineer):
    action = _earlier_action(earlier, "SF1")
    api = _api(scrutineer)
    data = {"status": "blue", "note": "Re-scrutinised in 2026.", "evidence_kind": "scrutiny"}
    response = api.post(_updates(action), {**data, "evidence_scrutiny": "nope"}, format="json")
    assert response.status_code == 400
    assert "No scrutiny of the partnership is called “nope”" in str(response.json())
    response = api.post(_updates(action), {**data, "evidence_scrutiny": "lfp-2024"}, format="json")
    assert "Choose a scrutiny later than LfP 2024" in response.json()["detail"]
    assert not ActionUpdate.objects.exists()
    response = api.post(
        _updates(action),
        {**data, "evidence_scrutiny": SLUG, "evidence": "See the pack."},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["evidence_kind"], body["evidence_scrutiny"]) == ("scrutiny", SLUG)
    assert body["evidence"] == MOVED + " See the pack."


def test_carrying_open_actions_shows_how_each_factor_moved(earlier, signed, scrutineer):
    open_one = _earlier_action(earlier, "SF1")
    _earlier_action(earlier, "SF2", status=Brag.BLUE)
    api = _api(scrutineer)
    url = reverse("api-scrutiny-actions-carry", args=[SLUG])
    signed.previous = None
    signed.save()
    refused = api.post(url)
    assert refused.status_code == 400
    assert "Choose the earlier scrutiny of this theme first" in refused.json()["detail"]
    signed.previous = earlier
    signed.save()
    carried = api.post(url).json()
    assert [(a["id"], a["scrutiny"], a["carried_from"], a["factor"]) for a in carried] == [
        (open_one.pk, SLUG, "lfp-2024", "SF1")
    ]
    assert carried[0]["movement"] == {
        "before": 26.7,
        "after": 46.8,
        "change": 20.1,
        "moved_up": True,
        "description": MOVED,
    }
    assert api.get(_detail(open_one)).json()["movement"] == carried[0]["movement"]
    assert api.post(url).json() == []  # nothing twice


# Redaction ------------------------------------------------------------------------------------


def test_the_plans_words_leave_redacted(drafted, scrutineer, board_member):
    action = drafted[0]
    action.text = f"Re-audit case {PLANTED['case']}; ask {PLANTED['email']}."
    action.measures = f"Fewer drifts like {PLANTED['case']}."
    action.save()
    Outcome.objects.filter(pk=action.outcome_id).update(text=f"Plans for {PLANTED['case']}")
    other = actions.action_save(
        partnership=action.partnership,
        data=actions.ActionData(text=f"Ring {PLANTED['phone']} about the toolkit"),
    )
    # A case reference is known as one through its scrutiny's responses; other work (no
    # scrutiny) has the redaction of identifiers by their form only.
    for target, case in ((action, PLANTED["case"]), (other, PLANTED["email"])):
        actions.action_update(
            action=target,
            status=Brag.BLUE,
            note=f"Rang {PLANTED['phone']}; {PLANTED['postcode']} visited.",
            user=scrutineer,
            evidence_kind="audit",
            evidence=f"Audit of {case} and NHS {PLANTED['nhs']}.",
        )
    api = _api(board_member)
    bodies = [
        api.get(reverse("api-plan")).text,
        api.get(reverse("api-action-list")).text,
        api.get(_detail(action)).text,
        api.get(_updates(action)).text,
        api.get(_detail(other)).text,
        api.get(_updates(other)).text,
    ]
    for body in bodies:
        assert "[removed]" in body
        assert not any(planted in body for planted in PLANTED.values()), body
    detail = api.get(_detail(action)).json()
    assert detail["text"] == "Re-audit case [removed]; ask [removed]."
    assert detail["outcome"]["text"] == "Plans for [removed]"
    # Nothing is changed where it is kept: only what leaves is redacted.
    action.refresh_from_db()
    assert PLANTED["case"] in action.text


def test_a_carried_actions_words_go_through_the_redaction_of_both_scrutinies(
    earlier, signed, scrutineer
):
    # Drafted from the 2024 findings, it names what only the 2024 scrutiny knows to remove.
    earlier.redaction_terms = "Bloggs"
    earlier.save()
    action = _earlier_action(earlier, "SF1")
    action.text = f"Re-audit the Bloggs family's plan ({PLANTED['case']})."
    action.save()
    carried = _api(scrutineer).post(reverse("api-scrutiny-actions-carry", args=[SLUG])).json()
    assert carried[0]["text"] == "Re-audit the [removed] family's plan ([removed])."
    plan = _api(scrutineer).get(reverse("api-plan")).text
    assert "Bloggs" not in plan and PLANTED["case"] not in plan


def test_the_schema_describes_the_plan_operations(scrutineer):
    schema = _api(scrutineer).get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "get" in paths["/api/plan/"]
    assert {"get", "post"} <= set(paths["/api/actions/"])
    assert {"get", "patch"} <= set(paths["/api/actions/{action_id}/"])
    updates = paths["/api/actions/{action_id}/updates/"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(updates)
    assert "post" in paths["/api/scrutinies/{slug}/actions/draft/"]
    assert "post" in paths["/api/scrutinies/{slug}/actions/carry/"]
    assert schema.json()["components"]["schemas"]["BragStatus"]["enum"] == [
        "blue",
        "green",
        "amber",
        "red",
    ]


# Queries --------------------------------------------------------------------------------------


def test_the_plan_and_the_list_take_a_fixed_number_of_queries(earlier, signed, scrutineer, council):
    _earlier_action(earlier, "SF1")
    actions.actions_carry(scrutiny=signed)
    (first,) = actions.actions_draft(scrutiny=signed)  # SF2's, beside the carried SF1
    sf1 = signed.factors.get(code="SF1")

    def counts() -> list[int]:
        api = _api(User.objects.get(pk=scrutineer.pk))  # nothing cached on the person
        result = []
        for url in (reverse("api-plan"), reverse("api-action-list")):
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200
            result.append(len(queries))
        return result

    counts()  # anything worked out once for the process is not counted
    few = counts()
    priority = first.outcome.priority
    for i in range(12):
        outcome = Outcome.objects.create(priority=priority, text=f"Outcome {i}")
        for made in (
            Action.objects.create(
                partnership_id=signed.partnership_id,
                scrutiny=signed,
                outcome=outcome,
                responsible=council,
                text=f"More work {i}",
            ),
            Action.objects.create(
                partnership_id=signed.partnership_id,
                scrutiny=signed,
                carried_from=earlier,
                factor=sf1,
                text=f"Carried work {i}",
            ),
            actions.action_save(
                partnership=first.partnership, data=actions.ActionData(text=f"Other work {i}")
            ),
        ):
            actions.action_update(action=made, status=Brag.AMBER, note="Slipping.", user=scrutineer)
    body = _api(scrutineer).get(reverse("api-plan")).json()
    assert len(_plan_texts(body)) == 3 * 12 + 2
    assert sum(1 for a in body["unplaced"] if a["movement"]) == 13
    assert counts() == few, few
