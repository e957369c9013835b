"""The audit trail is written for each kind of event through the real pages, the API, the admin
and sign-in; every URL is classified; answering a survey writes nothing at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from scrutiny.models import EventPack, TrailEntry, User
from scrutiny.trail import ACTIONS
from scrutiny.trail.routes import ANSWERING, NOT_RECORDED, ROUTES, is_classified
from tests.conftest import client_for
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, PartnershipFactory, UserFactory
from tests.jobs import eager_tasks as eager_tasks
from tests.jobs import through_job as through_job
from tests.scrutiny.test_workspace import scrutiny as scrutiny
from tests.surveys.conftest import COMPLETE, make_invitation
from tests.surveys.conftest import board_survey as board_survey
from tests.surveys.conftest import board_tool as board_tool
from tests.surveys.conftest import social_worker as social_worker
from tests.surveys.conftest import survey as survey
from tests.surveys.conftest import survey_scrutiny as survey_scrutiny
from tests.surveys.conftest import survey_tool as survey_tool

pytestmark = pytest.mark.django_db
SLUG = "lfp-2026"


def _view_names(resolver: URLResolver, namespaces: tuple[str, ...] = ()) -> list[str]:
    """Every route's name as Django's ResolverMatch.view_name gives it (an unnamed route by
    its view's dotted path)."""
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            names += _view_names(pattern, inner)
            continue
        assert isinstance(pattern, URLPattern)
        func: Any = getattr(pattern.callback, "view_class", pattern.callback)
        path = (
            f"{func.__module__}.{func.__name__}"
            if hasattr(func, "__name__")
            else f"{func.__class__.__module__}.{func.__class__.__name__}"
        )
        names.append(":".join([*namespaces, pattern.name or path]))
    return names


def _entries(**filters: Any) -> list[TrailEntry]:
    return list(TrailEntry.objects.filter(**filters).order_by("pk"))


def test_every_url_is_classified_so_a_new_page_cannot_be_forgotten():
    names = _view_names(get_resolver())
    unclassified = sorted({name for name in names if not is_classified(name)})
    assert unclassified == [], (
        "Classify these URL names in scrutiny/trail/routes.py (ROUTES, NOT_RECORDED or "
        f"ANSWERING): {unclassified}"
    )
    assert not set(ROUTES) & set(NOT_RECORDED) and not set(ROUTES) & ANSWERING
    assert {a for r in ROUTES.values() for a in (r.read, r.write, r.download) if a} <= set(ACTIONS)
    # Every route of answering a survey is in ANSWERING, named as Django names it.
    assert resolve("/i/a-token/0/").view_name in ANSWERING
    answering = {
        name
        for name in names
        if name.startswith(("surveys.views.respond", "answer-", "survey-invited", "survey-open"))
        or name == "survey-invitation"
        or name in ("api-survey-open-submit", "api-survey-invitation-submit")
        # A child answering through a session's code, a young scrutineer's own feedback.
        or name in ("young-code", "young-start", "young-step", "young-thanks", "young-feedback")
    }
    assert answering == ANSWERING


def test_viewing_a_factors_evidence_and_comments_is_recorded(scrutiny, scrutineer):
    client = client_for(scrutineer)
    assert (
        client.get(reverse("workspace-factor", args=[SLUG, "SF1"]), {"q": "x"}).status_code == 200
    )
    (entry,) = _entries(action="evidence_viewed")
    assert (entry.user, entry.actor, entry.partnership_id) == (
        scrutineer,
        "morgan@fernhill.invalid",
        scrutiny.partnership_id,
    )
    assert (entry.object_type, entry.object_id) == ("successfactor", "SF1")
    assert entry.object_label == "scrutiny lfp-2026, factor SF1"
    assert entry.data == {"route": "workspace-factor", "method": "GET", "via": "page"}
    # The API's evidence too; a page refused (another agency's auditor) writes nothing.
    client.get(reverse("api-workspace-evidence", args=[SLUG, "SF2"]))
    assert _entries(action="evidence_viewed")[1].data["via"] == "api"
    board = client_for(UserFactory(partnership=scrutiny.partnership, role=User.Role.BOARD_MEMBER))
    before = TrailEntry.objects.count()
    assert board.get(reverse("workspace", args=[SLUG])).status_code == 403
    assert TrailEntry.objects.count() == before


@pytest.mark.usefixtures("eager_tasks")
def test_building_and_downloading_a_pack_and_a_plan_are_recorded(
    scrutiny, scrutineer, business_unit, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(scrutineer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace-pack-build", args=[SLUG]))
    assert len(_entries(action="pack_built")) == 1
    pack = EventPack.objects.get()
    download = client.get(reverse("workspace-pack-download", args=[SLUG, pack.pk, "pdf"]))
    assert download.status_code == 200
    (entry,) = _entries(action="pack_downloaded")
    assert (entry.object_type, entry.object_id, entry.data["kind"]) == (
        "eventpack",
        str(pack.pk),
        "pdf",
    )
    assert (
        client.get(reverse("workspace-pack-download", args=[SLUG, pack.pk, "doc"])).status_code
        == 404
    )
    assert len(_entries(action="pack_downloaded")) == 1  # a 404 downloaded nothing
    assert client_for(business_unit).get(reverse("plan-export", args=["xlsx"])).status_code == 200
    (plan,) = _entries(action="plan_downloaded")
    assert (plan.actor, plan.data["fmt"]) == ("robin@fernhill.invalid", "xlsx")


def test_signing_off_is_recorded_once_done_and_not_when_refused(scrutiny, scrutineer):
    client = client_for(scrutineer)
    refused = client.post(reverse("workspace-sign-off", args=[SLUG]), follow=True)
    assert "Write at least one strength" in refused.text
    assert _entries(action="findings_signed_off") == []
    for code in ("SF1", "SF2"):
        client.post(
            reverse("workspace-finding", args=[SLUG, code]),
            {"strengths": "Briefings land.", "improvements": ""},
        )
    assert len(_entries(action="finding_changed")) == 2
    client.post(reverse("workspace-sign-off", args=[SLUG]))
    (entry,) = _entries(action="findings_signed_off")
    assert (entry.object_type, entry.object_id, entry.user) == ("scrutiny", SLUG, scrutineer)


def test_an_api_write_is_recorded(scrutiny, scrutineer):
    saved = client_for(scrutineer).put(
        reverse("api-workspace-finding", args=[SLUG, "SF1"]),
        {"strengths": ["Briefings land."]},
        content_type="application/json",
    )
    assert saved.status_code == 200
    (entry,) = _entries(action="finding_changed")
    assert entry.data == {"route": "api-workspace-finding", "method": "PUT", "via": "api"}


def test_importing_a_workbook_and_changing_an_instrument_are_recorded(
    partnership, scrutineer, through_job
):
    from scrutiny.models import Instrument, Scrutiny, SuccessFactor
    from scrutiny.workbooks import instrument_to_workbook
    from tests.scrutiny.test_questionnaires import sample_definition
    from tests.scrutiny.test_scrutiny_pages import upload

    learning = Scrutiny.objects.create(partnership=partnership, slug="learning-2025", title="L")
    client = client_for(scrutineer)
    url = reverse("instrument-import", args=[learning.slug])
    assert client.post(url, {}).status_code == 200  # no file: shown again, nothing imported
    assert _entries(action="imported") == []
    book = instrument_to_workbook(sample_definition())
    # The upload is recorded when its import starts (as a job, whose page says how it ended):
    # this one is refused there, its factors not being the scrutiny's.
    refused = through_job(client, url, {"file": upload(book)})
    assert "nothing was imported" in refused.text
    for code in ("SF1", "SF2"):
        SuccessFactor.objects.create(scrutiny=learning, code=code, statement="Learning is known.")
    assert "Imported: instrument AUDIT" in through_job(client, url, {"file": upload(book)}).text
    entries = _entries(action="imported")
    assert len(entries) == 2
    assert {(e.object_type, e.object_id) for e in entries} == {("scrutiny", "learning-2025")}
    audit = Instrument.objects.get(code="AUDIT")
    settings_url = reverse("instrument-settings", args=[learning.slug, audit.pk])
    client.post(settings_url, {"title": "Audit tool 2025", "kind": "file_audit"})
    (changed,) = _entries(action="instrument_changed")
    assert (changed.object_type, changed.object_id) == ("instrument", str(audit.pk))
    assert changed.object_label == f"scrutiny learning-2025, instrument {audit.pk}"


def _admin_form_data(page: Any) -> dict[str, Any]:
    """What the admin's change form would post back unchanged."""
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        if form.fields[name].disabled:
            continue
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_a_role_changed_in_the_admin_is_recorded_with_the_admins_log(
    business_unit, auditor_council, council
):
    client = client_for(business_unit)
    url = reverse("admin:scrutiny_user_change", args=[auditor_council.pk])
    page = client.get(url)
    assert page.status_code == 200
    (viewed,) = _entries(action="admin_viewed")
    assert (viewed.object_type, viewed.object_id) == ("user", str(auditor_council.pk))
    data = _admin_form_data(page) | {"role": User.Role.AGENCY_LEAD}
    assert client.post(url, data).status_code == 302
    (changed,) = _entries(action="person_changed")
    assert changed.actor == "robin@fernhill.invalid"
    assert (changed.object_type, changed.object_id) == ("user", str(auditor_council.pk))
    assert changed.detail == "Role: Auditor → Agency lead"
    assert changed.data == {"changes": {"role": ["auditor", "agency_lead"]}}
    (logged,) = _entries(action="admin_changed")
    assert logged.partnership_id == auditor_council.partnership_id
    assert "Role" in logged.detail and logged.object_label == str(auditor_council)


def test_a_change_of_person_outside_a_request_is_recorded_without_a_person(auditor_council):
    other = PartnershipFactory(name="Elsewhere Partnership", slug="elsewhere")
    TrailEntry.objects.all()._expire()  # what making the personas wrote
    auditor_council.is_active = False
    auditor_council.save()
    (entry,) = _entries(action="person_changed")
    assert (entry.actor, entry.user, entry.detail) == ("", None, "Active: yes → no")
    auditor_council.partnership = other
    auditor_council.agency = AgencyFactory(partnership=other, name="Elsewhere Council")
    auditor_council.save()
    moved = _entries(action="person_changed")[1:]
    # Both partnerships learn that the person moved.
    assert sorted(e.partnership_id for e in moved) == sorted([other.pk, entry.partnership_id])
    assert "Agency: Fernhill Council → Elsewhere Council" in moved[0].detail
    auditor_council.set_password("a new long password 42")
    auditor_council.save()
    assert len(_entries(action="password_changed")) == 1
    auditor_council.save(update_fields=["last_login"])  # no compare, no entry
    assert TrailEntry.objects.count() == 4


def test_sign_in_sign_out_and_failed_sign_ins_are_recorded(scrutineer):
    client = Client()
    login = reverse("login")
    client.post(login, {"username": "morgan@fernhill.invalid", "password": "wrong horse"})
    (failed,) = _entries(action="sign_in_failed")
    assert (failed.user, failed.actor, failed.partnership_id) == (
        scrutineer,
        "morgan@fernhill.invalid",
        scrutineer.partnership_id,
    )
    assert failed.data["via"] == "page" and failed.data["locked_out"] is False
    # A password typed into the email box: recorded as an attempt, what was typed kept nowhere.
    typed = "Correct-Horse-Battery-99"
    client.post(login, {"username": typed, "password": "x"})
    unknown = _entries(action="sign_in_failed")[1]
    assert (unknown.partnership_id, unknown.user, unknown.actor) == (None, None, "")
    stored = [str(v) for e in _entries() for v in (e.actor, e.detail, e.object_label, e.data)]
    assert not any(typed.lower() in value.lower() for value in stored)
    assert (
        client.post(
            login, {"username": "Morgan@Fernhill.invalid ", "password": PASSWORD}
        ).status_code
        == 302
    )
    (signed_in,) = _entries(action="signed_in")
    assert (signed_in.user, signed_in.object_id) == (scrutineer, str(scrutineer.pk))
    client.post(reverse("logout"))
    (signed_out,) = _entries(action="signed_out")
    assert signed_out.user == scrutineer


def test_answering_a_survey_by_any_route_records_nothing(
    survey, board_survey, council, social_worker, board_member, practitioner
):
    """The time and person of a request there would link a respondent to an anonymous
    response: nothing is written to the trail or the admin's log, signed in or not."""
    _, token = make_invitation(survey, "ash@fernhill.invalid", council, social_worker)
    _, token_signed_in = make_invitation(survey, "charlie@fernhill.invalid", council)
    clients = [Client(), client_for(practitioner)]
    signed_in = client_for(board_member)
    before = (TrailEntry.objects.count(), LogEntry.objects.count())

    def invited(client: Client, token: str) -> None:
        step = lambda name: reverse("survey-invited-step", args=[survey.pk, name])  # noqa: E731
        assert client.get(reverse("survey-invitation", args=[token])).status_code == 302
        client.get(f"/i/{token}/0/")
        assert client.get(reverse("survey-invited", args=[survey.pk])).status_code == 200
        client.post(step("0"), {"0-Q1": "yes", "0-Q2": COMPLETE["Q2"]})
        client.post(step("1"), {"1-Q6": "3"})
        assert client.post(step("check"), {"action": "submit"}).status_code == 302
        client.get(reverse("survey-invited-thanks", args=[survey.pk]))

    def open_link(client: Client) -> None:
        key = survey.public_key
        step = lambda name: reverse("survey-open-step", args=[key, name])  # noqa: E731
        client.get(reverse("survey-open", args=[key]))
        client.post(
            reverse("survey-open", args=[key]), {"agency": council.pk, "role": social_worker.pk}
        )
        client.get(step("resume"))
        client.post(step("0"), {"0-Q1": "yes", "0-Q2": COMPLETE["Q2"]})
        client.post(step("1"), {"1-Q6": "3"})
        assert client.post(step("check")).status_code == 302
        client.get(reverse("survey-open-thanks", args=[key]))

    invited(clients[0], token)
    invited(clients[1], token_signed_in)
    for client in clients:
        open_link(client)
    start = signed_in.post(reverse("answer-start", args=[board_survey.pk]))
    draft_id = int(start.url.rstrip("/").split("/")[-2])
    step = lambda name: reverse("answer-step", args=[draft_id, name])  # noqa: E731
    signed_in.get(reverse("answer-list"))
    signed_in.get(step("resume"))
    signed_in.post(step("0"), {"0-Q1": "yes", "0-Q2": "A plan"})
    signed_in.post(step("1"), {"1-Q6": "4"})
    assert signed_in.post(step("check"), {"action": "submit"}).status_code == 302
    signed_in.get(reverse("answer-thanks", args=[draft_id]))
    from scrutiny.models import Response

    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 5
    assert (TrailEntry.objects.count(), LogEntry.objects.count()) == before


def test_the_operators_admin_views_are_in_the_partnerships_trail(auditor_council):
    operator = UserFactory(
        email="op@platform.invalid", is_staff=True, is_superuser=True, partnership=None
    )
    client = client_for(operator)
    url = reverse("admin:scrutiny_user_change", args=[auditor_council.pk])
    assert client.get(url).status_code == 200
    (viewed,) = _entries(action="admin_viewed")
    assert (viewed.actor, viewed.partnership_id) == (
        "op@platform.invalid",
        auditor_council.partnership_id,
    )
    assert client.get(reverse("admin:scrutiny_user_change", args=["x"])).status_code in (302, 404)
    assert len(_entries(action="admin_viewed")) == 1


def test_a_deletion_of_several_in_the_admin_is_recorded_once_each(business_unit, partnership):
    areas = [AreaFactory(partnership=partnership) for _ in range(3)]
    client = client_for(business_unit)
    deleted = client.post(
        reverse("admin:scrutiny_area_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in areas[:2]], "post": "yes"},
    )
    assert deleted.status_code == 302
    logged = _entries(action="admin_deleted")
    assert sorted(e.object_id for e in logged) == sorted(str(a.pk) for a in areas[:2])
    assert {(e.actor, e.partnership_id) for e in logged} == {
        ("robin@fernhill.invalid", partnership.pk)
    }
    client.post(reverse("admin:scrutiny_area_delete", args=[areas[2].pk]), {"post": "yes"})
    assert len(_entries(action="admin_deleted")) == 3
